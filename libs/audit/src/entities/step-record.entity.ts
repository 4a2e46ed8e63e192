import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type StepName = 'ingestion' | 'transformation' | 'training' | 'evaluation' | 'drift_check' | 'promotion';
export type StepStatus = 'succeeded' | 'failed' | 'skipped' | 'pending_approval';

/** What one service did for one input: the audit trail a reviewer reads step by step. */
@Entity({ name: 'step_records' })
export class StepRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'run_id', type: 'text' })
  runId!: string;

  @Column({ type: 'text' })
  service!: string;

  @Column({ type: 'text' })
  step!: StepName;

  @Column({ type: 'text' })
  status!: StepStatus;

  @Column({ name: 'input_ref', type: 'text' })
  inputRef!: string;

  @Column({ name: 'output_event_id', type: 'text', nullable: true })
  outputEventId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  details!: Record<string, unknown>;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', default: () => 'now()' })
  finishedAt!: Date;
}
