import { performance } from 'node:perf_hooks';
import { deterministicId, PipelineEventOf, Topics } from '@flowsentry/contracts';
import { DriftReport, scoreDrift } from '@flowsentry/ml';
import { PipelineStep, StepContext, StepOutcome, StepOutput } from '@flowsentry/runtime';
import { formatRef, ObjectRef, ObjectStore } from '@flowsentry/storage';
import { ATTR_DATASET_ID, ATTR_MODEL_VERSION } from '@flowsentry/telemetry';
import { AlertSink } from './alerts/alert';
import { anomalyOutputs } from './anomalies';
import { anomalyScores, featureMatrixOf, missingModelColumns } from './batch-features';
import { BatchQuality, judgeBatchQuality, MonitorViolation } from './batch-quality';
import { countAbove } from './baseline-scores';
import { championInForce, RegistryChampions } from './champion-in-force';
import { ChampionLoader, LoadedChampion } from './champion-models';
import { driftDocument, scoreDriftSection, serializeDrift } from './drift-report';
import { DriftRuleSettings, DriftVerdict, judgeDrift, NO_DRIFT, UNKNOWN_STREAM } from './drift-rule';
import { batchReportRefs } from './monitor-refs';
import { monitorMetrics } from './monitor.metrics';
import { MonitoredChampion, MonitorState } from './monitor-state';
import { readSilverBatch } from './silver-batch';
import { streamOf } from './source-stream';

type SilverReady = PipelineEventOf<typeof Topics.silverReady>;
type DriftedFeature = PipelineEventOf<typeof Topics.driftDetected>['data']['driftedFeatures'][number];

export interface MonitorSettings {
  modelName: string;
  drift: DriftRuleSettings;
  /** Data-quality violations in one batch before a data-quality alert. */
  violationAlertMin: number;
}

export interface SilverReadyPorts {
  objects: Pick<ObjectStore, 'get' | 'put'>;
  state: MonitorState;
  registry: RegistryChampions;
  champions: ChampionLoader;
  alerts: AlertSink;
}

/** The anomaly score as a pseudo-feature of drift.detected when score drift is part of the reason. */
export const SCORE_FEATURE = 'anomaly_score';

/**
 * One silver.ready, the monitor's main step: score every flow of the batch with the champion,
 * send the ones above its threshold to anomalies.detected with their reasons, check the batch
 * against the champion's baseline (constraint_violations.json and drift.json in MONITOR), and
 * apply the drift rule, which may emit one drift.detected for the trainer.
 *
 * Alerts go to the AlertSink from inside the step, once the outcome is decided and before it is
 * committed: raise() never blocks or throws, and a step that runs again (a crash before the
 * commit) raises the same alert under the same key, which the sink's de-duplication drops. The
 * price is that an alert can precede a commit that then fails for good; the step would then be
 * dead-lettered, which is alerted too.
 */
export class SilverReadyHandler implements PipelineStep<typeof Topics.silverReady> {
  readonly input = Topics.silverReady;
  readonly step = 'drift_check' as const;

  constructor(
    private readonly ports: SilverReadyPorts,
    private readonly settings: MonitorSettings,
  ) {}

  async handle(event: SilverReady, context: StepContext): Promise<StepOutcome> {
    const data = event.data;
    const { modelName } = this.settings;
    context.annotate({ [ATTR_DATASET_ID]: data.datasetId });
    const skipped = (reason: string): StepOutcome => {
      monitorMetrics.batches.inc({ outcome: 'skipped' });
      return { outputs: [], artifacts: [], lineage: [], record: { inputRef: data.silverKey, status: 'skipped', details: { modelName, datasetId: data.datasetId, reason } } };
    };

    const state = await this.ports.state.current();
    const champion = await championInForce(state, this.ports.registry, modelName);
    if (!champion) return skipped(`${modelName} has no champion yet`);
    if (data.rows === 0) return skipped('the batch has no rows');
    context.annotate({ [ATTR_MODEL_VERSION]: champion.version, 'flowsentry.model_name': modelName });

    const loaded = await this.ports.champions.load(champion, context.heartbeat);
    monitorMetrics.championVersion.set({ model: modelName }, Number(champion.version) || 0);
    const rows = await readSilverBatch(this.ports.objects, { key: data.silverKey, sha256: data.sha256 });
    await context.heartbeat();

    const missing = missingModelColumns(rows, loaded.model.spec);
    const scored = missing.length === 0 ? await this.score(loaded, rows) : undefined;
    const threshold = loaded.model.threshold;
    const alertRate = scored ? countAbove(scored.scores, threshold) / rows.rowCount : null;
    // Drift is measured on the flows the champion takes for normal: see driftSample.
    const sample = scored ? driftSample(scored.scores, threshold) : undefined;
    const quality = judgeBatchQuality(loaded.baseline, rows, { driftShare: this.settings.drift.driftShare, driftRows: sample?.rows });
    const reference = quality.reference.baseline.scores;
    const scoreReport = sample ? scoreDrift(reference.sample.values.filter((v) => v <= threshold), sample.scores, { psiThreshold: this.settings.drift.scorePsi }) : undefined;

    const refs = batchReportRefs(modelName, champion.version, data.datasetId);
    const report = driftDocument(
      { modelName, championVersion: champion.version, datasetId: data.datasetId, silverKey: data.silverKey },
      { stream: quality.reference.stream, rows: reference.rows },
      { rows: quality.drift.batchRows, anomaliesLeftOut: rows.rowCount - quality.drift.batchRows },
      quality.drift,
      scoreDriftSection(scoreReport, { psiThreshold: this.settings.drift.scorePsi, threshold, baselineAlertRate: reference.alertRate, alertRate }),
    );
    const violationsObject = await this.ports.objects.put(refs.violations, Buffer.from(`${JSON.stringify({ violations: quality.violations }, null, 2)}\n`), 'application/json');
    const driftObject = await this.ports.objects.put(refs.drift, serializeDrift(report), 'application/json');

    const anomalies = scored
      ? anomalyOutputs({
          datasetId: data.datasetId,
          silverKey: data.silverKey,
          modelName,
          modelVersion: champion.version,
          threshold,
          spec: loaded.model.spec,
          featureNames: loaded.model.featureNames,
          typical: loaded.typical,
          explainer: loaded.explainer,
          rows,
          matrix: scored.matrix,
          scores: scored.scores,
        })
      : { outputs: [], unemittable: 0 };

    const scorePsi = scoreReport?.status === 'tested' ? scoreReport.psi!.psi : null;
    const verdict = judgeDrift(
      state?.drift ?? NO_DRIFT,
      {
        datasetId: data.datasetId,
        stream: streamOf(rows) ?? UNKNOWN_STREAM,
        rows: quality.drift.batchRows,
        eventTimeMs: data.maxEventTime ? Date.parse(data.maxEventTime) : null,
        driftShare: quality.drift.statisticalChecks ? quality.drift.driftShare : null,
        scorePsi,
      },
      this.settings.drift,
    );
    const drift = verdict.kind === 'raise' ? this.driftDetected(champion, data.datasetId, data.minEventTime, formatRef(refs.drift), quality.drift, scorePsi, verdict) : undefined;

    this.raiseAlerts(champion, data.datasetId, quality, drift, formatRef(refs.violations));
    this.observe(quality, verdict, scorePsi, alertRate, anomalies.outputs.length, anomalies.unemittable, drift);

    const reportKeys = { violations: formatRef(refs.violations), drift: formatRef(refs.drift) };
    return {
      outputs: [...anomalies.outputs, ...(drift ? [drift] : [])],
      artifacts: [artifact(refs.violations, violationsObject), artifact(refs.drift, driftObject)],
      lineage: [
        { parentRef: data.silverKey, childRef: reportKeys.violations, relation: 'checked' },
        { parentRef: data.silverKey, childRef: reportKeys.drift, relation: 'checked' },
        { parentRef: champion.onnxKey, childRef: reportKeys.drift, relation: 'scored-with' },
      ],
      record: {
        inputRef: data.silverKey,
        details: {
          modelName,
          championVersion: champion.version,
          datasetId: data.datasetId,
          rows: rows.rowCount,
          anomalies: anomalies.outputs.length,
          ...(anomalies.unemittable > 0 ? { unemittable: anomalies.unemittable } : {}),
          ...(missing.length > 0 ? { notScored: `the batch lacks model columns ${missing.join(', ')}` } : {}),
          alertRate,
          scorePsi,
          driftShare: quality.drift.driftShare,
          reference: quality.reference.stream ?? 'all training rows',
          violations: quality.violations.length,
          dataQualityViolations: quality.dataQuality.length,
          drift: { verdict: verdict.kind, streak: verdict.streak, ...(verdict.kind === 'cooling-down' ? { until: new Date(verdict.until).toISOString() } : {}) },
          ...(drift ? { driftDetected: drift.id } : {}),
          reports: reportKeys,
          ...(champion.source === 'registry' && !state ? { champion: 'from the registry (no champion.changed handled yet)' } : {}),
        },
      },
      persist: (em) => this.ports.state.save(em, { champion, drift: verdict.state }, state?.revision ?? null),
    };
  }

  private async score(champion: LoadedChampion, rows: Parameters<typeof featureMatrixOf>[0]) {
    const started = performance.now();
    const matrix = featureMatrixOf(rows, champion.model.spec);
    const { scoreSamples } = await champion.scorer.score(matrix);
    const scores = anomalyScores(scoreSamples);
    monitorMetrics.scoringSeconds.observe((performance.now() - started) / 1000);
    monitorMetrics.scoredRows.inc(matrix.rows);
    return { matrix, scores };
  }

  private driftDetected(
    champion: MonitoredChampion,
    datasetId: string,
    minEventTime: string | undefined,
    reportKey: string,
    report: DriftReport,
    scorePsi: number | null,
    verdict: Extract<DriftVerdict, { kind: 'raise' }>,
  ): StepOutput<typeof Topics.driftDetected> {
    const { modelName, version } = champion;
    return {
      topic: Topics.driftDetected,
      id: deterministicId('drift.detected', modelName, version, datasetId),
      key: modelName,
      subject: `${modelName}/${version}`,
      data: {
        modelName,
        championVersion: version,
        datasetId,
        reportKey,
        severity: verdict.severity,
        driftedFeatures: driftedFeatures(report, scorePsi, this.settings.drift.scorePsi),
        reason: `${verdict.reason} (champion v${version}; batches ${verdict.datasets.join(', ')})`,
        ...(minEventTime ? { regimeSince: minEventTime } : {}),
      },
    };
  }

  private raiseAlerts(champion: MonitoredChampion, datasetId: string, quality: BatchQuality, drift: StepOutput<typeof Topics.driftDetected> | undefined, violationsKey: string): void {
    const { modelName, version } = champion;
    if (drift) {
      const d = drift.data;
      this.ports.alerts.raise({
        kind: 'drift',
        severity: d.severity,
        key: `drift:${modelName}:${version}`,
        title: `Drift in ${modelName} v${version}: ${d.reason}`,
        details: { modelName, championVersion: version, datasetId, reportKey: d.reportKey, driftedFeatures: d.driftedFeatures.map((f) => f.feature), eventId: drift.id },
      });
    }
    if (quality.dataQuality.length >= this.settings.violationAlertMin) {
      const problems = [...new Set(quality.dataQuality.map((v) => `${v.constraint_check_type}:${v.feature_name}`))].sort();
      const breaking = quality.dataQuality.some((v) => v.constraint_check_type === 'missing_column_check' || v.constraint_check_type === 'data_type_check');
      this.ports.alerts.raise({
        kind: 'data-quality',
        severity: breaking ? 'high' : 'medium',
        // The problem, not the batch: the same broken column on every batch is one alert per de-duplication window.
        key: `data-quality:${modelName}:${version}:${problems.join(',')}`,
        title: `Data quality: ${quality.dataQuality.length} violation(s) in ${datasetId} against ${modelName} v${version} (${summarize(quality.dataQuality)})`,
        details: { modelName, championVersion: version, datasetId, reportKey: violationsKey, violations: quality.dataQuality },
      });
    }
  }

  private observe(quality: BatchQuality, verdict: DriftVerdict, scorePsi: number | null, alertRate: number | null, anomalies: number, unemittable: number, drift: StepOutput | undefined): void {
    const m = monitorMetrics;
    m.batches.inc({ outcome: 'checked' });
    for (const column of quality.drift.columns) {
      if (column.status !== 'tested') continue;
      if (column.statistic !== undefined && Number.isFinite(column.statistic)) m.featureDrift.set({ feature: column.name, test: column.test ?? 'none' }, column.statistic);
      m.featureDrifted.set({ feature: column.name }, column.drifted ? 1 : 0);
    }
    if (quality.drift.statisticalChecks) m.driftShare.set(quality.drift.driftShare);
    if (scorePsi !== null) m.scorePsi.set(scorePsi);
    if (alertRate !== null) {
      m.alertRate.set(alertRate);
      m.alertRateByBatch.observe(alertRate);
    }
    m.driftStreak.set(verdict.streak);
    m.anomalies.inc(anomalies);
    if (unemittable > 0) m.unemittable.inc(unemittable);
    for (const v of quality.violations) m.violations.inc({ check: v.constraint_check_type });
    m.batchViolations.set(quality.dataQuality.length);
    if (drift) m.driftDetected.inc({ severity: (drift as StepOutput<typeof Topics.driftDetected>).data.severity });
  }
}

/**
 * The flows a batch's drift is measured on: those the champion does not flag (score at or below
 * its threshold), with their scores. Drift asks whether the traffic the model calls normal still
 * looks like what it learnt; the flows it flags are attacks or oddities, which it already handles
 * (anomalies.detected). Left in, an attack episode (a SYN flood is 90 % of its batches) reads as
 * drift, and the retrain it would ask for would teach the next champion the attack as normal.
 */
export function driftSample(scores: ArrayLike<number>, threshold: number): { rows: number[]; scores: Float64Array } {
  const rows: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! <= threshold) rows.push(i);
  return { rows, scores: Float64Array.from(rows, (i) => scores[i]!) };
}

/**
 * drift.detected's driftedFeatures, each statistic with the threshold it is compared with: for a
 * p-value test (KS, chi-square) the p-value against α, for a distance the distance against its
 * cut-off; a missing column or one whose type changed counts fully (1 against 0). The anomaly
 * score joins them when its PSI crossed its own threshold.
 */
export function driftedFeatures(report: DriftReport, scorePsi: number | null, psiThreshold: number): DriftedFeature[] {
  const features: DriftedFeature[] = report.columns
    .filter((c) => c.drifted)
    .map((c) => {
      if (c.status !== 'tested') return { feature: c.name, test: c.status, statistic: 1, threshold: 0 };
      const pValue = c.thresholdKind === 'p_value';
      const statistic = pValue ? c.pValue! : c.statistic!;
      return { feature: c.name, test: pValue ? `${c.test}_p_value` : c.test!, statistic: Number.isFinite(statistic) ? statistic : Number.MAX_VALUE, threshold: c.threshold! };
    });
  if (scorePsi !== null && scorePsi >= psiThreshold) features.push({ feature: SCORE_FEATURE, test: 'psi', statistic: scorePsi, threshold: psiThreshold });
  return features;
}

function summarize(violations: readonly MonitorViolation[]): string {
  const counts = new Map<string, number>();
  for (const v of violations) counts.set(v.constraint_check_type, (counts.get(v.constraint_check_type) ?? 0) + 1);
  return [...counts.entries()].map(([check, n]) => `${check} ×${n}`).join(', ');
}

function artifact(ref: ObjectRef, stored: { sha256: string; size: number }) {
  return { ref: formatRef(ref), layer: ref.layer, sha256: stored.sha256, sizeBytes: stored.size, contentType: 'application/json' };
}
