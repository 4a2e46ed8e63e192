/** Keys whose values are credentials wherever they appear in a log record. */
export const SECRET_KEYS = [
  'password',
  'passwd',
  'secret',
  'secretKey',
  'secret_key',
  'secretAccessKey',
  'accessKey',
  'access_key',
  'accessKeyId',
  'authorization',
  'Authorization',
  'token',
  'accessToken',
  'refreshToken',
  'apiKey',
  'api_key',
  'PGPASSWORD',
  'MINIO_ROOT_PASSWORD',
  'MINIO_SECRET_KEY',
  'MINIO_ACCESS_KEY',
  'KAFKA_SASL_PASSWORD',
] as const;

/**
 * pino redact paths for SECRET_KEYS at the top level and up to two objects deep
 * (`{ db: { password } }`, `{ config: { minio: { secretKey } } }`). Deeper nesting is not
 * covered, and a secret inside a string (a connection URL) is not seen at all, so configuration
 * is logged field by field, never as a raw URL.
 */
export const REDACTED_PATHS: string[] = SECRET_KEYS.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export const REDACTION_CENSOR = '[redacted]';
