import { FeatureRecipe } from './feature-spec';

/**
 * Default features for NetworkEvent v1 flows (17 columns). Field names are NetworkEvent's; the spec
 * type check against the contract lives in network-event-features.spec.ts because libs/ml may only
 * depend on contract types.
 */
export const NETWORK_EVENT_FEATURES: readonly FeatureRecipe[] = [
  { kind: 'numeric', name: 'log_bytes_in', field: 'bytes_in', transform: 'log1p' },
  { kind: 'numeric', name: 'log_bytes_out', field: 'bytes_out', transform: 'log1p' },
  { kind: 'numeric', name: 'log_packets_in', field: 'packets_in', transform: 'log1p' },
  { kind: 'numeric', name: 'log_packets_out', field: 'packets_out', transform: 'log1p' },
  { kind: 'numeric', name: 'log_duration_ms', field: 'duration_ms', transform: 'log1p' },
  // Ports stay raw: the ephemeral range (≥ 49152) versus well-known ports is itself a useful split.
  { kind: 'numeric', name: 'src_port', field: 'src_port', transform: 'identity' },
  { kind: 'numeric', name: 'dst_port', field: 'dst_port', transform: 'identity' },
  { kind: 'ratio', name: 'log_bytes_per_packet_in', numerator: ['bytes_in'], denominator: ['packets_in'], transform: 'log1p' },
  { kind: 'ratio', name: 'log_bytes_per_packet_out', numerator: ['bytes_out'], denominator: ['packets_out'], transform: 'log1p' },
  // Share of traffic sent by the responder: exfiltration and scans sit at the two ends of [0, 1].
  { kind: 'ratio', name: 'bytes_out_share', numerator: ['bytes_out'], denominator: ['bytes_in', 'bytes_out'], transform: 'identity' },
  { kind: 'ratio', name: 'log_bytes_per_ms', numerator: ['bytes_in', 'bytes_out'], denominator: ['duration_ms'], transform: 'log1p' },
  { kind: 'hour-of-day', name: 'hour_of_day_utc', field: 'ts' },
  // A fixed protocol vocabulary keeps the column layout stable across retrainings; rarer protocols share `other`.
  { kind: 'one-hot', name: 'protocol', field: 'protocol', vocabulary: ['tcp', 'udp', 'icmp'] },
  { kind: 'ordinal', name: 'conn_state', field: 'conn_state', maxCategories: 16 },
];
