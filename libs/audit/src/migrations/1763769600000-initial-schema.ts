import { MigrationInterface, QueryRunner } from 'typeorm';

/** Tables of brief §7. Written by hand (no synchronize) so every schema change is reviewed SQL. */
export class InitialSchema1763769600000 implements MigrationInterface {
  name = 'InitialSchema1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE pipeline_runs (
        run_id      text PRIMARY KEY,
        trigger     text NOT NULL,
        trace_id    text,
        started_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE step_records (
        id              bigserial PRIMARY KEY,
        run_id          text NOT NULL REFERENCES pipeline_runs(run_id),
        service         text NOT NULL,
        step            text NOT NULL CHECK (step IN ('ingestion','transformation','training','evaluation','drift_check','promotion')),
        status          text NOT NULL CHECK (status IN ('succeeded','failed','skipped','pending_approval')),
        input_ref       text NOT NULL,
        output_event_id text,
        details         jsonb NOT NULL DEFAULT '{}'::jsonb,
        error           text,
        started_at      timestamptz NOT NULL,
        finished_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX step_records_run_idx ON step_records (run_id)`);
    await q.query(`CREATE UNIQUE INDEX step_records_once_idx ON step_records (service, step, input_ref) WHERE status <> 'failed'`);
    await q.query(`
      CREATE TABLE artifacts (
        ref          text PRIMARY KEY,
        layer        text NOT NULL CHECK (layer IN ('raw','silver','models','eval','monitor')),
        sha256       char(64) NOT NULL,
        size_bytes   bigint NOT NULL CHECK (size_bytes >= 0),
        content_type text NOT NULL,
        produced_by  text NOT NULL,
        run_id       text NOT NULL REFERENCES pipeline_runs(run_id),
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE lineage_edges (
        parent_ref text NOT NULL,
        child_ref  text NOT NULL,
        relation   text NOT NULL,
        run_id     text NOT NULL REFERENCES pipeline_runs(run_id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (parent_ref, child_ref)
      )`);
    await q.query(`CREATE INDEX lineage_child_idx ON lineage_edges (child_ref)`);
    await q.query(`
      CREATE TABLE processed_events (
        consumer_group  text NOT NULL,
        event_id        text NOT NULL,
        topic           text NOT NULL,
        partition       int NOT NULL,
        "offset"        bigint NOT NULL,
        output_event_id text,
        processed_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
    await q.query(`
      CREATE TABLE ingestion_batches (
        consumer_group text NOT NULL,
        topic          text NOT NULL,
        partition      int NOT NULL,
        first_offset   bigint NOT NULL,
        last_offset    bigint NOT NULL,
        status         text NOT NULL CHECK (status IN ('pending','landed')),
        object_ref     text NOT NULL,
        sha256         char(64),
        event_count    int NOT NULL DEFAULT 0,
        rejected       int NOT NULL DEFAULT 0,
        event_id       text NOT NULL,
        run_id         text NOT NULL,
        landed_event   text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        landed_at      timestamptz,
        PRIMARY KEY (consumer_group, topic, partition, first_offset),
        CHECK (last_offset >= first_offset)
      )`);
    await q.query(`
      CREATE TABLE model_versions (
        model_name    text NOT NULL,
        version       text NOT NULL,
        status        text NOT NULL CHECK (status IN ('candidate','approved','champion','archived','rejected')),
        onnx_ref      text NOT NULL,
        sha256        char(64) NOT NULL,
        params        jsonb NOT NULL DEFAULT '{}'::jsonb,
        metrics       jsonb NOT NULL DEFAULT '{}'::jsonb,
        training_refs jsonb NOT NULL DEFAULT '[]'::jsonb,
        run_id        text NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model_name, version)
      )`);
    await q.query(`
      CREATE TABLE model_aliases (
        model_name text NOT NULL,
        alias      text NOT NULL,
        version    text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (model_name, alias),
        FOREIGN KEY (model_name, version) REFERENCES model_versions(model_name, version)
      )`);
    await q.query(`
      CREATE TABLE model_alias_history (
        id           bigserial PRIMARY KEY,
        model_name   text NOT NULL,
        alias        text NOT NULL,
        from_version text,
        to_version   text NOT NULL,
        actor        text NOT NULL,
        reason       text NOT NULL,
        changed_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE replays (
        id             bigserial PRIMARY KEY,
        topic          text NOT NULL,
        consumer_group text NOT NULL,
        mode           text NOT NULL CHECK (mode IN ('offset','time','earliest')),
        from_value     text NOT NULL,
        partitions     jsonb NOT NULL DEFAULT '[]'::jsonb,
        requested_by   text NOT NULL,
        requested_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await this.grant(q);
  }

  /**
   * Least privilege per service (brief §7). Roles are created by the platform (tools/stack or the
   * Helm chart's init job); a role that does not exist here is skipped so the schema still migrates.
   */
  private async grant(q: QueryRunner): Promise<void> {
    const common = ['pipeline_runs', 'step_records', 'artifacts', 'lineage_edges', 'processed_events'];
    const grants: Record<string, Array<[string, string]>> = {
      flowsentry_ingest: [...common.map((t) => [t, 'SELECT, INSERT, UPDATE'] as [string, string]), ['ingestion_batches', 'SELECT, INSERT, UPDATE']],
      flowsentry_transform: [...common.map((t) => [t, 'SELECT, INSERT, UPDATE'] as [string, string])],
      flowsentry_trainer: [...common.map((t) => [t, 'SELECT, INSERT, UPDATE'] as [string, string]), ['model_versions', 'SELECT, INSERT, UPDATE']],
      flowsentry_evaluator: [
        ...common.map((t) => [t, 'SELECT, INSERT, UPDATE'] as [string, string]),
        ['model_versions', 'SELECT, UPDATE'],
        ['model_aliases', 'SELECT, INSERT, UPDATE'],
        ['model_alias_history', 'SELECT, INSERT'],
      ],
      flowsentry_monitor: [...common.map((t) => [t, 'SELECT, INSERT, UPDATE'] as [string, string]), ['model_versions', 'SELECT'], ['model_aliases', 'SELECT']],
      flowsentry_cli: [
        ...[...common, 'ingestion_batches', 'model_versions', 'model_aliases', 'model_alias_history', 'replays'].map((t) => [t, 'SELECT'] as [string, string]),
        ['replays', 'INSERT'],
        ['model_versions', 'UPDATE'],
        ['model_aliases', 'INSERT, UPDATE'],
        ['model_alias_history', 'INSERT'],
      ],
    };
    for (const [role, tables] of Object.entries(grants)) {
      const statements = tables.map(([table, privileges]) => `GRANT ${privileges} ON ${table} TO ${role};`).join(' ');
      await q.query(`
        DO $$ BEGIN
          IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
            GRANT USAGE ON SCHEMA public TO ${role};
            ${statements}
            GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${role};
          END IF;
        END $$`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['replays', 'model_alias_history', 'model_aliases', 'model_versions', 'ingestion_batches', 'processed_events', 'lineage_edges', 'artifacts', 'step_records', 'pipeline_runs']) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
