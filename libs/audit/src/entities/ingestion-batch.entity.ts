import { Column, Entity, PrimaryColumn } from 'typeorm';

export type IngestionBatchStatus = 'pending' | 'landed';

/**
 * A RAW batch's offset range, recorded before its object is written. A restart finds the
 * range and cuts the same batch again, which is what keeps every event in RAW exactly once.
 */
@Entity({ name: 'ingestion_batches' })
export class IngestionBatch {
  @PrimaryColumn({ name: 'consumer_group', type: 'text' })
  consumerGroup!: string;

  @PrimaryColumn({ type: 'text' })
  topic!: string;

  @PrimaryColumn({ type: 'int' })
  partition!: number;

  @PrimaryColumn({ name: 'first_offset', type: 'bigint' })
  firstOffset!: string;

  @Column({ name: 'last_offset', type: 'bigint' })
  lastOffset!: string;

  @Column({ type: 'text' })
  status!: IngestionBatchStatus;

  @Column({ name: 'object_ref', type: 'text' })
  objectRef!: string;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256!: string | null;

  @Column({ name: 'event_count', type: 'int', default: 0 })
  eventCount!: number;

  @Column({ type: 'int', default: 0 })
  rejected!: number;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ name: 'run_id', type: 'text' })
  runId!: string;

  /** The raw.landed value exactly as first emitted (text, not jsonb, which would reorder keys), so a redelivery re-emits the very same bytes. */
  @Column({ name: 'landed_event', type: 'text', nullable: true })
  landedEvent!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'landed_at', type: 'timestamptz', nullable: true })
  landedAt!: Date | null;
}
