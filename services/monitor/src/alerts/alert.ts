/** What the monitor tells people about: drift, data-quality violations, failed pipeline steps. */
export type AlertKind = 'drift' | 'data-quality' | 'step-failure';

export interface Alert {
  kind: AlertKind;
  severity: 'low' | 'medium' | 'high';
  /** Same key, same alert: repeats within the de-duplication window are not sent again. */
  key: string;
  /** One line a person reads first (becomes the Slack-compatible `text`). */
  title: string;
  /** Anything a receiver may want to act on (model, version, dataset, report key, counts…). */
  details: Record<string, unknown>;
}

/**
 * Where alerts go. `raise` never blocks and never throws: alerting must not slow or stop the
 * pipeline, so delivery (retries, de-duplication) happens behind it.
 */
export interface AlertSink {
  raise(alert: Alert): void;
}

export const ALERT_SINK = 'flowsentry.monitor.alert-sink';
