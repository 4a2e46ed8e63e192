import { ConfigError } from '@flowsentry/config';
import { loadIngestConfig } from './ingest.config';

const complete = { MINIO_ACCESS_KEY: 'ingest', MINIO_SECRET_KEY: 's', PGUSER: 'flowsentry_ingest', PGPASSWORD: 'p' };

describe('ingest configuration', () => {
  it('defaults to the local stack and the documented batch limits', () => {
    const cfg = loadIngestConfig(complete);
    expect(cfg).toMatchObject({ PORT: 8081, INGEST_BATCH_MAX_EVENTS: 5000, INGEST_BATCH_MAX_WAIT_MS: 2000, INGEST_RAW_GZIP_LEVEL: 3 });
    expect(cfg.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(cfg.storage.endpoint.toString()).toBe('http://127.0.0.1:9000/');
    expect(cfg.audit).toMatchObject({ host: '127.0.0.1', port: 5432, database: 'flowsentry', user: 'flowsentry_ingest' });
  });

  it('reports problems of every part at once', () => {
    let error: unknown;
    try {
      loadIngestConfig({ INGEST_BATCH_MAX_EVENTS: '0', KAFKA_BROKERS: '', MINIO_ENDPOINT: 'not a url' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    for (const name of ['INGEST_BATCH_MAX_EVENTS', 'MINIO_ENDPOINT', 'MINIO_ACCESS_KEY', 'MINIO_SECRET_KEY', 'PGUSER', 'PGPASSWORD']) expect(text).toMatch(name);
  });
});
