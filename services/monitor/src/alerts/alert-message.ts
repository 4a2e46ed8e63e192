import { Alert } from './alert';

/** The JSON a webhook receives: generic fields for any receiver, plus `text` for Slack-compatible ones. */
export interface AlertMessage {
  text: string;
  kind: Alert['kind'];
  severity: Alert['severity'];
  key: string;
  title: string;
  details: Record<string, unknown>;
  service: 'flowsentry-monitor';
  /** When the monitor raised it (ISO 8601), not when delivery finally succeeded. */
  at: string;
}

const SEVERITY_EMOJI: Record<Alert['severity'], string> = { high: ':rotating_light:', medium: ':warning:', low: ':information_source:' };

/** Slack renders at most 40,000 characters and people read one line; a runaway title is cut. */
const MAX_TITLE_CHARS = 1_000;

/** Slack's mrkdwn treats <, > and & as control characters; the title is plain text. */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** ":rotating_light: [high] drift on network-flows v3: 4 of 12 features drifted" */
export function alertText(alert: Alert): string {
  return `${SEVERITY_EMOJI[alert.severity] ?? ':bell:'} [${alert.severity}] ${slackEscape(truncate(alert.title, MAX_TITLE_CHARS))}`;
}

export function alertMessage(alert: Alert, at: Date): AlertMessage {
  return {
    text: alertText(alert),
    kind: alert.kind,
    severity: alert.severity,
    key: alert.key,
    title: alert.title,
    details: alert.details,
    service: 'flowsentry-monitor',
    at: at.toISOString(),
  };
}

/**
 * Serialises once, at raise time, so a detail JSON cannot represent (a bigint, a cycle) turns into
 * a readable placeholder there instead of an exception in the caller or in the delivery loop.
 */
export function serializeAlertMessage(message: AlertMessage): string {
  try {
    return JSON.stringify(message, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  } catch (err) {
    return JSON.stringify({ ...message, details: { unserializable: (err as Error).message } });
  }
}
