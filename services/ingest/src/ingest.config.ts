import { env } from '@flowsentry/config';
import { loadServiceConfig } from '@flowsentry/runtime';

export const ingestConfigShape = {
  HOST: env.string('127.0.0.1'),
  PORT: env.int(8081, 0, 65535),
  INGEST_GROUP_ID: env.string('flowsentry-ingest'),
  INGEST_BATCH_MAX_EVENTS: env.int(5000, 1, 1_000_000),
  INGEST_BATCH_MAX_BYTES: env.int(4 * 1024 * 1024, 1024, 256 * 1024 * 1024),
  INGEST_BATCH_MAX_WAIT_MS: env.int(2000, 10, 600_000),
  /** zlib level of RAW objects: 3 compresses ~9x at ~2x the speed of the default 6 (~11x) on flow JSON. */
  INGEST_RAW_GZIP_LEVEL: env.int(3, 1, 9),
  /**
   * Worker threads that validate and gzip batches, leaving the main thread to fetching and landing;
   * 0 does it on the main thread. One is enough on two cores: the main thread and the broker need the rest.
   */
  INGEST_ENCODE_WORKERS: env.int(1, 0, 16),
  /** Larger events are rejected to the DLQ: a flow record is a few hundred bytes. */
  INGEST_MAX_EVENT_BYTES: env.int(64 * 1024, 256, 1024 * 1024),
};

export type IngestConfig = ReturnType<typeof loadIngestConfig>;

/** Everything ingest reads from its environment, validated (every problem at once) before anything starts. */
export function loadIngestConfig(source: Record<string, string | undefined> = process.env) {
  return loadServiceConfig('ingest', ingestConfigShape, source);
}
