import { Column, Entity, PrimaryColumn } from 'typeorm';

export type ModelStatus = 'candidate' | 'approved' | 'champion' | 'archived' | 'rejected';

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
  params!: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'{}'::jsonb" })
  metrics!: Record<string, number>;

  @Column({ name: 'training_refs', type: 'jsonb', default: () => "'[]'::jsonb" })
  trainingRefs!: string[];

  @Column({ name: 'run_id', type: 'text' })
  runId!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
