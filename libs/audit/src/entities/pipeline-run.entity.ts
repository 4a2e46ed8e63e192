import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One pipeline run: the chain of steps that follows one `raw.landed` (or a retraining trigger). */
@Entity({ name: 'pipeline_runs' })
export class PipelineRun {
  @PrimaryColumn({ name: 'run_id', type: 'text' })
  runId!: string;

  @Column({ type: 'text' })
  trigger!: string;

  @Column({ name: 'trace_id', type: 'text', nullable: true })
  traceId!: string | null;

  @Column({ name: 'started_at', type: 'timestamptz', default: () => 'now()' })
  startedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
