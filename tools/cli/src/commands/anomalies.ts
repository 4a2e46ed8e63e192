import { AnomalyDetectedData, decodePipelineEvent, eventTimeMs, Topics, topicName } from '@flowsentry/contracts';
import { KafkaClient, KafkaSettings, readTopic, TopicAdmin } from '@flowsentry/messaging';
import { table } from '../text-table';
import { LabelledDetection, NORMAL_LABEL } from './labelled-detection';

export interface AnomaliesOptions {
  /** Only anomalies of this model name. */
  model?: string;
  /** How many of the most recent anomalies to show in full. */
  limit: number;
}

export interface AnomalySummary {
  total: number;
  /** Messages on the topic that are not anomalies.detected events (counted, not hidden). */
  unreadable: number;
  /** `<model> v<version>` → anomalies. */
  byModel: Record<string, number>;
  /** The producer's (or a sensor's) label → anomalies; null when no anomaly carries a label. */
  byLabel: Record<string, number> | null;
  /** The sources with most anomalies, and the feature that most often ranked first for each. */
  topSources: Array<{ srcIp: string; anomalies: number; leadingReason: string }>;
  /** How often each feature was an anomaly's first reason. */
  leadingReasons: Array<{ feature: string; anomalies: number }>;
  /** The most recent anomalies by event time, newest first. */
  latest: AnomalyDetectedData[];
  /** Against the labels of every flow scored (`--labelled`). */
  detection?: LabelledDetection;
}

const TOP = 5;

/** Reads the whole anomalies.detected topic (committed messages) of this deployment. */
export async function readAnomalies(kafka: KafkaClient, admin: TopicAdmin, settings: KafkaSettings): Promise<Array<Buffer | null>> {
  const topic = topicName(Topics.anomaliesDetected, settings.topicPrefix);
  const count = (await admin.offsets(topic)).reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0);
  if (count === 0) return [];
  // High watermarks count aborted transactions' messages and commit markers too, so the read stops when the topic goes quiet.
  return (await readTopic(kafka, topic, { timeoutMs: 120_000, idleMs: 3_000 })).map((m) => m.value);
}

/** What an analyst asks of the anomalies first: how many, from which model, from whom, why. */
export function summarizeAnomalies(values: Array<Buffer | null>, options: AnomaliesOptions): AnomalySummary {
  const anomalies: AnomalyDetectedData[] = [];
  let unreadable = 0;
  for (const value of values) {
    const decoded = decodePipelineEvent(Topics.anomaliesDetected, value);
    if (!decoded.ok) unreadable++;
    else if (options.model === undefined || decoded.value.data.modelName === options.model) anomalies.push(decoded.value.data);
  }
  const byModel = countBy(anomalies, (a) => `${a.modelName} v${a.modelVersion}`);
  const labelled = anomalies.filter((a) => a.event.label !== undefined);
  const sources = new Map<string, AnomalyDetectedData[]>();
  for (const a of anomalies) {
    const of = sources.get(a.event.src_ip) ?? [];
    of.push(a);
    sources.set(a.event.src_ip, of);
  }
  const topSources = [...sources]
    .sort((x, y) => y[1].length - x[1].length || x[0].localeCompare(y[0]))
    .slice(0, TOP)
    .map(([srcIp, of]) => ({ srcIp, anomalies: of.length, leadingReason: ranked(countBy(of, leadingReason))[0]?.[0] ?? '-' }));
  return {
    total: anomalies.length,
    unreadable,
    byModel,
    byLabel: labelled.length > 0 ? countBy(anomalies, (a) => a.event.label ?? 'unlabelled') : null,
    topSources,
    leadingReasons: ranked(countBy(anomalies, leadingReason))
      .slice(0, TOP)
      .map(([feature, n]) => ({ feature, anomalies: n })),
    latest: [...anomalies].sort((x, y) => eventTimeMs(y.event) - eventTimeMs(x.event) || y.score - x.score).slice(0, options.limit),
  };
}

export function formatAnomalies(s: AnomalySummary): string {
  if (s.total === 0) return `no anomalies${s.unreadable ? ` (${s.unreadable} unreadable messages on the topic)` : ''}`;
  const lines = [`${s.total} anomalies${s.unreadable ? `, ${s.unreadable} unreadable messages` : ''}`];
  lines.push(`by model: ${listing(s.byModel)}`);
  if (s.byLabel) lines.push(`by label (the events' own labels): ${listing(s.byLabel)}`);
  if (s.detection) lines.push('', ...detectionLines(s.detection));
  lines.push('', 'sources with most anomalies:', indent(table(['SOURCE', 'ANOMALIES', 'MOST OFTEN FIRST REASON'], s.topSources.map((t) => [t.srcIp, String(t.anomalies), t.leadingReason]))));
  lines.push('', 'first reasons:', indent(table(['FEATURE', 'ANOMALIES'], s.leadingReasons.map((r) => [r.feature, String(r.anomalies)]))));
  lines.push('', `latest ${s.latest.length}:`);
  for (const a of s.latest) {
    const e = a.event;
    lines.push(`  ${new Date(eventTimeMs(e)).toISOString()}  ${e.src_ip} -> ${e.dst_ip}:${e.dst_port}/${e.protocol}  score ${a.score.toFixed(3)} > ${a.threshold.toFixed(3)}  ${a.modelName} v${a.modelVersion}${e.label ? `  [${e.label}]` : ''}`);
    for (const r of a.reasons.slice(0, 3)) lines.push(`      ${r.feature} = ${value(r.value)}${typical(r)}  (contribution ${r.contribution.toFixed(2)})`);
  }
  return lines.join('\n');
}

function detectionLines(d: LabelledDetection): string[] {
  const rows = d.byLabel.map((l) => [l.label, String(l.flows), String(l.alerts), l.label === NORMAL_LABEL ? `${(100 * l.rate).toFixed(2)}% alerted (false positives)` : `recall ${l.rate.toFixed(3)}`]);
  return [
    `against the events' own labels (${d.scoredFlows} flows in ${d.scoredBatches} batches scored by the monitor):`,
    indent(table(['LABEL', 'FLOWS', 'ALERTS', ''], rows)),
    `precision: ${(100 * d.precision).toFixed(1)}% of the alerts are on attack flows`,
  ];
}

function leadingReason(a: AnomalyDetectedData): string {
  return a.reasons[0]?.feature ?? 'none';
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

function ranked(counts: Record<string, number>): Array<[string, number]> {
  return Object.entries(counts).sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]));
}

function listing(counts: Record<string, number>): string {
  return ranked(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

function value(v: number | null): string {
  return v === null ? 'missing' : Number.isInteger(v) ? String(v) : v.toFixed(3);
}

function typical(r: { typicalLow?: number; typicalHigh?: number }): string {
  return r.typicalLow !== undefined && r.typicalHigh !== undefined ? ` (typical ${value(r.typicalLow)}..${value(r.typicalHigh)})` : '';
}
