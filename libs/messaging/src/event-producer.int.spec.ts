import { randomBytes } from 'node:crypto';
import { Headers, Topics, topicName } from '@flowsentry/contracts';
import { stackEnv } from '../../../test/support/stack-env';
import { EventProducer } from './event-producer';
import { createKafka } from './kafka-client';
import { kafkaSettingsFromEnv } from './kafka-settings';
import { TopicAdmin } from './topic-admin';
import { readTopic } from './topic-reader';

// A step's outputs can be far larger than one record batch the broker accepts (a burst of
// anomalies from one scanner all share its source IP, so one partition). On the real broker,
// every one of them must arrive, once and in order.
describe('EventProducer on the real broker', () => {
  const prefix = `it${randomBytes(4).toString('hex')}`;
  const settings = kafkaSettingsFromEnv('flowsentry-it-producer', { ...stackEnv('owner'), FLOWSENTRY_TOPIC_PREFIX: prefix });
  const kafka = createKafka(settings);
  const producer = new EventProducer(kafka, settings);
  const topic = topicName(Topics.anomaliesDetected, prefix);

  beforeAll(async () => {
    await new TopicAdmin(kafka).ensureTopics([topic], 1);
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
  });

  it('delivers 4 MB of events for one key in one call, all of them, in order', async () => {
    const padding = 'x'.repeat(2_000);
    const events = Array.from({ length: 2_000 }, (_, i) => ({ topic: Topics.anomaliesDetected, key: '10.0.0.66', value: JSON.stringify({ seq: i, padding }) }));

    await producer.emitAllSerialized(events, 'run-large');

    const read = await readTopic(kafka, topic, { count: events.length, timeoutMs: 60_000 });
    expect(read.map((m) => (JSON.parse(m.value!.toString()) as { seq: number }).seq)).toEqual(events.map((_, i) => i));
    expect(new Set(read.map((m) => m.headers[Headers.runId]?.toString()))).toEqual(new Set(['run-large']));
  });
});
