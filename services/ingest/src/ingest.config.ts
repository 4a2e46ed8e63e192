import { auditSettingsFromEnv } from '@flowsentry/audit';
import { ConfigError, env, loadConfig } from '@flowsentry/config';
import { kafkaSettingsFromEnv } from '@flowsentry/messaging';
import { storageSettingsFromEnv } from '@flowsentry/storage';

export const INGEST_CONFIG = 'flowsentry.ingest.config';

export const ingestConfigShape = {
  HOST: env.string('127.0.0.1'),
  PORT: env.int(8081, 0, 65535),
  INGEST_GROUP_ID: env.string('flowsentry-ingest'),
  INGEST_BATCH_MAX_EVENTS: env.int(5000, 1, 1_000_000),
  INGEST_BATCH_MAX_BYTES: env.int(4 * 1024 * 1024, 1024, 256 * 1024 * 1024),
  INGEST_BATCH_MAX_WAIT_MS: env.int(2000, 10, 600_000),
  /** zlib level of RAW objects: 3 compresses ~9x at ~2x the speed of the default 6 (~11x) on flow JSON. */
  INGEST_RAW_GZIP_LEVEL: env.int(3, 1, 9),
  /** Larger events are rejected to the DLQ: a flow record is a few hundred bytes. */
  INGEST_MAX_EVENT_BYTES: env.int(64 * 1024, 256, 1024 * 1024),
};

export type IngestConfig = ReturnType<typeof loadIngestConfig>;

/**
 * Everything ingest reads from its environment, validated before anything starts; problems from
 * every part (service, Kafka, MinIO, PostgreSQL) are reported together in one ConfigError.
 */
export function loadIngestConfig(source: Record<string, string | undefined> = process.env) {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const service = attempt(() => loadConfig(ingestConfigShape, source));
  const kafka = attempt(() => kafkaSettingsFromEnv('flowsentry-ingest', source));
  const storage = attempt(() => storageSettingsFromEnv(source));
  const audit = attempt(() => auditSettingsFromEnv(source));
  if (!service || !kafka || !storage || !audit) throw new ConfigError(problems);
  return { ...service, kafka, storage, audit };
}
