import { z } from 'zod';
import { env } from '@flowsentry/config';
import { loadServiceConfig, stepSettingsShape } from '@flowsentry/runtime';

const windowLengths = z
  .string()
  .default('60000,600000')
  .transform((v) => v.split(',').map((s) => Number(s.trim())))
  .refine((lengths) => lengths.length > 0 && lengths.length <= 4 && lengths.every((ms) => Number.isInteger(ms) && ms >= 6_000 && ms <= 43_200_000 && ms % 6 === 0), {
    message: 'must be 1 to 4 comma-separated window lengths in ms, each a multiple of 6 between 6000 and 43200000 (12 h)',
  });

export const transformConfigShape = {
  HOST: env.string('127.0.0.1'),
  PORT: env.int(8082, 0, 65535),
  TRANSFORM_GROUP_ID: env.string('flowsentry-transform'),
  /** Trailing event-time windows of the per-source features; part of the feature version, so changing them makes new datasets. */
  TRANSFORM_WINDOWS_MS: windowLengths,
  /**
   * How far back (event time) a re-sent event is still recognised as a duplicate. Producer
   * retries and at-least-once exporters re-send within seconds; two minutes also covers a
   * restarted sensor flushing its buffer, and bounds the in-memory index to two minutes of
   * keys (about 2.4M, ~100 MB, at 20,000 events/s).
   */
  TRANSFORM_DEDUP_HORIZON_MS: env.int(120_000, 0, 86_400_000),
  /**
   * Batches between window checkpoints. A snapshot costs O(active sources) (~250 ms for 2,000 sources
   * and their pairs), a restart replays at most this many RAW batches (~30 ms each): 50 keeps the
   * snapshot under 1 ms per 5,000-row batch on average and a restart within seconds.
   */
  TRANSFORM_CHECKPOINT_EVERY: env.int(50, 1, 1000),
  /**
   * raw.landed partitions handled side by side. Transform's state is per stream, and a stream is one
   * raw.landed partition, so they are independent: 3, the default partition count, overlaps each
   * batch's parsing and encoding with the others' RAW reads, SILVER writes, audit transaction and commit.
   */
  TRANSFORM_CONCURRENT_PARTITIONS: env.int(3, 1, 64),
  /**
   * Worker threads that build SILVER batches (parse, features, statistics, Parquet), each owning the
   * streams it is given; 0 builds them on the main thread. Building is CPU-bound JavaScript, so
   * workers beyond the cores (or beyond the partitions handled side by side) add nothing.
   */
  TRANSFORM_WORKERS: env.int(2, 0, 16),
  /**
   * Build a partition's next batch, when the consumer has already fetched it, while the one before it
   * is stored, recorded and emitted. Used only if the batch before it was recorded as built, so the
   * output is the same with it off; it costs one batch's memory per partition.
   */
  TRANSFORM_READ_AHEAD: env.bool(true),
  ...stepSettingsShape,
};

export type TransformConfig = ReturnType<typeof loadTransformConfig>;

export function loadTransformConfig(source: Record<string, string | undefined> = process.env) {
  return loadServiceConfig('transform', transformConfigShape, source);
}
