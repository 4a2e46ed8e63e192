import { StandardScaling } from '../preprocessing/standard-scaling';

/** Parameters after resolution against the training data (what was used, not what was asked for). */
export interface LocalOutlierFactorParams {
  /** sklearn's `n_neighbors_`: min(nNeighbors, training rows − 1). */
  readonly nNeighbors: number;
  readonly contamination: 'auto' | number;
  /** Training rows kept (all of them unless maxSamples capped it). */
  readonly maxSamples: number;
  readonly scaling: 'none' | 'standard';
  readonly seed: number;
}

/**
 * LOF in novelty mode (sklearn's `LocalOutlierFactor(novelty=True)`): the training rows themselves,
 * with each one's k-distance and local reachability density, are the model. Scoring a row finds its
 * k nearest training rows; nothing about the training rows changes.
 */
export interface LocalOutlierFactorModel {
  readonly algorithm: 'local-outlier-factor';
  readonly nFeatures: number;
  readonly params: LocalOutlierFactorParams;
  /** Applied to every row before distances; null for params.scaling 'none'. */
  readonly scaling: StandardScaling | null;
  /** Training rows after scaling, row-major float64. */
  readonly training: Float64Array;
  /** Distance of each training row to its k-th nearest other training row (sklearn's `_distances_fit_X_[:, k-1]`). */
  readonly kDistance: Float64Array;
  /** Local reachability density of each training row (sklearn's `_lrd`). */
  readonly lrd: Float64Array;
  /** sklearn's `offset_`: −1.5 for contamination 'auto', else the contamination quantile of the training rows' scores. */
  readonly offset: number;
}
