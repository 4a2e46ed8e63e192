import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { env } from '@flowsentry/config';
import { Topics } from '@flowsentry/contracts';
import { DeadLetterPublisher } from '@flowsentry/messaging';
import { ConnectionsModule, loadServiceConfig } from '@flowsentry/runtime';
import { createLogger, LOGGER } from '@flowsentry/telemetry';
import { eventually } from '../../../test/support/eventually';
import { PipelineFixture } from '../../../test/support/pipeline-fixture';
import { stackEnv } from '../../../test/support/stack-env';
import { ALERT_SINK, AlertsModule, alertSettingsShape, WebhookAlertSink } from '../src/alerts';
import { WebhookReceiver } from './webhook-receiver';

/** What the monitor's TelemetryModule provides globally; the alerts need only the logger. */
@Global()
@Module({ providers: [{ provide: LOGGER, useValue: createLogger('monitor', 'warn') }], exports: [LOGGER] })
class TestLogging {}

describe('step-failure alerts on the real Kafka (AlertsModule: DLQ watcher and webhook sink)', () => {
  const fx = new PipelineFixture();
  const secrets = mkdtempSync(join(tmpdir(), 'monitor-alerts-'));
  let receiver: WebhookReceiver;
  let app: INestApplicationContext | undefined;
  let deadLetters: DeadLetterPublisher;
  const sourceTopic = fx.topic(Topics.rawLanded);

  /** What transform's step runtime does with a raw.landed message it rejects. */
  const deadLetter = (reason: string, error: string) =>
    deadLetters.publish([{ key: Buffer.from('p0'), value: Buffer.from('{"not":"a raw.landed event"}'), sourceTopic, partition: 0, offset: '17', reason, error }]);

  beforeAll(async () => {
    await fx.setUp(1);
    receiver = await WebhookReceiver.start();
    deadLetters = new DeadLetterPublisher(fx.producer, fx.settings, fx.group('transform'), Topics.rawLandedDlq);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await fx.tearDown();
    rmSync(secrets, { recursive: true, force: true });
  });

  it("alerts the webhook once per (topic, reason) for dead letters on <prefix>.raw.landed.dlq, naming both, and skips the DLQ's history", async () => {
    // Already on the DLQ before the watcher's group first joins: history, not news.
    await deadLetter('before-start', 'an old failure');

    const webhookFile = join(secrets, 'monitor-webhook-url');
    writeFileSync(webhookFile, `${receiver.url()}\n`);
    const config = loadServiceConfig('monitor', { ...alertSettingsShape, MONITOR_GROUP_ID: env.string() }, {
      ...stackEnv('monitor'),
      FLOWSENTRY_TOPIC_PREFIX: fx.prefix,
      MONITOR_GROUP_ID: fx.group('monitor'),
      MONITOR_WEBHOOK_URL_FILE: webhookFile,
    });
    const connections = ConnectionsModule.register(config, { bucket: 'monitor', table: 'model_alias_history' });
    app = await NestFactory.createApplicationContext(
      { module: class AlertsIt {}, imports: [TestLogging, connections, AlertsModule.register(config, connections)] },
      { logger: false },
    );
    await app.init();
    expect(app.get(ALERT_SINK)).toBeInstanceOf(WebhookAlertSink);

    // The new group starts at the latest offsets once it has joined; until then a dead letter may
    // fall before its starting point, so keep failing until the first alert arrives.
    await eventually(
      async () => {
        if (receiver.received.length > 0) return true;
        await deadLetter('schema-invalid', 'data.rows: expected number, received string');
        return false;
      },
      'a step-failure alert at the webhook',
      90_000,
      1_000,
    );

    const [first] = receiver.received;
    expect(first!.path).toBe(new URL(receiver.url()).pathname);
    expect(first!.body).toMatchObject({
      kind: 'step-failure',
      severity: 'high',
      key: `step-failure:${sourceTopic}:schema-invalid`,
      service: 'flowsentry-monitor',
      details: { sourceTopic, reason: 'schema-invalid', dlqTopic: `${sourceTopic}.dlq`, exampleError: 'data.rows: expected number, received string', consumerGroups: [fx.group('transform')] },
    });
    expect(first!.body.text).toMatch(/^:rotating_light: \[high\] step failure: \d+ messages? from /);
    expect(first!.body.text).toContain(sourceTopic);
    expect(first!.body.text).toContain('schema-invalid');
    expect(first!.body.details!.count).toBeGreaterThanOrEqual(1);

    // More of the same failure within MONITOR_ALERT_DEDUP_MS is counted, not sent; a new reason is news.
    await deadLetter('schema-invalid', 'data.rows: expected number, received string');
    await deadLetter('schema-invalid', 'data.rows: expected number, received string');
    await deadLetter('retries-exhausted', 'minio: connection refused');
    await eventually(async () => receiver.received.some((r) => r.body.key === `step-failure:${sourceTopic}:retries-exhausted`), 'the retries-exhausted alert', 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    expect(receiver.received.map((r) => r.body.key)).toEqual([`step-failure:${sourceTopic}:schema-invalid`, `step-failure:${sourceTopic}:retries-exhausted`]);
    expect(receiver.received.some((r) => r.body.details?.reason === 'before-start')).toBe(false);
  });
});
