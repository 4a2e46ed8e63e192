export * from './ranking';
export * from './roc';
export * from './average-precision';
export * from './precision-at-k';
export * from './threshold';
export * from './score-summary';
