import { DriftReport, ScoreDriftReport } from '@flowsentry/ml';

export const DRIFT_FORMAT = 'flowsentry.monitor.drift/1';

/** The score side of a batch: how the champion's anomaly scores and alert rate moved against its training rows. */
export interface ScoreDriftSection {
  status: ScoreDriftReport['status'] | 'not_scored';
  /** PSI of the scores of the batch's unflagged flows against the training scores at or below the threshold (reference-decile bins). */
  psi: number | null;
  psiThreshold: number;
  drifted: boolean;
  severity: ScoreDriftReport['severity'] | null;
  ks: { statistic: number; pValue: number } | null;
  /** Share of the batch above the champion's threshold, and the same share on its training rows. */
  alertRate: number | null;
  baselineAlertRate: number;
  threshold: number;
  bins: { edges: number[]; referenceShares: number[]; batchShares: number[] } | null;
}

/**
 * drift.json: one batch against the champion's baseline (its source stream's training rows, see
 * source-stream.ts): every feature's test and verdict, the dataset drift share, and the score drift. Only facts of the batch, the baseline and the settings
 * go in, never the drift rule's streak: the object is written before the step commits, and a
 * retried step must write the same bytes whatever another batch did to the streak meanwhile.
 */
export interface DriftDocument {
  format: typeof DRIFT_FORMAT;
  modelName: string;
  championVersion: string;
  datasetId: string;
  silverKey: string;
  rows: number;
  /** What the batch was compared with: its source stream's training rows, or all of them (stream null). */
  reference: { stream: string | null; rows: number };
  /** The batch's flows the distributions were compared on: those the champion did not flag. */
  sample: { rows: number; anomaliesLeftOut: number };
  statisticalChecks: boolean;
  driftShare: number;
  driftShareThreshold: number;
  datasetDrift: boolean;
  driftedFeatures: string[];
  features: DriftReport['columns'];
  score: ScoreDriftSection;
}

export function driftDocument(
  ids: { modelName: string; championVersion: string; datasetId: string; silverKey: string },
  reference: DriftDocument['reference'],
  sample: DriftDocument['sample'],
  report: DriftReport,
  score: ScoreDriftSection,
): DriftDocument {
  return {
    format: DRIFT_FORMAT,
    ...ids,
    rows: sample.rows + sample.anomaliesLeftOut,
    reference,
    sample,
    statisticalChecks: report.statisticalChecks,
    driftShare: report.driftShare,
    driftShareThreshold: report.driftShareThreshold,
    datasetDrift: report.datasetDrift,
    driftedFeatures: report.driftedColumns,
    features: report.columns,
    score,
  };
}

export function scoreDriftSection(report: ScoreDriftReport | undefined, settings: { psiThreshold: number; threshold: number; baselineAlertRate: number; alertRate: number | null }): ScoreDriftSection {
  return {
    status: report?.status ?? 'not_scored',
    psi: report?.psi?.psi ?? null,
    psiThreshold: settings.psiThreshold,
    drifted: report?.drifted ?? false,
    severity: report?.severity ?? null,
    ks: report?.ks ? { statistic: report.ks.statistic, pValue: report.ks.pValue } : null,
    alertRate: settings.alertRate,
    baselineAlertRate: settings.baselineAlertRate,
    threshold: settings.threshold,
    bins: report?.psi ? { edges: report.psi.edges, referenceShares: report.psi.referenceShares, batchShares: report.psi.batchShares } : null,
  };
}

export function serializeDrift(doc: DriftDocument): Buffer {
  return Buffer.from(`${JSON.stringify(doc, null, 2)}\n`);
}
