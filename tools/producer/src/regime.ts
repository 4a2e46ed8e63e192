import type { ProfileName } from './profiles/profile';

/**
 * The traffic regime in force: the baseline, or the drifted one that follows the drift point.
 * The drift is the kind a model actually meets after deployment: a new app mix (more web,
 * cloud uploads), larger transfers, and a protocol that was rare before (QUIC over udp/443)
 * taking a real share of web traffic. All of it is normal traffic and labelled "normal".
 */
export interface Regime {
  drifted: boolean;
  /** Multiplies download and file-transfer sizes. */
  transferScale: number;
  /** Share of web flows carried over QUIC (udp/443) instead of TLS over TCP. */
  quicShare: number;
  /** Share of web flows that are bulk uploads to cloud storage. */
  cloudUploadShare: number;
  /** Multiplies the weight of each profile in the human-driven mix. */
  humanMixBoost: Partial<Record<ProfileName, number>>;
}

export const BASELINE: Regime = {
  drifted: false,
  transferScale: 1,
  quicShare: 0.01,
  cloudUploadShare: 0.005,
  humanMixBoost: {},
};

export const DRIFTED: Regime = {
  drifted: true,
  transferScale: 3,
  quicShare: 0.35,
  cloudUploadShare: 0.06,
  humanMixBoost: { web: 1.6, mail: 0.5, internal: 0.7 },
};
