import { createLogger, Logger } from '@flowsentry/telemetry';
import { eventually } from '../../../../test/support/eventually';
import { WebhookReceiver } from '../../test/webhook-receiver';
import { Alert, AlertKind } from './alert';
import { alertMetrics, AlertOutcome } from './alert-metrics';
import { AlertSettings } from './alert-settings';
import { WebhookAlertSink } from './webhook-alert-sink';

const drift: Alert = {
  kind: 'drift',
  severity: 'high',
  key: 'drift:network-flows:3',
  title: 'drift on network-flows v3: 4 of 12 features drifted (share 0.33 ≥ 0.25)',
  details: { modelName: 'network-flows', version: '3', reportKey: 'monitor/network-flows/3/batches/d1/drift.json' },
};

/** Fast retries, so a spec waits milliseconds where production waits seconds. */
function settingsFor(url: string | undefined, overrides: Partial<AlertSettings> = {}): AlertSettings {
  return {
    MONITOR_WEBHOOK_URL: url,
    MONITOR_ALERT_DEDUP_MS: 600_000,
    MONITOR_WEBHOOK_TIMEOUT_MS: 2_000,
    MONITOR_ALERT_MAX_AGE_MS: 3_600_000,
    MONITOR_WEBHOOK_RETRY_INITIAL_MS: 10,
    MONITOR_WEBHOOK_RETRY_MAX_MS: 50,
    MONITOR_ALERT_QUEUE_MAX: 100,
    ...overrides,
  };
}

/** A logger whose JSON lines the spec reads back. */
function capturedLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger('monitor', 'debug', { write: (line: string) => void lines.push(line) }), lines };
}

async function counted(kind: AlertKind, outcome: AlertOutcome): Promise<number> {
  const { values } = await alertMetrics.alerts.get();
  return values.find((v) => v.labels.kind === kind && v.labels.outcome === outcome)?.value ?? 0;
}

/** Counter deltas around `work`, since metrics are process-wide. */
async function countsDuring(kind: AlertKind, work: () => Promise<void>): Promise<Record<AlertOutcome, number>> {
  const outcomes: AlertOutcome[] = ['sent', 'logged', 'duplicate', 'rejected', 'expired', 'dropped', 'overflow'];
  const before = await Promise.all(outcomes.map((o) => counted(kind, o)));
  await work();
  const after = await Promise.all(outcomes.map((o) => counted(kind, o)));
  return Object.fromEntries(outcomes.map((o, i) => [o, after[i]! - before[i]!])) as Record<AlertOutcome, number>;
}

describe('WebhookAlertSink', () => {
  let receiver: WebhookReceiver;
  let sink: WebhookAlertSink | undefined;

  beforeEach(async () => {
    receiver = await WebhookReceiver.start();
  });

  afterEach(async () => {
    await sink?.close(0);
    sink = undefined;
    await receiver.close();
  });

  it('POSTs the alert as JSON with a Slack-compatible text, kind, severity, key, details, service and time', async () => {
    const raisedAt = Date.parse('2026-11-30T12:00:00.000Z');
    sink = new WebhookAlertSink(settingsFor(receiver.url()), capturedLogger().log, { now: () => raisedAt });

    const counts = await countsDuring('drift', async () => {
      sink!.raise(drift);
      await sink!.settle();
    });

    const [request] = await receiver.waitFor(1);
    expect(request!.path).toBe('/services/T0001/B0001/s3cr3t-webhook-token');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      text: ':rotating_light: [high] drift on network-flows v3: 4 of 12 features drifted (share 0.33 ≥ 0.25)',
      kind: 'drift',
      severity: 'high',
      key: 'drift:network-flows:3',
      title: drift.title,
      details: drift.details,
      service: 'flowsentry-monitor',
      at: '2026-11-30T12:00:00.000Z',
    });
    expect(counts.sent).toBe(1);
  });

  it('retries after a 500 and delivers on the next attempt', async () => {
    receiver.answer = (n) => (n === 0 ? 500 : 200);
    sink = new WebhookAlertSink(settingsFor(receiver.url()), capturedLogger().log);
    const retriesBefore = (await alertMetrics.retries.get()).values.find((v) => v.labels.kind === 'drift')?.value ?? 0;

    const counts = await countsDuring('drift', async () => {
      sink!.raise(drift);
      await sink!.settle();
    });

    expect(receiver.received.map((r) => r.body.key)).toEqual([drift.key, drift.key]);
    expect(counts).toMatchObject({ sent: 1, dropped: 0 });
    expect((await alertMetrics.retries.get()).values.find((v) => v.labels.kind === 'drift')?.value).toBe(retriesBefore + 1);
  });

  it("waits for a 429's Retry-After (within MONITOR_WEBHOOK_RETRY_MAX_MS) before the next attempt", async () => {
    receiver.answer = (n) => (n === 0 ? { status: 429, headers: { 'retry-after': '0.3' } } : 200);
    sink = new WebhookAlertSink(settingsFor(receiver.url(), { MONITOR_WEBHOOK_RETRY_MAX_MS: 1_000 }), capturedLogger().log);
    const started = Date.now();

    sink.raise(drift);
    await sink.settle();

    expect(receiver.received).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('gives up on a 4xx other than 408/429 at once, since a retry would get the same answer', async () => {
    receiver.answer = () => 404;
    sink = new WebhookAlertSink(settingsFor(receiver.url()), capturedLogger().log);

    const counts = await countsDuring('drift', async () => {
      sink!.raise(drift);
      await sink!.settle();
    });

    expect(receiver.received).toHaveLength(1);
    expect(counts).toMatchObject({ rejected: 1, sent: 0 });
  });

  it('drops an alert once it is older than MONITOR_ALERT_MAX_AGE_MS, logs and counts it as expired, and sends its next repeat', async () => {
    // Each failed attempt moves the sink's clock by 100 ms (a slow receiver), whatever this machine's speed.
    let now = 1_000_000;
    receiver.answer = () => {
      now += 100;
      return 503;
    };
    const { log, lines } = capturedLogger();
    sink = new WebhookAlertSink(settingsFor(receiver.url(), { MONITOR_ALERT_MAX_AGE_MS: 300 }), log, { now: () => now });

    const counts = await countsDuring('drift', async () => {
      sink!.raise(drift);
      await sink!.settle();
    });

    // Tried at 0, 100 and 200 ms; after the third, any backoff (10–50 ms) ends past its 300 ms, so it is not waited for.
    expect(receiver.received).toHaveLength(3);
    expect(counts).toMatchObject({ expired: 1, sent: 0 });
    expect(lines.join('')).toContain('not delivered within MONITOR_ALERT_MAX_AGE_MS=300 (3 attempts, last: HTTP 503)');

    // Nobody heard of the expired one, so its repeat is not a duplicate.
    receiver.answer = () => 200;
    const tried = receiver.received.length;
    sink.raise(drift);
    await sink.settle();
    expect(receiver.received).toHaveLength(tried + 1);
    expect(receiver.received[tried]!.body.key).toBe(drift.key);
  });

  it('keeps an alert queued behind a failing one for as long as its own age allows, and sends the backlog in order once the receiver answers', async () => {
    // Many attempts of the first alert fail before the receiver recovers: a per-alert attempt count
    // would have spent the first alert's budget and the second's would never have started.
    const outage = 8;
    receiver.answer = (n) => (n < outage ? 503 : 200);
    sink = new WebhookAlertSink(settingsFor(receiver.url(), { MONITOR_ALERT_MAX_AGE_MS: 10_000 }), capturedLogger().log);

    const counts = await countsDuring('drift', async () => {
      sink!.raise({ ...drift, key: 'first' });
      sink!.raise({ ...drift, key: 'second' });
      await sink!.settle();
    });

    expect(counts).toMatchObject({ sent: 2, expired: 0 });
    expect(receiver.received.map((r) => r.body.key)).toEqual([...Array<string>(outage + 1).fill('first'), 'second']);
  });

  it('expires an alert that aged out while waiting in the queue without trying it', async () => {
    // The receiver moves the sink's clock while it answers the first attempt, so what ages out, and
    // when, does not depend on how fast this machine runs the requests.
    let now = 1_000_000;
    receiver.answer = (n) => {
      if (n > 0) return 200;
      now += 20_000;
      return 503;
    };
    sink = new WebhookAlertSink(settingsFor(receiver.url(), { MONITOR_ALERT_MAX_AGE_MS: 60_000 }), capturedLogger().log, { now: () => now });

    const counts = await countsDuring('drift', async () => {
      sink!.raise({ ...drift, key: 'head' });
      sink!.raise({ ...drift, key: 'old' });
      now += 50_000;
      sink!.raise({ ...drift, key: 'young' });
      // 'head' fails at 50 s; by then the clock reads 70 s: 'head' and 'old' are past their 60 s,
      // 'young' has 40 s left.
      await sink!.settle();
    });

    expect(counts).toMatchObject({ expired: 2, sent: 1 });
    expect(receiver.received.map((r) => r.body.key)).toEqual(['head', 'young']);
  });

  it('returns from raise at once while the receiver hangs, and keeps at most MONITOR_ALERT_QUEUE_MAX alerts pending (dropping the oldest)', async () => {
    receiver.answer = () => 'hang';
    sink = new WebhookAlertSink(settingsFor(receiver.url(), { MONITOR_ALERT_QUEUE_MAX: 5, MONITOR_WEBHOOK_TIMEOUT_MS: 60_000 }), capturedLogger().log);
    const alerts = Array.from({ length: 1_000 }, (_, i): Alert => ({ ...drift, key: `drift:network-flows:${i}` }));

    const started = Date.now();
    const counts = await countsDuring('drift', async () => {
      for (const alert of alerts) sink!.raise(alert);
    });
    // The receiver holds each request for 60 s; a thousand raises that waited for it would take hours.
    expect(Date.now() - started).toBeLessThan(1_000);

    // All thousand were raised before delivery began: the newest 5 survive, one of them now in flight.
    await eventually(async () => receiver.requests > 0, 'the first request to reach the receiver', 10_000, 10);
    expect(counts.overflow).toBe(1_000 - 5);
    expect(receiver.requests).toBe(1);
    expect(sink.pending()).toBe(5);

    sink.raise({ ...drift, key: 'drift:network-flows:late' });
    sink.raise({ ...drift, key: 'drift:network-flows:later' });
    expect(sink.pending()).toBe(6);

    const dropped = await countsDuring('drift', () => sink!.close(0));
    expect(dropped.dropped).toBe(6);
    expect(sink.pending()).toBe(0);
  });

  it('returns from raise at once while the receiver is down, and retries in the background until it is back', async () => {
    const url = receiver.url();
    const port = receiver.port;
    await receiver.close();
    sink = new WebhookAlertSink(settingsFor(url, { MONITOR_WEBHOOK_RETRY_INITIAL_MS: 50, MONITOR_WEBHOOK_RETRY_MAX_MS: 100 }), capturedLogger().log);

    const started = Date.now();
    sink.raise(drift);
    // raise only enqueues: the receiver comes back 200 ms after it returned, not before.
    expect(Date.now() - started).toBeLessThan(200);
    expect(sink.pending()).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 200));
    receiver = await WebhookReceiver.startOn(port);
    await receiver.waitFor(1);
    await sink.settle();
    expect(receiver.received[0]!.body.key).toBe(drift.key);
  });

  it('sends a repeated key once within MONITOR_ALERT_DEDUP_MS, counting the repeats, and again once the window has passed', async () => {
    let now = 1_000_000;
    sink = new WebhookAlertSink(settingsFor(receiver.url(), { MONITOR_ALERT_DEDUP_MS: 60_000 }), capturedLogger().log, { now: () => now });

    const counts = await countsDuring('drift', async () => {
      sink!.raise(drift);
      now += 30_000;
      sink!.raise(drift);
      sink!.raise({ ...drift, key: 'drift:network-flows:4' });
      now += 30_000;
      sink!.raise(drift);
      await sink!.settle();
    });

    expect(receiver.received.map((r) => r.body.key)).toEqual([drift.key, 'drift:network-flows:4', drift.key]);
    expect(counts).toMatchObject({ sent: 3, duplicate: 1 });
  });

  it('logs and counts alerts when no webhook is configured', async () => {
    const { log, lines } = capturedLogger();
    sink = new WebhookAlertSink(settingsFor(undefined), log);

    const counts = await countsDuring('step-failure', async () => {
      sink!.raise({ kind: 'step-failure', severity: 'high', key: 'step-failure:raw.landed:schema-invalid', title: 'step failure: 3 messages from raw.landed', details: { count: 3 } });
      await sink!.settle();
    });

    expect(counts).toMatchObject({ logged: 1, sent: 0 });
    expect(sink.pending()).toBe(0);
    expect(receiver.requests).toBe(0);
    const record = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'step failure: 3 messages from raw.landed');
    expect(record).toMatchObject({ level: 'warn', alert: { kind: 'step-failure', severity: 'high', key: 'step-failure:raw.landed:schema-invalid', details: { count: 3 } } });
  });

  it("never logs the webhook URL's path or token, only its origin", async () => {
    receiver.answer = (n) => (n < 2 ? 500 : 200);
    const { log, lines } = capturedLogger();
    sink = new WebhookAlertSink(settingsFor(receiver.url('T9/B9/very-secret-token'), { MONITOR_ALERT_MAX_AGE_MS: 500 }), log);
    sink.raise(drift);
    await sink.settle();
    // and a refused connection, whose error text fetch builds itself
    const closedPort = receiver.port;
    await receiver.close();
    sink.raise({ ...drift, key: 'other' });
    await sink.settle();
    receiver = await WebhookReceiver.start();

    const logged = lines.join('');
    expect(logged).toContain(`"webhook":"http://127.0.0.1:${closedPort}"`);
    expect(logged).not.toContain('very-secret-token');
    expect(logged).not.toContain('/services/');
    expect(sink.webhookOrigin).toBe(`http://127.0.0.1:${closedPort}`);
  });

  it('sends basic-auth credentials of the URL as an Authorization header, never in the logged origin', async () => {
    const { log, lines } = capturedLogger();
    sink = new WebhookAlertSink(settingsFor(`http://alerts:p%40ss@127.0.0.1:${receiver.port}/hook`), log);
    sink.raise(drift);
    await sink.settle();

    expect(receiver.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('alerts:p@ss').toString('base64')}`);
    expect(lines.join('')).not.toContain('p%40ss');
  });

  it('never throws from raise, even for details JSON cannot hold', async () => {
    sink = new WebhookAlertSink(settingsFor(receiver.url()), capturedLogger().log);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    expect(() => sink!.raise({ ...drift, key: 'a', details: { rows: 10n } })).not.toThrow();
    expect(() => sink!.raise({ ...drift, key: 'b', details: cyclic })).not.toThrow();
    await sink.settle();

    const [big, cycle] = await receiver.waitFor(2);
    expect(big!.body.details).toEqual({ rows: '10' });
    expect(cycle!.body.details).toEqual({ unserializable: expect.stringContaining('circular') });
  });

  it('on close, waits up to the grace period for pending alerts, then drops the rest and returns', async () => {
    receiver.answer = () => 'hang';
    sink = new WebhookAlertSink(settingsFor(receiver.url(), { MONITOR_WEBHOOK_TIMEOUT_MS: 60_000 }), capturedLogger().log);
    sink.raise(drift);
    sink.raise({ ...drift, key: 'other' });

    const started = Date.now();
    const counts = await countsDuring('drift', () => sink!.close(200));

    expect(Date.now() - started).toBeLessThan(2_000);
    expect(counts.dropped).toBe(2);
    expect(sink.pending()).toBe(0);
  });
});
