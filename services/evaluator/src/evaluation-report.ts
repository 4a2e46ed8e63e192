import { AnomalyAlgorithm } from '@flowsentry/ml';
import { EngineAgreement } from './engine-agreement';
import { ChampionAgreement, LabelledMetrics, UnlabelledMetrics } from './holdout-metrics';
import { Decision, PolicyName } from './promotion-policy';
import { GateResult } from './sanity-gates';

export const REPORT_FORMAT = 'flowsentry.evaluation-report/1';

/** One model scored on the held-out rows. */
export interface ModelEvaluation {
  version: string;
  /** Absent in reports written before other algorithms existed: those judged isolation forests. */
  algorithm?: AnomalyAlgorithm;
  onnxKey: string;
  sha256: string;
  /** Alert threshold on the anomaly score (−score_samples). */
  threshold: number;
  targetAlertRate: number | null;
  unlabelled: UnlabelledMetrics;
  labelled?: LabelledMetrics;
  /** Downsampled ROC (fpr, tpr) and PR (recall, precision) points, when labelled. */
  curves?: { roc: Array<[number, number]>; pr: Array<[number, number]> };
}

/**
 * eval/<name>/<version>/report.json: everything the decision rests on, and nothing that varies
 * between two runs on the same input (no clock, no timings), so a re-run after a crash writes the
 * same bytes and the write-once store accepts them. The HTML report is rendered from this alone.
 */
export interface EvaluationReport {
  format: typeof REPORT_FORMAT;
  modelName: string;
  version: string;
  policy: PolicyName;
  decision: Decision;
  reason: string;
  gates: GateResult[];
  holdout: {
    rows: number;
    datasets: Array<{ key: string; sha256: string; rows: number }>;
    labelled: boolean;
    attackTypes: Record<string, number>;
  };
  agreement: EngineAgreement & { tolerance: number };
  challenger: ModelEvaluation;
  /** null: no champion; `unscored`: there is one but it could not be scored on these rows. */
  champion: ModelEvaluation | { version: string; unscored: string } | null;
  comparison: { primaryMetric: 'rocAuc' | null; tolerance: number; agreement?: ChampionAgreement };
  /** Anomaly-score histograms on shared bin edges. */
  histogram: { edges: number[]; challenger: number[]; champion?: number[] };
  /** The flat figures `eval.done` and the registry carry. */
  metrics: Record<string, number>;
  championMetrics?: Record<string, number>;
  settings: { fpr: number; topK: number; agreementSample: number; maxAlertRateFactor: number };
}

export function isScored(champion: EvaluationReport['champion']): champion is ModelEvaluation {
  return champion !== null && !('unscored' in champion);
}

/** The figures of one model that fit a flat `Record<string, number>` (non-finite values left out: JSON has none). */
export function flatMetrics(model: ModelEvaluation, extra: Record<string, number | undefined> = {}): Record<string, number> {
  const out: Record<string, number | undefined> = {
    holdoutRows: model.unlabelled.distribution.count,
    alertRate: model.unlabelled.alertRate,
    normalAlertRate: model.unlabelled.normalAlertRate,
    scoreMean: model.unlabelled.distribution.mean,
    scoreP99: model.unlabelled.distribution.quantiles.p99,
  };
  const labelled = model.labelled;
  if (labelled) {
    Object.assign(out, {
      rocAuc: labelled.rocAuc,
      averagePrecision: labelled.averagePrecision,
      precisionAtK: labelled.precisionAtK,
      recallAtFpr: labelled.recallAtFpr,
      recallAtThreshold: labelled.atThreshold.recall,
    });
    for (const [attack, m] of Object.entries(labelled.perAttack)) out[`rocAuc.${attack}`] = m.rocAuc;
  }
  Object.assign(out, extra);
  return Object.fromEntries(Object.entries(out).filter((entry): entry is [string, number] => typeof entry[1] === 'number' && Number.isFinite(entry[1])));
}

export function serializeReport(report: EvaluationReport): Buffer {
  return Buffer.from(`${JSON.stringify(report, null, 2)}\n`);
}
