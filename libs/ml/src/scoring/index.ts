export { OnnxScorer, OnnxScorerError } from './onnx-scorer';
export { ScoringWorkerError } from './scoring-worker-pool';
export type { OnnxScorerOptions } from './onnx-scorer';
export { referenceScore } from './reference-score';
export type { ForestScores } from './forest-scores';
export { INLIER, OUTLIER } from './forest-scores';
