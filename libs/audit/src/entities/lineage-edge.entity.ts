import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * parent → child derivation. Refs are artifact refs (`raw/...`) or Kafka ranges
 * (`kafka://<topic>/<partition>/<first>-<last>`), so lineage reaches back to the source offsets.
 */
@Entity({ name: 'lineage_edges' })
export class LineageEdge {
  @PrimaryColumn({ name: 'parent_ref', type: 'text' })
  parentRef!: string;

  @PrimaryColumn({ name: 'child_ref', type: 'text' })
  childRef!: string;

  @Column({ type: 'text' })
  relation!: string;

  @Column({ name: 'run_id', type: 'text' })
  runId!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
