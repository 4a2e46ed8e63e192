import { z } from 'zod';
import { env } from '@flowsentry/config';
import { RetryPolicy } from '@flowsentry/messaging';

/**
 * An unset or empty URL means "no webhook": an empty secret file (compose's default
 * `.secrets/monitor-webhook-url`) must switch webhooks off, not fail start-up.
 */
const optionalWebhookUrl = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  // zod's message names no value, so a URL carrying a token never reaches a start-up error.
  z.url({ protocol: /^https?$/ }).optional(),
);

/**
 * The monitor's alert delivery settings, spread into monitor.config.ts. MONITOR_WEBHOOK_URL may
 * carry a token (Slack's incoming webhooks do), so it is normally given as MONITOR_WEBHOOK_URL_FILE
 * (libs/config reads NAME_FILE); unset, alerts are only logged and counted.
 */
export const alertSettingsShape = {
  MONITOR_WEBHOOK_URL: optionalWebhookUrl,
  /**
   * A repeat of the same alert key within this window is counted, not sent. Ten minutes: a drift
   * or a failing step is re-detected on every batch (seconds apart), and a person needs one
   * message per problem, yet a problem still there after a coffee break is worth a reminder.
   */
  MONITOR_ALERT_DEDUP_MS: env.int(600_000, 0, 7 * 24 * 3_600_000),
  /** One POST; a receiver that accepts no connection or never answers costs at most this per attempt. */
  MONITOR_WEBHOOK_TIMEOUT_MS: env.int(5_000, 100, 120_000),
  /**
   * How long an alert is worth delivering: retries go on until it is this old, then it is dropped
   * (logged and counted as expired). Bounded by age rather than by attempts because a receiver that
   * is down is down for every alert: a count would spend the budget of whichever alert happens to be
   * first in line, and a drift found during a ten-minute outage is still news when the outage ends.
   * One hour covers a receiver's restart, a rate-limit window and a short outage; after a long one,
   * a backlog of hour-old alerts is not what a person should be paged with.
   */
  MONITOR_ALERT_MAX_AGE_MS: env.int(3_600_000, 1_000, 7 * 24 * 3_600_000),
  MONITOR_WEBHOOK_RETRY_INITIAL_MS: env.int(1_000, 1, 600_000),
  /**
   * Longest wait between two attempts, so a receiver that comes back is tried again within this;
   * also the cap on a 429's Retry-After (a receiver asking for an hour is treated as down).
   */
  MONITOR_WEBHOOK_RETRY_MAX_MS: env.int(60_000, 1, 3_600_000),
  /**
   * Alerts waiting for delivery; beyond it the oldest is dropped (and counted). 100 is far more
   * than the distinct problems (each de-duplicated for MONITOR_ALERT_DEDUP_MS) the monitor reports
   * within MONITOR_ALERT_MAX_AGE_MS, so only a long outage loses anything, and then the oldest news
   * goes first.
   */
  MONITOR_ALERT_QUEUE_MAX: env.int(100, 1, 100_000),
};

export type AlertSettings = z.infer<z.ZodObject<typeof alertSettingsShape>>;

/** The backoff between attempts; how many there are is bounded by MONITOR_ALERT_MAX_AGE_MS, not by a count. */
export function webhookRetryPolicy(settings: AlertSettings): RetryPolicy {
  return {
    retries: Number.POSITIVE_INFINITY,
    initialDelayMs: settings.MONITOR_WEBHOOK_RETRY_INITIAL_MS,
    maxDelayMs: settings.MONITOR_WEBHOOK_RETRY_MAX_MS,
    factor: 2,
  };
}
