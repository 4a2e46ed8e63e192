import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The monitor's own state: per consumer group and watched model name, the champion it scores
 * with (as champion.changed or, before any, the registry named it) and the drift rule's memory
 * for that champion (per source stream, the run of drifted batches; the event time of the last
 * drift.detected).
 * Written in each step's transaction, conditionally on `revision`, so a decision is never made on
 * state another delivery has moved meanwhile.
 */
export class Monitor1765152000000 implements MigrationInterface {
  name = 'Monitor1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE monitor_champions (
        consumer_group       text NOT NULL,
        model_name           text NOT NULL,
        version              text NOT NULL,
        onnx_ref             text NOT NULL,
        sha256               char(64) NOT NULL,
        metadata_ref         text NOT NULL,
        changed_at           timestamptz NOT NULL,
        source               text NOT NULL CHECK (source IN ('champion.changed','registry')),
        drift_streaks        jsonb NOT NULL DEFAULT '{}'::jsonb,
        drift_raised_at      timestamptz,
        drift_raised_dataset text,
        revision             bigint NOT NULL DEFAULT 0,
        updated_at           timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, model_name)
      )`);
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowsentry_monitor') THEN
          GRANT SELECT, INSERT, UPDATE ON monitor_champions TO flowsentry_monitor;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowsentry_cli') THEN
          GRANT SELECT ON monitor_champions TO flowsentry_cli;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS monitor_champions`);
  }
}
