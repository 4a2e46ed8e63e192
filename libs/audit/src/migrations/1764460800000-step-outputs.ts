import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The step runtime's idempotency guard keeps the output event itself (brief §8), so a redelivery
 * after a crash between the database commit and the send re-emits the identical event; and the
 * transform's own state per consumer group (two transform deployments, or a test's two groups,
 * never share it): one row per SILVER batch of a source stream with the keys of its events (the
 * de-duplication index, and what a restart replays), and periodic snapshots of the windows.
 */
export class StepOutputs1764460800000 implements MigrationInterface {
  name = 'StepOutputs1764460800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE processed_events
        ADD COLUMN run_id          text,
        ADD COLUMN outputs         text,
        ADD COLUMN outputs_sent_at timestamptz`);
    await q.query(`
      CREATE TABLE transform_batches (
        consumer_group  text NOT NULL,
        stream          text NOT NULL,
        feature_version text NOT NULL,
        first_offset    bigint NOT NULL,
        last_offset     bigint NOT NULL,
        raw_ref         text NOT NULL,
        raw_sha256      char(64) NOT NULL,
        min_event_time  timestamptz,
        max_event_time  timestamptz,
        event_keys      bytea NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, stream, feature_version, last_offset)
      )`);
    await q.query(`
      CREATE TABLE transform_checkpoints (
        consumer_group  text NOT NULL,
        stream          text NOT NULL,
        feature_version text NOT NULL,
        last_offset     bigint NOT NULL,
        window_state    bytea NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, stream, feature_version, last_offset)
      )`);
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowsentry_transform') THEN
          -- DELETE only on its own state, to prune what no restart can need any more.
          GRANT SELECT, INSERT, DELETE ON transform_batches, transform_checkpoints TO flowsentry_transform;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowsentry_cli') THEN
          GRANT SELECT ON transform_batches, transform_checkpoints TO flowsentry_cli;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS transform_batches`);
    await q.query(`DROP TABLE IF EXISTS transform_checkpoints`);
    await q.query(`
      ALTER TABLE processed_events
        DROP COLUMN run_id, DROP COLUMN outputs, DROP COLUMN outputs_sent_at`);
  }
}
