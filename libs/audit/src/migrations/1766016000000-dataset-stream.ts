import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The source stream (`<topic>/<partition>` of network.events) each cataloged dataset came from,
 * for the trainer's event-time watermark: the least, over streams, of their newest dataset's end.
 * Rows recorded before it get the stream their id names (ingest's `<topic>-p<partition>-<first>-<last>`);
 * ids of another shape stay null and count as one stream of their own.
 */
export class DatasetStream1766016000000 implements MigrationInterface {
  name = 'DatasetStream1766016000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE training_datasets ADD COLUMN source_stream text`);
    await q.query(`
      UPDATE training_datasets
         SET source_stream = regexp_replace(dataset_id, '^(.+)-p([0-9]+)-[0-9]+-[0-9]+(\\..*)?$', '\\1/\\2')
       WHERE dataset_id ~ '^.+-p[0-9]+-[0-9]+-[0-9]+(\\..*)?$'`);
    await q.query(`CREATE INDEX training_datasets_stream_idx ON training_datasets (source_stream, max_event_time)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS training_datasets_stream_idx`);
    await q.query(`ALTER TABLE training_datasets DROP COLUMN IF EXISTS source_stream`);
  }
}
