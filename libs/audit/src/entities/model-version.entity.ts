import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * candidate → pending (waiting for a person) | approved → champion → archived, or rejected.
 * `approved` is a version cleared to serve that is not serving; an archived version that was once
 * approved (approved_at set) is what a rollback may return to.
 */
export type ModelStatus = 'candidate' | 'pending' | 'approved' | 'champion' | 'archived' | 'rejected';
export const MODEL_STATUSES: readonly ModelStatus[] = ['candidate', 'pending', 'approved', 'champion', 'archived', 'rejected'];

@Entity({ name: 'model_versions' })
export class ModelVersion {
  @PrimaryColumn({ name: 'model_name', type: 'text' })
  modelName!: string;

  @PrimaryColumn({ type: 'text' })
  version!: string;

  @Column({ type: 'text' })
  status!: ModelStatus;

  @Column({ name: 'onnx_ref', type: 'text' })
  onnxRef!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  params!: Record<string, string | number | boolean | null>;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  metrics!: Record<string, number>;

  @Column({ name: 'training_refs', type: 'jsonb', default: () => "'[]'::jsonb" })
  trainingRefs!: string[];

  @Column({ name: 'run_id', type: 'text' })
  runId!: string;

  @Column({ name: 'metadata_ref', type: 'text', nullable: true })
  metadataRef!: string | null;

  @Column({ name: 'feature_version', type: 'text', nullable: true })
  featureVersion!: string | null;

  @Column({ type: 'double precision', nullable: true })
  threshold!: number | null;

  @Column({ name: 'eval_ref', type: 'text', nullable: true })
  evalRef!: string | null;

  @Column({ name: 'decided_by', type: 'text', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'decision_reason', type: 'text', nullable: true })
  decisionReason!: string | null;

  @Column({ name: 'approved_by', type: 'text', nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
