import { Headers } from '@flowsentry/contracts';
import { ConsumedMessage, KafkaClient } from '@flowsentry/messaging';
import { createLogger } from '@flowsentry/telemetry';
import { Alert, AlertSink } from './alert';
import { pipelineDeadLetterTopics, StepFailureWatcher } from './step-failure-watcher';

class RecordingSink implements AlertSink {
  readonly alerts: Alert[] = [];
  raise(alert: Alert): void {
    this.alerts.push(alert);
  }
}

const silentLog = createLogger('monitor', 'silent');
const settings = { brokers: ['127.0.0.1:1'], clientId: 'monitor-spec', topicPrefix: 'it7' };
const letter = (sourceTopic: string, reason: string, error = 'boom'): ConsumedMessage => ({
  topic: `${sourceTopic}.dlq`,
  partition: 0,
  offset: '1',
  key: null,
  value: Buffer.from('x'),
  headers: { [Headers.dlqSourceTopic]: sourceTopic, [Headers.dlqReason]: reason, [Headers.dlqError]: error },
  timestamp: '0',
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A Kafka client whose consumers cannot connect, like a broker that is down. */
function unreachableKafka(): { kafka: KafkaClient; connects: () => number } {
  let connects = 0;
  const consumer = {
    connect: async () => {
      connects++;
      throw new Error('connect ECONNREFUSED 127.0.0.1:1');
    },
    subscribe: async () => undefined,
    run: async () => undefined,
    disconnect: async () => undefined,
    events: { CRASH: 'consumer.crash' },
    on: () => undefined,
  };
  return { kafka: { consumer: () => consumer } as unknown as KafkaClient, connects: () => connects };
}

describe('StepFailureWatcher', () => {
  it("watches every pipeline dead-letter topic, under the deployment's topic prefix", () => {
    expect(pipelineDeadLetterTopics({ topicPrefix: 'it7' }).sort()).toEqual(
      ['network.events', 'raw.landed', 'silver.ready', 'model.trained', 'eval.done', 'drift.detected', 'champion.changed'].map((t) => `it7.${t}.dlq`).sort(),
    );
  });

  it('raises one alert per (source topic, reason) for a burst of dead letters, with the count', async () => {
    const sink = new RecordingSink();
    const watcher = new StepFailureWatcher(unreachableKafka().kafka, settings, sink, silentLog, { groupId: 'g-dlq', digestMs: 50 });

    for (let i = 0; i < 3; i++) await watcher.handle(letter('it7.raw.landed', 'schema-invalid'));
    await watcher.handle(letter('it7.silver.ready', 'retries-exhausted'));
    expect(sink.alerts).toEqual([]);
    await sleep(120);

    expect(sink.alerts.map((a) => [a.key, a.details.count])).toEqual([
      ['step-failure:it7.raw.landed:schema-invalid', 3],
      ['step-failure:it7.silver.ready:retries-exhausted', 1],
    ]);
  });

  it('never rejects a record, even one it cannot read, so no DLQ partition is ever blocked', async () => {
    const sink = new RecordingSink();
    const watcher = new StepFailureWatcher(unreachableKafka().kafka, settings, sink, silentLog, { groupId: 'g-dlq', digestMs: 10 });
    const unreadable = { topic: 'it7.raw.landed.dlq', headers: null } as unknown as ConsumedMessage;

    await expect(watcher.handle(unreadable)).resolves.toBeUndefined();
  });

  it('keeps trying to join in the background while Kafka refuses, without failing its caller, and stops when asked', async () => {
    const { kafka, connects } = unreachableKafka();
    const watcher = new StepFailureWatcher(kafka, settings, new RecordingSink(), silentLog, { groupId: 'g-dlq', restartDelayMs: 10 });

    expect(() => watcher.start()).not.toThrow();
    await sleep(300);
    expect(connects()).toBeGreaterThanOrEqual(3);

    await watcher.stop();
    const afterStop = connects();
    await sleep(100);
    expect(connects()).toBe(afterStop);
  });

  it('raises what it has gathered when it stops, rather than losing it', async () => {
    const sink = new RecordingSink();
    const watcher = new StepFailureWatcher(unreachableKafka().kafka, settings, sink, silentLog, { groupId: 'g-dlq', digestMs: 60_000 });
    await watcher.handle(letter('it7.model.trained', 'schema-invalid'));

    await watcher.stop();

    expect(sink.alerts.map((a) => a.key)).toEqual(['step-failure:it7.model.trained:schema-invalid']);
  });
});
