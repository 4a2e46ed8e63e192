export { OnnxScorer, OnnxScorerError } from './onnx-scorer';
export type { OnnxScorerOptions } from './onnx-scorer';
export { ForestKernelScorer } from './forest-kernel-scorer';
export type { ForestKernelScorerOptions } from './forest-kernel-scorer';
export { ForestKernelError } from './kernel/perfect-forest';
export { ScoringWorkerError } from './scoring-worker-pool';
export { referenceScore } from './reference-score';
export type { ForestScores } from './forest-scores';
export { INLIER, OUTLIER } from './forest-scores';
