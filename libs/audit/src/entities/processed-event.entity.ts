import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The idempotency guard: a (consumer group, event id) pair is handled at most once. The row
 * keeps the output event exactly as first serialised (text, not jsonb, which would reorder
 * keys), so a redelivery re-emits the very same bytes instead of computing anything again.
 */
@Entity({ name: 'processed_events' })
export class ProcessedEvent {
  @PrimaryColumn({ name: 'consumer_group', type: 'text' })
  consumerGroup!: string;

  @PrimaryColumn({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'int' })
  partition!: number;

  @Column({ type: 'bigint' })
  offset!: string;

  @Column({ name: 'output_event_id', type: 'text', nullable: true })
  outputEventId!: string | null;

  @Column({ name: 'run_id', type: 'text', nullable: true })
  runId!: string | null;

  /**
   * The events the step emitted for this input, as a JSON array of `{ topic, key, value }` with
   * each value the envelope exactly as serialised and sent; `[]` when it emitted nothing.
   */
  @Column({ type: 'text', nullable: true })
  outputs!: string | null;

  /** Set once the broker acknowledged every output: a redelivery after that emits nothing. */
  @Column({ name: 'outputs_sent_at', type: 'timestamptz', nullable: true })
  outputsSentAt!: Date | null;

  @Column({ name: 'processed_at', type: 'timestamptz', default: () => 'now()' })
  processedAt!: Date;
}
