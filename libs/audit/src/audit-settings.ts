import { env, loadConfig } from '@flowsentry/config';

export interface AuditSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  poolSize: number;
}

/** libpq's variable names, so psql and the services read the same environment. */
export function auditSettingsFromEnv(source: Record<string, string | undefined> = process.env): AuditSettings {
  const cfg = loadConfig(
    {
      PGHOST: env.string('127.0.0.1'),
      PGPORT: env.int(5432, 1, 65535),
      PGDATABASE: env.string('flowsentry'),
      PGUSER: env.string(),
      PGPASSWORD: env.secret(),
      PG_POOL_SIZE: env.int(5, 1, 100),
    },
    source,
  );
  return { host: cfg.PGHOST, port: cfg.PGPORT, database: cfg.PGDATABASE, user: cfg.PGUSER, password: cfg.PGPASSWORD, poolSize: cfg.PG_POOL_SIZE };
}
