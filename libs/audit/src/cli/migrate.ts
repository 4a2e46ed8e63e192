import 'reflect-metadata';
import { auditSettingsFromEnv } from '../audit-settings';
import { createAuditDataSource } from '../data-source';

/** `npm run migrate`: applies pending migrations as the schema owner (PG* env vars). */
async function main(): Promise<void> {
  const ds = createAuditDataSource(auditSettingsFromEnv(), 'flowsentry-migrate');
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    console.log(applied.length ? `migrations applied: ${applied.map((m) => m.name).join(', ')}` : 'migrations: schema is up to date');
  } finally {
    await ds.destroy();
  }
}

main().catch((err) => {
  console.error(`migrate: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
