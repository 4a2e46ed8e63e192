export { trainLocalOutlierFactor, trainLocalOutlierFactorOnThreads, LOF_AUTO_OFFSET } from './train-local-outlier-factor';
export type { LocalOutlierFactorOptions, LocalOutlierFactorThreadOptions } from './train-local-outlier-factor';
export type { LocalOutlierFactorModel, LocalOutlierFactorParams } from './local-outlier-factor-model';
export { scoreLocalOutlierFactor } from './score-local-outlier-factor';
export { LOG_GRID } from './nearest-neighbors';
