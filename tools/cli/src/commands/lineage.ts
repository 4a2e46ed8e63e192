import { DataSource } from 'typeorm';
import { UsageError } from '../usage-error';

export interface LineageEdgeRow {
  parentRef: string;
  childRef: string;
  relation: string;
}

export interface LineageReport {
  /** The object the chain starts from (a model's ONNX, a SILVER object, a RAW object, a Kafka range). */
  ref: string;
  /** How the argument was understood, e.g. "network-flows v3 (champion)". */
  label: string;
  /** Every edge upstream of `ref`, to the Kafka offsets everything came from. */
  upstream: LineageEdgeRow[];
  /** The edges straight out of `ref`, by relation (counts, and the first few). */
  downstream: Array<{ relation: string; count: number; refs: string[] }>;
}

const DOWNSTREAM_SHOWN = 3;

/**
 * What the argument names: an object ref as the audit trail writes it (`models/…`, `silver/…`,
 * `raw/…`, `kafka://…`), a model as NAME@VERSION, a model name (its champion), or a dataset id.
 */
export async function resolveTarget(db: DataSource, target: string): Promise<{ ref: string; label: string }> {
  if (target.includes('/')) return { ref: target, label: 'object' };
  const versioned = /^(.+)@v?(\d+)$/.exec(target);
  if (versioned) {
    const [row] = await db.query(`SELECT onnx_ref, status FROM model_versions WHERE model_name = $1 AND version = $2`, [versioned[1], versioned[2]]);
    if (!row) throw new UsageError(`lineage: no model ${versioned[1]} version ${versioned[2]}`);
    return { ref: row.onnx_ref, label: `${versioned[1]} v${versioned[2]} (${row.status})` };
  }
  const [champion] = await db.query(
    `SELECT v.version, v.onnx_ref FROM model_aliases a JOIN model_versions v USING (model_name, version) WHERE a.model_name = $1 AND a.alias = 'champion'`,
    [target],
  );
  if (champion) return { ref: champion.onnx_ref, label: `${target} v${champion.version} (champion)` };
  const [dataset] = await db.query(`SELECT silver_ref FROM training_datasets WHERE dataset_id = $1`, [target]);
  if (dataset) return { ref: dataset.silver_ref, label: `dataset ${target}` };
  throw new UsageError(`lineage: ${target} is no object ref, NAME@VERSION, model with a champion, or dataset id on record`);
}

/** The audit trail's lineage around `ref`: everything upstream, one step downstream. */
export async function lineageOf(db: DataSource, ref: string, label: string): Promise<LineageReport> {
  const upstream: Array<{ parent_ref: string; child_ref: string; relation: string }> = await db.query(
    `WITH RECURSIVE up(parent_ref, child_ref, relation) AS (
       SELECT parent_ref, child_ref, relation FROM lineage_edges WHERE child_ref = $1
       UNION
       SELECT e.parent_ref, e.child_ref, e.relation FROM lineage_edges e JOIN up ON e.child_ref = up.parent_ref
     ) SELECT parent_ref, child_ref, relation FROM up ORDER BY child_ref, relation, parent_ref`,
    [ref],
  );
  const downstream: Array<{ relation: string; count: number; refs: string[] }> = await db.query(
    `SELECT relation, count(*)::int AS count, (array_agg(child_ref ORDER BY child_ref))[1:${DOWNSTREAM_SHOWN}] AS refs
       FROM lineage_edges WHERE parent_ref = $1 GROUP BY relation ORDER BY relation`,
    [ref],
  );
  return { ref, label, upstream: upstream.map((e) => ({ parentRef: e.parent_ref, childRef: e.child_ref, relation: e.relation })), downstream };
}

/**
 * The chain as an indented tree, the start at the top and its sources below it (`<- relation`);
 * an object reached twice is printed once and referred to after.
 */
export function formatLineage(report: LineageReport): string {
  const parents = new Map<string, LineageEdgeRow[]>();
  for (const edge of report.upstream) {
    const of = parents.get(edge.childRef) ?? [];
    of.push(edge);
    parents.set(edge.childRef, of);
  }
  const lines = [`${report.ref}  [${report.label}]`];
  const printed = new Set<string>([report.ref]);
  const walk = (ref: string, depth: number) => {
    for (const edge of parents.get(ref) ?? []) {
      const seen = printed.has(edge.parentRef);
      lines.push(`${'   '.repeat(depth)}<- ${edge.relation}  ${edge.parentRef}${seen ? '  (above)' : ''}`);
      if (seen) continue;
      printed.add(edge.parentRef);
      walk(edge.parentRef, depth + 1);
    }
  };
  walk(report.ref, 1);
  if (report.upstream.length === 0) lines.push('   (no sources on record)');
  const sources = [...new Set(report.upstream.map((e) => e.parentRef))].filter((ref) => !parents.has(ref));
  lines.push('', `sources: ${sources.length === 0 ? 'none' : sources.join(', ')}`);
  lines.push('', 'downstream:');
  if (report.downstream.length === 0) lines.push('   (nothing on record)');
  for (const d of report.downstream) lines.push(`   -> ${d.relation}  ${d.refs.join(', ')}${d.count > d.refs.length ? ` … (${d.count} in all)` : ''}`);
  return lines.join('\n');
}
