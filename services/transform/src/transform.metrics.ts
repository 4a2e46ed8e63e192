import { counter, gauge, histogram } from '@flowsentry/telemetry';

/** transform's own KPIs beside the step runtime's (brief §9: rows in/out, duplicates, dropped, % nulls). */
export const transformMetrics = {
  rowsIn: counter('flowsentry_transform_rows_in_total', 'RAW lines read'),
  rowsOut: counter('flowsentry_transform_rows_out_total', 'Rows written to SILVER'),
  duplicates: counter('flowsentry_transform_duplicates_total', 'Rows dropped as duplicates of an earlier event'),
  dropped: counter('flowsentry_transform_dropped_rows_total', 'RAW lines that could not become rows', ['reason']),
  nullRatio: gauge('flowsentry_transform_null_ratio', 'Share of missing values per column in the last dataset', ['column']),
  trackedSources: gauge('flowsentry_transform_window_sources', 'Sources and source→destination pairs holding window state after the last batch'),
  readAhead: counter('flowsentry_transform_read_ahead_total', 'Batches built ahead of their turn, by whether they were used or discarded', ['outcome']),
  phase: histogram('flowsentry_transform_phase_seconds', 'Where a batch spends its time', ['phase'], [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]),
};
