import { randomBytes } from 'node:crypto';
import { Topics, topicName } from '@flowsentry/contracts';
import { eventually } from '../../../test/support/eventually';
import { stackEnv } from '../../../test/support/stack-env';
import { EventConsumer } from './event-consumer';
import { EventProducer } from './event-producer';
import { createKafka } from './kafka-client';
import { kafkaSettingsFromEnv } from './kafka-settings';
import { TopicAdmin } from './topic-admin';

// Steps that keep per-partition state in memory (transform's windows) must know when another
// member may have handled their partitions: on the real broker, a member joining the group makes
// the assignment the first member handles its messages under grow.
describe('EventConsumer on the real broker', () => {
  const prefix = `it${randomBytes(4).toString('hex')}`;
  const settings = kafkaSettingsFromEnv('flowsentry-it-consumer', { ...stackEnv('owner'), FLOWSENTRY_TOPIC_PREFIX: prefix });
  const kafka = createKafka(settings);
  const admin = new TopicAdmin(kafka);
  const producer = new EventProducer(kafka, settings);
  const topic = topicName(Topics.rawLanded, prefix);
  const consumers: EventConsumer[] = [];

  beforeAll(async () => {
    await admin.ensureTopics([topic], 2);
    await producer.connect();
  });
  afterAll(async () => {
    await Promise.all(consumers.map((c) => c.disconnect()));
    await producer.disconnect();
    await admin.deleteTopics([topic]);
  });

  /** Sends one message to each partition, tagged `tag`. */
  const sendRound = (tag: string) => producer.send(topic, [0, 1].map((partition) => ({ partition, key: null, value: `${tag}-${partition}` })));

  it('hands messages over under a larger assignment once a second member has joined the group', async () => {
    const groupId = `${prefix}-transform`;
    const seen: Array<{ member: string; value: string; assignment: number | undefined }> = [];
    const member = (name: string) => {
      const consumer = new EventConsumer(kafka, { groupId, topics: [topic], sessionTimeoutMs: 10_000, heartbeatIntervalMs: 1_000 }, { handle: async (m, tools) => void seen.push({ member: name, value: m.value!.toString(), assignment: tools.assignment }) });
      consumers.push(consumer);
      return consumer;
    };

    await member('first').start();
    await sendRound('before');
    await eventually(async () => seen.filter((s) => s.value.startsWith('before')).length === 2, 'the first round', 60_000, 100);
    const before = seen.find((s) => s.member === 'first')!.assignment!;

    await member('second').start();
    // A round a second until the second member handles one: by then the group has rebalanced.
    let round = 0;
    await eventually(
      async () => {
        if (seen.some((s) => s.member === 'second')) return true;
        await sendRound(`during${round++}`);
        return false;
      },
      'a message handled by the second member',
      60_000,
      1_000,
    );
    await sendRound('after');
    await eventually(async () => seen.filter((s) => s.value.startsWith('after')).length === 2, 'the round after the rebalance', 60_000, 100);

    expect(before).toBeGreaterThanOrEqual(1);
    expect(seen.filter((s) => s.value.startsWith('before')).map((s) => [s.member, s.assignment])).toEqual([
      ['first', before],
      ['first', before],
    ]);
    // Each member now holds one partition; the first handles its one under a later assignment.
    const after = seen.filter((s) => s.value.startsWith('after'));
    expect(after.map((s) => s.member).sort()).toEqual(['first', 'second']);
    expect(after.find((s) => s.member === 'first')!.assignment).toBeGreaterThan(before);
  }, 120_000);
});
