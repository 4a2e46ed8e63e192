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
   * Attempts per alert before it is dropped (logged and counted). 6 attempts with 1 s doubling
   * backoff wait ~15–31 s in all: a webhook endpoint's restart or a rate-limit window, not an outage
   * (an outage would only queue alerts that are stale by the time it ends).
   */
  MONITOR_WEBHOOK_MAX_ATTEMPTS: env.int(6, 1, 50),
  MONITOR_WEBHOOK_RETRY_INITIAL_MS: env.int(1_000, 1, 600_000),
  /** Also the cap on a 429's Retry-After: a receiver asking for an hour is treated as down. */
  MONITOR_WEBHOOK_RETRY_MAX_MS: env.int(60_000, 1, 3_600_000),
  /**
   * Alerts waiting for delivery; beyond it the oldest is dropped (and counted). 100 is far more
   * than the distinct problems the monitor can report within one delivery's retry budget, so only
   * a receiver that is down for long loses anything, and then the oldest news goes first.
   */
  MONITOR_ALERT_QUEUE_MAX: env.int(100, 1, 100_000),
};

export type AlertSettings = z.infer<z.ZodObject<typeof alertSettingsShape>>;

export function webhookRetryPolicy(settings: AlertSettings): RetryPolicy {
  return {
    retries: settings.MONITOR_WEBHOOK_MAX_ATTEMPTS - 1,
    initialDelayMs: settings.MONITOR_WEBHOOK_RETRY_INITIAL_MS,
    maxDelayMs: settings.MONITOR_WEBHOOK_RETRY_MAX_MS,
    factor: 2,
  };
}
