import { AlertKind } from './alert';
import { counter, gauge } from '@flowsentry/telemetry';

/**
 * What became of an alert: `sent` (the receiver answered 2xx), `logged` (no webhook configured),
 * `duplicate` (same key within MONITOR_ALERT_DEDUP_MS), `rejected` (the receiver answered a 4xx
 * that no retry fixes), `expired` (not delivered within MONITOR_ALERT_MAX_AGE_MS), `dropped`
 * (pending at shutdown), `overflow` (pushed out of a full queue).
 */
export type AlertOutcome = 'sent' | 'logged' | 'duplicate' | 'rejected' | 'expired' | 'dropped' | 'overflow';

export const alertMetrics = {
  alerts: counter('flowsentry_monitor_alerts_total', 'Alerts raised, by kind and what became of them', ['kind', 'outcome']),
  retries: counter('flowsentry_monitor_alert_retries_total', 'Webhook deliveries tried again after a network error, timeout, 429 or 5xx', ['kind']),
  queued: gauge('flowsentry_monitor_alert_queue_depth', 'Alerts waiting for delivery, including the one being delivered'),
  deadLetters: counter('flowsentry_monitor_dead_letters_total', 'Dead letters seen on the pipeline DLQ topics, by source topic and reason', ['topic', 'reason']),
};

export function countAlert(kind: AlertKind, outcome: AlertOutcome): void {
  alertMetrics.alerts.inc({ kind, outcome });
}
