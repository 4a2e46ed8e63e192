import { FeaturePipeline, FeatureSpec, FEATURE_SPEC_VERSION, featureNames, FlowRecord, NETWORK_EVENT_FEATURES } from '@flowsentry/ml';
import type { CleanFlow } from './clean-flows';

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

/** The NetworkEvent fields the SILVER flow features read (checked against the spec when this module loads). */
const INPUT_FIELDS: readonly string[] = ['ts', 'protocol', 'bytes_in', 'bytes_out', 'packets_in', 'packets_out', 'duration_ms'];

for (const feature of SILVER_FLOW_SPEC.features) {
  const fields = feature.kind === 'ratio' ? [...feature.numerator, ...feature.denominator] : [feature.field];
  for (const field of fields) {
    if (!INPUT_FIELDS.includes(field)) throw new Error(`SILVER flow feature ${feature.name} reads ${field}, which flowFeatureRecords does not copy`);
  }
}

/**
 * What flowFeaturePipeline.transform is given for the flows: records of only the fields it reads,
 * all of one shape (the decoded events come in several, by their optional fields), and `ts` as the
 * epoch ms the flow already carries, not the ISO string to parse again. The hour-of-day recipe
 * reads both alike (Date.parse of the string is what tsMs is), so the features are the same
 * numbers, for about a quarter less time in the pipeline.
 */
export function flowFeatureRecords(flows: readonly CleanFlow[]): FlowRecord[] {
  const records = new Array<FlowRecord>(flows.length);
  for (let i = 0; i < flows.length; i++) {
    const flow = flows[i]!;
    const e = flow.event;
    records[i] = { ts: flow.tsMs, protocol: e.protocol, bytes_in: e.bytes_in, bytes_out: e.bytes_out, packets_in: e.packets_in, packets_out: e.packets_out, duration_ms: e.duration_ms };
  }
  return records;
}
