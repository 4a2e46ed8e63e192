import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type RegistryActionName = 'approve' | 'reject' | 'rollback';
export type RegistryChannel = 'cli' | 'http';

/** Every registry mutation an operator attempted, applied or refused (bad token, wrong state). */
@Entity({ name: 'registry_actions' })
export class RegistryAction {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'model_name', type: 'text' })
  modelName!: string;

  @Column({ type: 'text', nullable: true })
  version!: string | null;

  @Column({ type: 'text' })
  action!: RegistryActionName;

  @Column({ type: 'text' })
  actor!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column({ type: 'text' })
  channel!: RegistryChannel;

  @Column({ type: 'text' })
  outcome!: 'applied' | 'refused';

  @Column({ type: 'text', default: '' })
  detail!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}
