import { mulberry32, reservoirSample, ScoreSummary, summarizeScores } from '@flowsentry/ml';

export const SCORES_FORMAT = 'flowsentry.monitor.baseline-scores/1';

/** Training scores kept for score drift: PSI's deciles and KS are exact on a sample this size, and KS stays in SciPy's exact regime for batches up to 10,000. */
export const SCORE_SAMPLE_CAPACITY = 5000;
export const SCORE_SAMPLE_SEED = 20_251_208;

/**
 * scores.json: the champion's anomaly scores (−score_samples) on its own training rows, the
 * reference the batches' scores are compared with (score drift) and the alert rate the model was
 * fitted for, as measured. Model Monitor has no file for a model's outputs; this one follows its
 * spirit: a summary for people, an exact seeded sample for the tests.
 */
export interface BaselineScores {
  format: typeof SCORES_FORMAT;
  modelName: string;
  version: string;
  threshold: number;
  rows: number;
  /** Share of training rows whose score is above the threshold (≈ the contamination it was fitted with). */
  alertRate: number;
  summary: ScoreSummary;
  sample: { method: 'all' | 'reservoir'; capacity: number; seed: number; values: number[] };
}

export function baselineScores(modelName: string, version: string, threshold: number, scores: Float64Array): BaselineScores {
  const n = scores.length;
  const fits = n <= SCORE_SAMPLE_CAPACITY;
  return {
    format: SCORES_FORMAT,
    modelName,
    version,
    threshold,
    rows: n,
    alertRate: n > 0 ? countAbove(scores, threshold) / n : 0,
    summary: summarizeScores(scores, { threshold }),
    sample: {
      method: fits ? 'all' : 'reservoir',
      capacity: SCORE_SAMPLE_CAPACITY,
      seed: SCORE_SAMPLE_SEED,
      values: fits ? Array.from(scores) : reservoirSample(scores, SCORE_SAMPLE_CAPACITY, mulberry32(SCORE_SAMPLE_SEED)),
    },
  };
}

export function parseBaselineScores(json: string): BaselineScores {
  const doc = JSON.parse(json) as BaselineScores;
  if (doc.format !== SCORES_FORMAT || !Array.isArray(doc.sample?.values) || typeof doc.alertRate !== 'number') {
    throw new Error(`not a ${SCORES_FORMAT} document`);
  }
  return doc;
}

/** Flows that alert: score strictly above the threshold (ONNX label −1 ⇔ decision < 0). */
export function countAbove(scores: ArrayLike<number>, threshold: number): number {
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! > threshold) n++;
  return n;
}
