import { WindowSpec, WINDOW_FEATURES_VERSION } from './windows';

/** Bump when the cleaning, the per-flow columns or the pair columns of SILVER change meaning. */
export const SILVER_SCHEMA_VERSION = 'f1';

/**
 * The feature version is part of a dataset's identity (its id and object key): code that
 * computes different features, or other windows, writes new datasets beside the old ones, which
 * stay intact and readable. Example: `f1.w1-1m-10m`.
 */
export function featureVersion(windows: readonly WindowSpec[]): string {
  return `${SILVER_SCHEMA_VERSION}.${WINDOW_FEATURES_VERSION}-${windows.map((w) => w.name).join('-')}`;
}
