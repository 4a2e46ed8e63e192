import { FeaturePipeline, FeatureSpec, FEATURE_SPEC_VERSION, featureNames, NETWORK_EVENT_FEATURES } from '@flowsentry/ml';

/**
 * The per-flow features libs/ml builds, minus the ones that must be fitted on training data
 * (conn_state's ordinal vocabulary: SILVER keeps conn_state as its string column and the model
 * fits its own encoding) and the ones that are an event column as it is (src_port, dst_port). `fill` is required by the spec but never used here: every field these
 * recipes read is required and finite in a validated NetworkEvent, and ratios divide by at least 1.
 */
const SILVER_FLOW_SPEC: FeatureSpec = {
  version: FEATURE_SPEC_VERSION,
  features: NETWORK_EVENT_FEATURES.filter((recipe) => recipe.kind !== 'ordinal' && !(recipe.kind === 'numeric' && recipe.transform === 'identity' && recipe.name === recipe.field)).map((recipe) =>
    recipe.kind === 'one-hot' ? { ...recipe, vocabulary: recipe.vocabulary ?? [] } : { ...recipe, fill: 0 },
  ) as FeatureSpec['features'],
};

export const flowFeaturePipeline = FeaturePipeline.fromSpec(SILVER_FLOW_SPEC);
export const FLOW_FEATURE_COLUMNS: readonly string[] = featureNames(SILVER_FLOW_SPEC).map(columnName);

/** `protocol=tcp` is a fine feature name but an awkward SQL column: SILVER spells it `protocol_tcp`. */
function columnName(feature: string): string {
  return feature.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
}
