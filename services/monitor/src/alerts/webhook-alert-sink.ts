import { OnApplicationShutdown } from '@nestjs/common';
import { backoffDelay, RetryPolicy } from '@flowsentry/messaging';
import { Logger } from '@flowsentry/telemetry';
import { Alert, AlertSink } from './alert';
import { alertMessage, serializeAlertMessage } from './alert-message';
import { alertMetrics, AlertOutcome, countAlert } from './alert-metrics';
import { AlertSettings, webhookRetryPolicy } from './alert-settings';
import { BoundedQueue } from './bounded-queue';
import { DedupWindow } from './dedup-window';
import { WebhookEndpoint, webhookEndpoint } from './webhook-endpoint';
import { postAlert } from './webhook-post';

interface PendingAlert {
  alert: Alert;
  body: string;
  /** When it was raised, on the sink's clock: it expires MONITOR_ALERT_MAX_AGE_MS later. */
  raisedAt: number;
}

export interface WebhookAlertSinkOptions {
  /** Clock of the de-duplication window, of `at` and of an alert's age; specs pass their own. */
  now?: () => number;
  /** Jitter source of the backoff. */
  random?: () => number;
}

/** How long shutdown waits for pending alerts before it drops them: a drift found just before a deploy still goes out. */
const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

/**
 * Sends alerts to a webhook without ever making the pipeline wait for it. `raise` de-duplicates
 * and enqueues, then returns; one delivery loop POSTs the queue in order, retrying a receiver
 * that is down, slow or rate-limiting with exponential backoff and jitter, and gives up on an
 * alert only once it is older than MONITOR_ALERT_MAX_AGE_MS, so the backlog of an outage shorter
 * than that goes out, in order, when the receiver is back. The queue is bounded (the oldest alert
 * goes first), so a receiver that is down for hours costs a fixed amount of memory. Without a
 * webhook, alerts are written to the log. Every outcome is counted in flowsentry_monitor_alerts_total.
 */
export class WebhookAlertSink implements AlertSink, OnApplicationShutdown {
  private readonly endpoint?: WebhookEndpoint;
  private readonly policy: RetryPolicy;
  private readonly dedup: DedupWindow;
  private readonly queue: BoundedQueue<PendingAlert>;
  private readonly shutdown = new AbortController();
  private readonly now: () => number;
  private readonly random: () => number;
  private inFlight?: PendingAlert;
  private loop?: Promise<void>;
  private closed = false;

  constructor(
    private readonly settings: AlertSettings,
    private readonly log: Logger,
    options: WebhookAlertSinkOptions = {},
  ) {
    this.endpoint = settings.MONITOR_WEBHOOK_URL ? webhookEndpoint(settings.MONITOR_WEBHOOK_URL) : undefined;
    this.policy = webhookRetryPolicy(settings);
    this.dedup = new DedupWindow(settings.MONITOR_ALERT_DEDUP_MS);
    this.queue = new BoundedQueue(settings.MONITOR_ALERT_QUEUE_MAX);
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    if (this.endpoint) this.log.info({ webhook: this.endpoint.origin }, 'alerts go to the webhook at this origin');
    else this.log.info('no MONITOR_WEBHOOK_URL configured: alerts are only logged and counted');
  }

  /** Where alerts go, safe to log: the webhook's origin, or undefined when alerts are only logged. */
  get webhookOrigin(): string | undefined {
    return this.endpoint?.origin;
  }

  raise(alert: Alert): void {
    try {
      if (!this.dedup.admit(alert.key, this.now())) return countAlert(alert.kind, 'duplicate');
      if (!this.endpoint) {
        this.log.warn({ alert: { kind: alert.kind, severity: alert.severity, key: alert.key, details: alert.details } }, alert.title);
        return countAlert(alert.kind, 'logged');
      }
      const raisedAt = this.now();
      if (this.closed) return this.giveUp({ alert, body: '', raisedAt }, 'dropped', 'raised after shutdown');
      const evicted = this.queue.push({ alert, body: serializeAlertMessage(alertMessage(alert, new Date(raisedAt))), raisedAt });
      if (evicted) this.giveUp(evicted, 'overflow', `more than MONITOR_ALERT_QUEUE_MAX=${this.settings.MONITOR_ALERT_QUEUE_MAX} alerts waiting`);
      this.updateDepth();
      this.startDelivery();
    } catch (err) {
      // raise never throws: a broken alert must not fail the batch that raised it.
      this.log.error({ err, key: alert?.key }, 'raising an alert failed');
    }
  }

  /** Alerts not yet delivered or given up on, the one being delivered included. */
  pending(): number {
    return this.queue.length + (this.inFlight ? 1 : 0);
  }

  /** Resolves once nothing is pending (specs, and shutdown's grace period). */
  async settle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  /**
   * Waits up to `graceMs` for pending alerts, then abandons the rest (counted as dropped): the
   * alert in flight is aborted rather than allowed to hold shutdown for its whole retry budget.
   */
  async close(graceMs = DEFAULT_SHUTDOWN_GRACE_MS): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.settle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    this.shutdown.abort();
    await this.settle();
    for (const left of this.queue.drain()) this.giveUp(left, 'dropped', 'still pending at shutdown');
    this.updateDepth();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /**
   * One loop at a time, so alerts go out in the order they were raised. It starts on the next turn
   * of the event loop: raise itself does no more than enqueue.
   */
  private startDelivery(): void {
    if (this.loop) return;
    this.loop = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.deliverQueue())
      .finally(() => {
        this.loop = undefined;
        // An alert raised while the loop was finishing would otherwise wait for the next raise.
        if (this.queue.length > 0 && !this.shutdown.signal.aborted) this.startDelivery();
      });
  }

  private async deliverQueue(): Promise<void> {
    try {
      for (let next = this.queue.shift(); next; next = this.queue.shift()) {
        this.inFlight = next;
        await this.deliver(next);
        this.inFlight = undefined;
        this.updateDepth();
      }
    } catch (err) {
      this.log.error({ err }, 'alert delivery loop failed');
    } finally {
      this.inFlight = undefined;
      this.updateDepth();
    }
  }

  private async deliver(pending: PendingAlert): Promise<void> {
    const { alert } = pending;
    const expiresAt = pending.raisedAt + this.settings.MONITOR_ALERT_MAX_AGE_MS;
    let lastReason = 'never tried';
    for (let attempt = 0; ; attempt++) {
      if (this.now() >= expiresAt) return this.expire(pending, attempt, lastReason);
      const result = await postAlert(this.endpoint!, pending.body, this.settings.MONITOR_WEBHOOK_TIMEOUT_MS, this.shutdown.signal);
      switch (result.outcome) {
        case 'delivered':
          countAlert(alert.kind, 'sent');
          this.log.info({ kind: alert.kind, key: alert.key, attempts: attempt + 1, webhook: this.endpoint!.origin }, 'alert sent');
          return;
        case 'rejected':
          return this.giveUp(pending, 'rejected', `the webhook answered ${result.reason}; retrying will not help`);
        case 'aborted':
          return this.giveUp(pending, 'dropped', 'shutting down');
        case 'retry':
          lastReason = result.reason;
      }
      // A 429's Retry-After is honoured, within the same cap as the backoff itself.
      const wait = Math.min(this.policy.maxDelayMs, Math.max(backoffDelay(this.policy, attempt, this.random), result.retryAfterMs ?? 0));
      // Waiting past the alert's age would only hold up the alerts behind it.
      if (this.now() + wait >= expiresAt) return this.expire(pending, attempt + 1, lastReason);
      alertMetrics.retries.inc({ kind: alert.kind });
      this.log.warn({ kind: alert.kind, key: alert.key, attempt: attempt + 1, retryInMs: wait, reason: lastReason, webhook: this.endpoint!.origin }, 'alert delivery failed; retrying');
      if (!(await this.sleep(wait))) return this.giveUp(pending, 'dropped', 'shutting down');
    }
  }

  private expire(pending: PendingAlert, attempts: number, lastReason: string): void {
    const limit = `MONITOR_ALERT_MAX_AGE_MS=${this.settings.MONITOR_ALERT_MAX_AGE_MS}`;
    this.giveUp(pending, 'expired', `not delivered within ${limit} (${attempts} attempts, last: ${lastReason})`);
  }

  private giveUp({ alert }: PendingAlert, outcome: AlertOutcome, why: string): void {
    // Nobody heard about it, so a repeat must not be silenced as a duplicate.
    this.dedup.forget(alert.key);
    countAlert(alert.kind, outcome);
    this.log.error({ kind: alert.kind, severity: alert.severity, key: alert.key, outcome, webhook: this.endpoint?.origin }, `alert not delivered: ${why}: ${alert.title}`);
  }

  /** False when shutdown cut the wait short. */
  private sleep(ms: number): Promise<boolean> {
    const signal = this.shutdown.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private updateDepth(): void {
    alertMetrics.queued.set(this.pending());
  }
}
