import { Baseline, CellValue, ColumnarBatch, ConstraintViolation } from '@flowsentry/ml';

/**
 * A constraint_violations.json entry of a check Model Monitor does not have: its constraints.json
 * declares `num_constraints.is_non_negative` for every numeric feature whose baseline had no
 * negative value, but its container lists no violation for breaking it. flowsentry's counters,
 * log1p columns, shares and gaps can never be negative, so a negative one is broken data, not an
 * unusual flow (which is what an attack is; values merely beyond the training range are the
 * anomaly detector's business and the drift tests', not a data-quality fault).
 */
export type ValueRangeViolation = Omit<ConstraintViolation, 'constraint_check_type'> & { constraint_check_type: 'value_range_check' };

export function valueRangeViolations(baseline: Baseline, batch: ColumnarBatch): ValueRangeViolation[] {
  const out: ValueRangeViolation[] = [];
  for (const constraint of baseline.constraints.features) {
    if (!constraint.num_constraints?.is_non_negative) continue;
    const values = batch[constraint.name];
    if (!values) continue;
    let present = 0;
    let negative = 0;
    let lowest = 0;
    for (let i = 0; i < values.length; i++) {
      const v: CellValue = values[i];
      if (typeof v !== 'number' || Number.isNaN(v)) continue;
      present++;
      if (v < 0) {
        negative++;
        lowest = Math.min(lowest, v);
      }
    }
    if (negative === 0) continue;
    out.push({
      feature_name: constraint.name,
      constraint_check_type: 'value_range_check',
      description:
        `Values out of the baseline's range: num_constraints.is_non_negative is true for ${constraint.name}, ` +
        `yet ${negative} of ${present} values (${((100 * negative) / present).toFixed(2)}%) are negative (lowest ${lowest}).`,
    });
  }
  return out;
}
