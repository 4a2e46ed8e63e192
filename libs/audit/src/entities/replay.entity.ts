import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A requested reprocessing: which group was rewound on which topic, from where, by whom. */
@Entity({ name: 'replays' })
export class Replay {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'consumer_group', type: 'text' })
  consumerGroup!: string;

  @Column({ type: 'text' })
  mode!: 'offset' | 'time' | 'earliest';

  @Column({ name: 'from_value', type: 'text' })
  fromValue!: string;

  @Column({ type: 'jsonb', default: () => "'[]'::jsonb" })
  partitions!: Array<{ partition: number; offset: string }>;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy!: string;

  @Column({ name: 'requested_at', type: 'timestamptz', default: () => 'now()' })
  requestedAt!: Date;
}
