import { EntityManager } from 'typeorm';
import { ProcessedEvent } from '../entities';

/**
 * The idempotency guard of brief §8. `claim` inserts the (group, event id) row inside the
 * handler's transaction: if the transaction commits, the event is done for good; if another
 * delivery already committed it, `claim` says so and the handler emits nothing new.
 */
export class ProcessedEvents {
  constructor(private readonly em: EntityManager) {}

  async claim(entry: Omit<ProcessedEvent, 'processedAt'>): Promise<boolean> {
    const result = await this.em.createQueryBuilder().insert().into(ProcessedEvent).values(entry).orIgnore().execute();
    return (result.raw as unknown[]).length > 0;
  }

  async find(consumerGroup: string, eventId: string): Promise<ProcessedEvent | null> {
    return this.em.findOne(ProcessedEvent, { where: { consumerGroup, eventId } });
  }
}
