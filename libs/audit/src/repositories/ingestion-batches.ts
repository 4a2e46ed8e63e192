import { EntityManager } from 'typeorm';
import { IngestionBatch } from '../entities';

export type PlannedBatch = Pick<IngestionBatch, 'consumerGroup' | 'topic' | 'partition' | 'firstOffset' | 'lastOffset' | 'objectRef' | 'eventId' | 'runId'>;

export class IngestionBatches {
  constructor(private readonly em: EntityManager) {}

  /** The recorded batch whose range holds `offset`, if an earlier attempt got that far. */
  async covering(consumerGroup: string, topic: string, partition: number, offset: string): Promise<IngestionBatch | null> {
    return this.em
      .createQueryBuilder(IngestionBatch, 'b')
      .where('b.consumer_group = :consumerGroup AND b.topic = :topic AND b.partition = :partition', { consumerGroup, topic, partition })
      .andWhere('b.first_offset <= :offset AND b.last_offset >= :offset', { offset })
      .orderBy('b.first_offset', 'DESC')
      .getOne();
  }

  /**
   * Records the range before anything is written; if a row for the same start already exists
   * (a concurrent or earlier attempt), that row wins and is returned, so both cut the same batch.
   */
  async plan(batch: PlannedBatch): Promise<IngestionBatch> {
    await this.em.createQueryBuilder().insert().into(IngestionBatch).values({ ...batch, status: 'pending' }).orIgnore().execute();
    return this.em.findOneOrFail(IngestionBatch, {
      where: { consumerGroup: batch.consumerGroup, topic: batch.topic, partition: batch.partition, firstOffset: batch.firstOffset },
    });
  }

  async markLanded(key: Pick<IngestionBatch, 'consumerGroup' | 'topic' | 'partition' | 'firstOffset'>, result: Pick<IngestionBatch, 'sha256' | 'eventCount' | 'rejected' | 'landedEvent'>): Promise<void> {
    await this.em.query(
      `UPDATE ingestion_batches SET status = 'landed', landed_at = now(), sha256 = $5, event_count = $6, rejected = $7, landed_event = $8
       WHERE consumer_group = $1 AND topic = $2 AND partition = $3 AND first_offset = $4`,
      [key.consumerGroup, key.topic, key.partition, key.firstOffset, result.sha256, result.eventCount, result.rejected, result.landedEvent],
    );
  }
}
