import { env, loadConfig } from '@flowsentry/config';

export interface StorageSettings {
  endpoint: URL;
  accessKey: string;
  secretKey: string;
  bucketPrefix: string;
  region: string;
}

export function storageSettingsFromEnv(source: Record<string, string | undefined> = process.env): StorageSettings {
  const cfg = loadConfig(
    {
      MINIO_ENDPOINT: env.url('http://127.0.0.1:9000'),
      MINIO_ACCESS_KEY: env.secret(),
      MINIO_SECRET_KEY: env.secret(),
      MINIO_REGION: env.string('us-east-1'),
      FLOWSENTRY_BUCKET_PREFIX: env.string(''),
    },
    source,
  );
  return { endpoint: new URL(cfg.MINIO_ENDPOINT), accessKey: cfg.MINIO_ACCESS_KEY, secretKey: cfg.MINIO_SECRET_KEY, bucketPrefix: cfg.FLOWSENTRY_BUCKET_PREFIX, region: cfg.MINIO_REGION };
}
