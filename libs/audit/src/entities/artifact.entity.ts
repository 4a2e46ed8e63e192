import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An immutable object in a storage layer, named as `<layer>/<key>`. */
@Entity({ name: 'artifacts' })
export class Artifact {
  @PrimaryColumn({ type: 'text' })
  ref!: string;

  @Column({ type: 'text' })
  layer!: string;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes!: string;

  @Column({ name: 'content_type', type: 'text' })
  contentType!: string;

  @Column({ name: 'produced_by', type: 'text' })
  producedBy!: string;

  @Column({ name: 'run_id', type: 'text' })
  runId!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
