import { DataSource } from 'typeorm';
import { ObjectRef, readSilverRows } from '@flowsentry/storage';

/** One label's flows scored by the monitor, and how many of them it sent out as anomalies. */
export interface LabelDetection {
  label: string;
  flows: number;
  alerts: number;
  /** alerts / flows: recall for an attack type, the false-positive rate for `normal`. */
  rate: number;
}

export interface LabelledDetection {
  byLabel: LabelDetection[];
  /** Share of all alerts that fell on flows labelled as an attack. */
  precision: number;
  scoredFlows: number;
  scoredBatches: number;
}

export const NORMAL_LABEL = 'normal';

/**
 * The labels of every flow the monitor scored for `model`, counted from the SILVER batches its
 * step records name (verified against their hashes). Only labelled traffic (the traffic producer's,
 * a red-team exercise) can be judged this way; unlabelled rows count as `unlabelled`.
 */
export async function scoredLabelCounts(db: DataSource, objects: { get(ref: ObjectRef): Promise<Buffer> }, model: string): Promise<{ counts: Record<string, number>; batches: number }> {
  const scored: Array<{ silver_ref: string; sha256: string }> = await db.query(
    `SELECT DISTINCT d.silver_ref, d.sha256 FROM step_records s JOIN training_datasets d ON d.silver_ref = s.input_ref
      WHERE s.service = 'monitor' AND s.step = 'drift_check' AND s.status = 'succeeded'
        AND s.details->>'modelName' = $1 AND s.details ? 'championVersion' AND NOT s.details ? 'notScored'`,
    [model],
  );
  const counts: Record<string, number> = {};
  // A few hundred objects at a time: one column of each, so memory stays small on a long history.
  for (let i = 0; i < scored.length; i += 200) {
    const rows = await readSilverRows(
      objects,
      scored.slice(i, i + 200).map((s) => ({ key: s.silver_ref, sha256: s.sha256 })),
      ['label'],
    );
    for (const value of rows.columns[0]!) {
      const label = value === null || value === '' ? 'unlabelled' : String(value);
      counts[label] = (counts[label] ?? 0) + 1;
    }
  }
  return { counts, batches: scored.length };
}

/** Recall per attack type, the false-positive rate on normal flows, and the precision of all alerts. */
export function labelledDetection(flowsByLabel: Record<string, number>, alertsByLabel: Record<string, number>, batches: number): LabelledDetection {
  const labels = [...new Set([...Object.keys(flowsByLabel), ...Object.keys(alertsByLabel)])].sort((a, b) => (a === NORMAL_LABEL ? 1 : b === NORMAL_LABEL ? -1 : a.localeCompare(b)));
  const byLabel = labels.map((label) => {
    const flows = flowsByLabel[label] ?? 0;
    const alerts = alertsByLabel[label] ?? 0;
    return { label, flows, alerts, rate: flows > 0 ? alerts / flows : 0 };
  });
  const totalAlerts = byLabel.reduce((n, l) => n + l.alerts, 0);
  const attackAlerts = byLabel.filter((l) => l.label !== NORMAL_LABEL && l.label !== 'unlabelled').reduce((n, l) => n + l.alerts, 0);
  return {
    byLabel,
    precision: totalAlerts > 0 ? attackAlerts / totalAlerts : 0,
    scoredFlows: byLabel.reduce((n, l) => n + l.flows, 0),
    scoredBatches: batches,
  };
}
