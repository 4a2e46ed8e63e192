import { FeatureRecipe } from '@flowsentry/ml';

/**
 * What the model reads from SILVER, per SILVER feature version. The version string says what the
 * columns are (`f1.w1-1m-10m`: schema f1, window features w1 over 1 min and 10 min), so the
 * trainer builds its recipes from it instead of asking each file for its schema; a version this
 * table does not know is not trained on (a newer transform needs a trainer that knows its columns).
 *
 * Choices, all made for isolation trees, which split uniformly between a node's min and max:
 * - per-flow columns transform already computed (log_* counters, ratios, protocol one-hots) are
 *   taken as they are: the scale work is done, and SILVER and the model cannot disagree on it;
 * - hour_of_day_utc is left out: a window of a few hours covers a few hours of the day, and every
 *   flow at another hour would then be isolated by its hour alone;
 * - src_port / dst_port as numbers: well-known versus ephemeral ports is itself a useful split;
 * - conn_state as an ordinal fitted on the training rows (most frequent first, so rare states sit
 *   at the end of the code range where one split isolates them);
 * - window counts through log1p (a scanner's thousands of flows would otherwise take every split),
 *   shares, coefficients of variation and inter-arrival means as they are (bounded: shares by 1,
 *   gaps by the window length); a missing window value (no gap yet) takes the training median.
 */
const SILVER_SCHEMA = 'f1';
const WINDOW_FEATURES = 'w1';

const FLOW_COLUMNS_F1 = [
  'log_bytes_in',
  'log_bytes_out',
  'log_packets_in',
  'log_packets_out',
  'log_duration_ms',
  'log_bytes_per_packet_in',
  'log_bytes_per_packet_out',
  'bytes_out_share',
  'log_bytes_per_ms',
  'protocol_tcp',
  'protocol_udp',
  'protocol_icmp',
  'protocol_other',
] as const;

/** Per window `<w>`: the source's columns, then the source→destination pair's (services/transform/docs/WINDOW-FEATURES.md). */
const WINDOW_COLUMNS_W1: ReadonlyArray<readonly [prefix: string, transform: 'log1p' | 'identity']> = [
  ['src_conn_count', 'log1p'],
  ['src_distinct_dst_hosts', 'log1p'],
  ['src_distinct_dst_ports', 'log1p'],
  ['src_failed_share', 'identity'],
  ['src_bytes_out_share', 'identity'],
  ['src_small_flow_share', 'identity'],
  ['src_iat_mean_s', 'identity'],
  ['src_iat_cv', 'identity'],
  ['pair_conn_count', 'log1p'],
  ['pair_iat_mean_s', 'identity'],
  ['pair_iat_cv', 'identity'],
];

/** At most this many conn_state values get their own code; the rest share "unknown". Zeek has 13 states. */
const MAX_CONN_STATES = 16;

export class UnsupportedFeatureVersionError extends Error {
  override readonly name = 'UnsupportedFeatureVersionError';
}

/** The model's recipes for SILVER of `featureVersion`; throws for a version the trainer does not know. */
export function modelRecipes(featureVersion: string): FeatureRecipe[] {
  const windows = windowNames(featureVersion);
  const numeric = (field: string, transform: 'log1p' | 'identity'): FeatureRecipe => ({ kind: 'numeric', name: transform === 'log1p' ? `log1p_${field}` : field, field, transform });
  return [
    ...FLOW_COLUMNS_F1.map((column) => numeric(column, 'identity')),
    numeric('src_port', 'identity'),
    numeric('dst_port', 'identity'),
    { kind: 'ordinal', name: 'conn_state', field: 'conn_state', maxCategories: MAX_CONN_STATES },
    ...windows.flatMap((w) => WINDOW_COLUMNS_W1.map(([prefix, transform]) => numeric(`${prefix}_${w}`, transform))),
  ];
}

/** The SILVER columns the model's recipes read, sorted. */
export function modelColumns(featureVersion: string): string[] {
  const fields = new Set<string>();
  for (const recipe of modelRecipes(featureVersion)) {
    if (recipe.kind === 'ratio') for (const field of [...recipe.numerator, ...recipe.denominator]) fields.add(field);
    else fields.add(recipe.field);
  }
  return [...fields].sort();
}

export function supportsFeatureVersion(featureVersion: string): boolean {
  try {
    windowNames(featureVersion);
    return true;
  } catch {
    return false;
  }
}

/** `f1.w1-1m-10m` → ['1m', '10m']. */
function windowNames(featureVersion: string): string[] {
  const match = new RegExp(`^${SILVER_SCHEMA}\\.${WINDOW_FEATURES}-([a-z0-9]+(?:-[a-z0-9]+)*)$`).exec(featureVersion);
  if (!match) throw new UnsupportedFeatureVersionError(`SILVER feature version '${featureVersion}' is not one the trainer knows (expected ${SILVER_SCHEMA}.${WINDOW_FEATURES}-<windows>)`);
  return match[1]!.split('-');
}
