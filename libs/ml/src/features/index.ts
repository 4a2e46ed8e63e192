export { FeaturePipeline, FeatureSpecError } from './feature-pipeline';
export { featureMatrix } from './feature-matrix';
export type { FeatureMatrix } from './feature-matrix';
export { featureFields, featureNames, FEATURE_SPEC_VERSION, OTHER_CATEGORY, MISSING_ORDINAL } from './feature-spec';
export type {
  FeatureSpec,
  FeatureRecipe,
  FittedFeature,
  FlowRecord,
  NumericTransform,
  NumericRecipe,
  RatioRecipe,
  HourOfDayRecipe,
  OneHotRecipe,
  OrdinalRecipe,
} from './feature-spec';
export { fitFeatureSpec, DEFAULT_MAX_CATEGORIES } from './fit-feature-spec';
export { NETWORK_EVENT_FEATURES } from './network-event-features';
