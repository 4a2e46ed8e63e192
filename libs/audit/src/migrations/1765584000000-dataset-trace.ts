import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The trainer's span that recorded each dataset, as a W3C traceparent, so that the span that trains
 * a model on many datasets can link to each dataset's run (fan-in). Null for datasets recorded
 * before it, or by a trainer without tracing.
 */
export class DatasetTrace1765584000000 implements MigrationInterface {
  name = 'DatasetTrace1765584000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE training_datasets ADD COLUMN trace_parent text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE training_datasets DROP COLUMN IF EXISTS trace_parent`);
  }
}
