import { counter, gauge, histogram } from '@flowsentry/telemetry';

/** The monitor's own KPIs beside the step runtime's (brief §9: drift scores, alert rate, anomalies). Gauges hold the last batch's value. */
export const monitorMetrics = {
  featureDrift: gauge('flowsentry_monitor_feature_drift_statistic', "Last batch's drift statistic per feature (KS D, normed Wasserstein, chi-square or Jensen-Shannon, by the feature's test)", ['feature', 'test']),
  featureDrifted: gauge('flowsentry_monitor_feature_drifted', 'Whether the feature drifted in the last judged batch (1) or not (0)', ['feature']),
  driftShare: gauge('flowsentry_monitor_dataset_drift_share', 'Share of judged features that drifted in the last batch'),
  scorePsi: gauge('flowsentry_monitor_score_psi', "PSI of the last batch's anomaly scores against the champion's training scores"),
  alertRate: gauge('flowsentry_monitor_alert_rate', 'Share of the last batch scored above the champion threshold'),
  alertRateByBatch: histogram('flowsentry_monitor_batch_alert_rate', 'Share of each batch scored above the champion threshold', [], [0, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1]),
  driftStreak: gauge('flowsentry_monitor_drift_streak', "Consecutive drifted batches so far of the last batch's source stream, for the champion in force"),
  anomalies: counter('flowsentry_monitor_anomalies_emitted_total', 'anomalies.detected events emitted'),
  unemittable: counter('flowsentry_monitor_anomalies_unemittable_total', 'Flows above the threshold whose NetworkEvent could not be rebuilt from SILVER (not emitted)'),
  scoringSeconds: histogram('flowsentry_monitor_scoring_seconds', 'Time to turn one batch into features and score it', [], [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]),
  scoredRows: counter('flowsentry_monitor_scored_rows_total', 'SILVER rows scored by the champion'),
  violations: counter('flowsentry_monitor_violations_total', 'constraint_violations.json entries, by check', ['check']),
  batchViolations: gauge('flowsentry_monitor_batch_violations', 'Data-quality violations (baseline drift checks aside) in the last batch'),
  driftDetected: counter('flowsentry_monitor_drift_detected_total', 'drift.detected events emitted, by severity', ['severity']),
  batches: counter('flowsentry_monitor_batches_total', 'silver.ready batches handled, by outcome', ['outcome']),
  baselineSeconds: histogram('flowsentry_monitor_baseline_seconds', "Time to build a champion's baseline from its training data", [], [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]),
  championVersion: gauge('flowsentry_monitor_champion_version', 'The champion version the monitor scores with', ['model']),
};
