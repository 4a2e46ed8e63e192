export { trainOneClassSvm } from './train-one-class-svm';
export type { OneClassSvmOptions } from './train-one-class-svm';
export type { OneClassSvmModel, OneClassSvmParams, OneClassSvmApproximation } from './one-class-svm-model';
export { scoreOneClassSvm } from './score-one-class-svm';
export { LANDMARK_SELECTIONS } from './landmark-selection';
export type { LandmarkSelection } from './landmark-selection';
