export { fitStandardScaling, scaledRows } from './standard-scaling';
export type { StandardScaling, ScalingOption } from './standard-scaling';
export { assertFiniteMatrix, rowIsFinite } from './finite-values';
export { trainingSubsample } from './training-subsample';
