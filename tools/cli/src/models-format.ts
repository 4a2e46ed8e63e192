import { AliasMove, ModelAliasChange, ModelVersion, RegistryAction, RetrainRequest } from '@flowsentry/audit';
import { table } from './text-table';

/** What `models show` reports about one model name (or one of its versions). */
export interface ModelDetail {
  modelName: string;
  champion: string | null;
  versions: ModelVersion[];
  history: ModelAliasChange[];
  actions: RegistryAction[];
  retrains: RetrainRequest[];
  /** Per version, the trace id of the run that trained it. */
  traces: Record<string, string>;
}

export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export function formatVersionList(versions: ModelVersion[]): string {
  if (versions.length === 0) return 'no model versions';
  const rows = versions.map((v) => [v.modelName, `v${v.version}`, v.status, num(v.threshold), v.decidedBy ?? '-', time(v.decidedAt), v.decisionReason ?? '']);
  return table(['MODEL', 'VERSION', 'STATUS', 'THRESHOLD', 'DECIDED BY', 'DECIDED AT', 'REASON'], rows);
}

/** `jaegerUrl` turns each version's trace id into a link to its run in Jaeger's UI. */
export function formatModelDetail(detail: ModelDetail, jaegerUrl: string): string {
  const lines = [`${detail.modelName}: champion ${detail.champion === null ? 'none' : `v${detail.champion}`}`, '', 'versions (newest first):'];
  for (const v of detail.versions) lines.push(...versionLines(v, detail.traces[v.version], jaegerUrl));
  lines.push('', 'champion history (oldest first):');
  if (detail.history.length === 0) lines.push('  none');
  for (const h of detail.history) {
    const announced = h.announcedAt ? `announced ${time(h.announcedAt)}` : 'not announced yet';
    lines.push(`  ${time(h.changedAt)}  ${h.change.padEnd(9)}  ${h.fromVersion === null ? 'none' : `v${h.fromVersion}`} -> v${h.toVersion}  by ${h.actor}: ${quote(h.reason)}  (${announced})`);
  }
  lines.push('', 'operator actions (oldest first):');
  if (detail.actions.length === 0) lines.push('  none');
  for (const a of detail.actions) {
    const refusal = a.outcome === 'refused' && a.detail ? ` — ${a.detail}` : '';
    lines.push(`  ${time(a.at)}  ${a.action.padEnd(8)}  ${a.version === null ? '-' : `v${a.version}`}  ${a.actor} (${a.channel})  ${a.outcome}: ${quote(a.reason)}${refusal}`);
  }
  lines.push('', 'retrain requests (oldest first):');
  if (detail.retrains.length === 0) lines.push('  none');
  for (const r of detail.retrains) lines.push(retrainLine(r));
  return lines.join('\n');
}

function retrainLine(r: RetrainRequest): string {
  const { severity, championVersion, reason } = r.detail as { severity?: string; championVersion?: string; reason?: string };
  const about = [severity, championVersion ? `against v${championVersion}` : undefined].filter(Boolean).join(', ');
  const outcome = r.status === 'done' ? `retrained as v${r.resolvedBy}` : r.status === 'absorbed' ? 'absorbed by the request already open' : 'open: waiting for rows of the new regime';
  const since = r.regimeSince ? `, new regime from ${time(r.regimeSince)}` : '';
  return `  ${time(r.createdAt)}  ${r.trigger}${about ? ` (${about})` : ''}  -> ${outcome}${since}${reason ? `: ${quote(reason)}` : ''}`;
}

export function formatAliasMove(move: AliasMove, actor: string, reason: string): string {
  return `${move.modelName}: champion ${move.from === null ? 'none' : `v${move.from}`} -> v${move.to} (${move.change} by ${actor}: ${quote(reason)})`;
}

export function formatRejection(version: ModelVersion): string {
  return `${version.modelName} v${version.version}: rejected by ${version.decidedBy ?? '-'}: ${quote(version.decisionReason ?? '')}`;
}

function versionLines(v: ModelVersion, traceId: string | undefined, jaegerUrl: string): string[] {
  const field = (label: string, value: string) => `      ${label.padEnd(12)} ${value}`;
  const lines = [`  v${v.version}  ${v.status}  (created ${time(v.createdAt)})`];
  lines.push(field('threshold', num(v.threshold)));
  lines.push(field('features', v.featureVersion ?? '-'));
  lines.push(field('metrics', metrics(v.metrics)));
  if (v.decidedAt) lines.push(field('decided', `by ${v.decidedBy ?? '-'} at ${time(v.decidedAt)}: ${quote(v.decisionReason ?? '')}`));
  if (v.approvedAt) lines.push(field('approved', `by ${v.approvedBy ?? '-'} at ${time(v.approvedAt)}`));
  lines.push(field('eval report', v.evalRef ?? '-'));
  lines.push(field('model', `${v.onnxRef} (sha256 ${v.sha256.slice(0, 12)}…)${v.metadataRef ? `, ${v.metadataRef}` : ''}`));
  lines.push(field('trained on', v.trainingRefs.length === 0 ? '-' : `${v.trainingRefs.length} dataset(s): ${abridged(v.trainingRefs)}`));
  lines.push(field('trace', traceId ? `${jaegerUrl}/trace/${traceId}` : '-'));
  return lines;
}

function metrics(values: Record<string, unknown>): string {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '-' : entries.map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : JSON.stringify(v)}`).join(' ');
}

/** Four significant digits: enough to compare two versions, short enough for a terminal. */
function num(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  if (Number.isInteger(value) || !Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(1) : String(Number(value.toPrecision(4)));
}

function time(value: Date | null | undefined): string {
  return value ? new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/** A long list of SILVER keys as its first and last entries: the full list is in model.json and the lineage. */
function abridged(refs: readonly string[]): string {
  return refs.length <= 3 ? refs.join(', ') : `${refs[0]}, ${refs[1]} … ${refs.at(-1)} (${refs.length - 3} more in model.json)`;
}
