import { counter, gauge, histogram } from '@flowsentry/telemetry';

export type ScoringEngine = 'onnxruntime' | 'forest-kernel';

/** The evaluator's own KPIs beside the step runtime's (brief §9: evaluation time, AUC, alert rate). */
export const evaluatorMetrics = {
  evaluationSeconds: histogram('flowsentry_evaluator_evaluation_seconds', 'Time to evaluate one model: load, score challenger and champion, report', [], [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]),
  phase: histogram('flowsentry_evaluator_phase_seconds', 'Where an evaluation spends its time', ['phase'], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]),
  scoringSeconds: histogram('flowsentry_evaluator_scoring_seconds', 'Time of one scoring call, per engine', ['engine'], [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30]),
  scoredRows: counter('flowsentry_evaluator_scored_rows_total', 'Rows scored, per engine', ['engine']),
  scoringRowsPerSecond: gauge('flowsentry_evaluator_scoring_rows_per_second', 'Throughput of the last scoring call of at least 1,000 rows, per engine', ['engine']),
  decisions: counter('flowsentry_evaluator_decisions_total', 'Evaluations by decision', ['decision']),
  rocAuc: gauge('flowsentry_evaluator_roc_auc', 'ROC-AUC of the last labelled evaluation, per model name', ['model']),
  alertRate: gauge('flowsentry_evaluator_holdout_alert_rate', 'Alert rate at the model threshold on the held-out rows of the last evaluation, per model name', ['model']),
  announced: counter('flowsentry_evaluator_champion_changes_announced_total', 'champion.changed events sent from the registry outbox'),
  registryRequests: counter('flowsentry_evaluator_registry_requests_total', 'Registry API requests, by action and outcome', ['action', 'outcome']),
};

/** Records one scoring call of an engine; small calls are too short to say anything about throughput. */
export function observeScoring(engine: ScoringEngine, rows: number, seconds: number): void {
  evaluatorMetrics.scoringSeconds.observe({ engine }, seconds);
  evaluatorMetrics.scoredRows.inc({ engine }, rows);
  if (rows >= 1000 && seconds > 0) evaluatorMetrics.scoringRowsPerSecond.set({ engine }, rows / seconds);
}
