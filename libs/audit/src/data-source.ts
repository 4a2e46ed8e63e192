import { DataSource } from 'typeorm';
import { AuditSettings } from './audit-settings';
import { AUDIT_ENTITIES } from './entities';
import { AUDIT_MIGRATIONS } from './migrations';

/** Schema changes only through migrations: `synchronize` would let an entity edit alter production tables. */
export function createAuditDataSource(settings: AuditSettings, applicationName: string): DataSource {
  return new DataSource({
    type: 'postgres',
    host: settings.host,
    port: settings.port,
    database: settings.database,
    username: settings.user,
    password: settings.password,
    entities: AUDIT_ENTITIES,
    migrations: AUDIT_MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: ['error'],
    applicationName,
    extra: { max: settings.poolSize, connectionTimeoutMillis: 5000 },
  });
}
