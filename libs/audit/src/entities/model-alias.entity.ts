import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Where an alias (e.g. `champion`) points now. */
@Entity({ name: 'model_aliases' })
export class ModelAlias {
  @PrimaryColumn({ name: 'model_name', type: 'text' })
  modelName!: string;

  @PrimaryColumn({ type: 'text' })
  alias!: string;

  @Column({ type: 'text' })
  version!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** Every move of an alias, with who or what moved it and why: promotion and rollback audit. */
@Entity({ name: 'model_alias_history' })
export class ModelAliasChange {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'model_name', type: 'text' })
  modelName!: string;

  @Column({ type: 'text' })
  alias!: string;

  @Column({ name: 'from_version', type: 'text', nullable: true })
  fromVersion!: string | null;

  @Column({ name: 'to_version', type: 'text' })
  toVersion!: string;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  change!: 'promotion' | 'approval' | 'rollback';

  /** The trace the move was made in, so its `champion.changed` announcement continues it. */
  @Column({ type: 'text', nullable: true })
  traceparent!: string | null;

  /** Set once `champion.changed` for this move is acknowledged by Kafka (the outbox). */
  @Column({ name: 'announced_at', type: 'timestamptz', nullable: true })
  announcedAt!: Date | null;

  @Column({ name: 'changed_at', type: 'timestamptz', default: () => 'now()' })
  changedAt!: Date;
}
