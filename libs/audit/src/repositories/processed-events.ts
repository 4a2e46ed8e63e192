import { EntityManager } from 'typeorm';
import { ProcessedEvent } from '../entities';

export type ProcessedEventClaim = Omit<ProcessedEvent, 'processedAt' | 'outputsSentAt'>;

/**
 * The idempotency guard of brief §8. `claim` inserts the (group, event id) row, with the output
 * event, inside the handler's transaction: if the transaction commits, the event is done for
 * good and its output can always be re-sent from the row; if another delivery already committed
 * it, `claim` says so and the caller rolls back and re-sends that delivery's output instead.
 */
export class ProcessedEvents {
  constructor(private readonly em: EntityManager) {}

  async claim(entry: ProcessedEventClaim): Promise<boolean> {
    const result = await this.em.createQueryBuilder().insert().into(ProcessedEvent).values(entry).orIgnore().execute();
    return (result.raw as unknown[]).length > 0;
  }

  async find(consumerGroup: string, eventId: string): Promise<ProcessedEvent | null> {
    return this.em.findOne(ProcessedEvent, { where: { consumerGroup, eventId } });
  }

  async markSent(consumerGroup: string, eventId: string): Promise<void> {
    await this.em.query(`UPDATE processed_events SET outputs_sent_at = now() WHERE consumer_group = $1 AND event_id = $2 AND outputs_sent_at IS NULL`, [consumerGroup, eventId]);
  }
}
