import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The model registry as the trainer, the evaluator and their operators use it:
 * - model_versions gains `pending` (waiting for a person), the threshold and feature version the
 *   model was trained with, and who decided what about it and when;
 * - model_alias_history becomes the outbox of `champion.changed`: every move of an alias is a row
 *   committed with the move itself, announced on Kafka afterwards (announced_at), so a move is
 *   never lost between the database and the broker, whoever made it (evaluator, CLI, HTTP);
 * - registry_actions audits every mutation an operator attempted, applied or refused;
 * - the trainer's own state: the SILVER datasets it has seen and the retrain requests drift raised.
 */
export class ModelRegistry1764892800000 implements MigrationInterface {
  name = 'ModelRegistry1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE model_versions DROP CONSTRAINT IF EXISTS model_versions_status_check`);
    await q.query(`
      ALTER TABLE model_versions
        ADD CONSTRAINT model_versions_status_check CHECK (status IN ('candidate','pending','approved','champion','archived','rejected')),
        ADD COLUMN metadata_ref    text,
        ADD COLUMN feature_version text,
        ADD COLUMN threshold       double precision,
        ADD COLUMN eval_ref        text,
        ADD COLUMN decided_by      text,
        ADD COLUMN decided_at      timestamptz,
        ADD COLUMN decision_reason text,
        ADD COLUMN approved_by     text,
        ADD COLUMN approved_at     timestamptz`);
    await q.query(`
      ALTER TABLE model_alias_history
        ADD COLUMN change       text NOT NULL DEFAULT 'promotion' CHECK (change IN ('promotion','approval','rollback')),
        ADD COLUMN traceparent  text,
        ADD COLUMN announced_at timestamptz`);
    await q.query(`CREATE INDEX model_alias_history_outbox_idx ON model_alias_history (id) WHERE announced_at IS NULL`);
    await q.query(`
      CREATE TABLE registry_actions (
        id          bigserial PRIMARY KEY,
        model_name  text NOT NULL,
        version     text,
        action      text NOT NULL CHECK (action IN ('approve','reject','rollback')),
        actor       text NOT NULL,
        reason      text NOT NULL,
        channel     text NOT NULL CHECK (channel IN ('cli','http')),
        outcome     text NOT NULL CHECK (outcome IN ('applied','refused')),
        detail      text NOT NULL DEFAULT '',
        at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE training_datasets (
        dataset_id      text PRIMARY KEY,
        silver_ref      text NOT NULL,
        sha256          char(64) NOT NULL,
        rows            int NOT NULL CHECK (rows >= 0),
        feature_version text NOT NULL,
        min_event_time  timestamptz,
        max_event_time  timestamptz,
        seq             bigserial,
        received_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX training_datasets_time_idx ON training_datasets (feature_version, max_event_time)`);
    await q.query(`
      CREATE TABLE training_requests (
        id              bigserial PRIMARY KEY,
        model_name      text NOT NULL,
        trigger         text NOT NULL CHECK (trigger IN ('drift.detected','schedule')),
        event_id        text NOT NULL,
        regime_since    timestamptz,
        detail          jsonb NOT NULL DEFAULT '{}'::jsonb,
        status          text NOT NULL CHECK (status IN ('open','absorbed','done')),
        resolved_by     text,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX training_requests_one_open_idx ON training_requests (model_name) WHERE status = 'open'`);
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowsentry_trainer') THEN
          GRANT SELECT, INSERT, UPDATE ON training_datasets, training_requests TO flowsentry_trainer;
          GRANT SELECT ON model_aliases TO flowsentry_trainer;
          GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO flowsentry_trainer;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowsentry_evaluator') THEN
          GRANT SELECT, INSERT, UPDATE ON model_alias_history TO flowsentry_evaluator;
          GRANT SELECT, INSERT ON registry_actions TO flowsentry_evaluator;
          GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO flowsentry_evaluator;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowsentry_monitor') THEN
          GRANT SELECT ON model_alias_history TO flowsentry_monitor;
        END IF;
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flowsentry_cli') THEN
          GRANT SELECT, INSERT ON registry_actions TO flowsentry_cli;
          GRANT SELECT ON training_datasets, training_requests TO flowsentry_cli;
          GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO flowsentry_cli;
        END IF;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS training_requests`);
    await q.query(`DROP TABLE IF EXISTS training_datasets`);
    await q.query(`DROP TABLE IF EXISTS registry_actions`);
    await q.query(`DROP INDEX IF EXISTS model_alias_history_outbox_idx`);
    await q.query(`ALTER TABLE model_alias_history DROP COLUMN change, DROP COLUMN traceparent, DROP COLUMN announced_at`);
    await q.query(`ALTER TABLE model_versions DROP CONSTRAINT IF EXISTS model_versions_status_check`);
    await q.query(`
      ALTER TABLE model_versions
        DROP COLUMN metadata_ref, DROP COLUMN feature_version, DROP COLUMN threshold, DROP COLUMN eval_ref,
        DROP COLUMN decided_by, DROP COLUMN decided_at, DROP COLUMN decision_reason, DROP COLUMN approved_by, DROP COLUMN approved_at`);
    await q.query(`ALTER TABLE model_versions ADD CONSTRAINT model_versions_status_check CHECK (status IN ('candidate','approved','champion','archived','rejected'))`);
  }
}
