import { randomBytes } from 'node:crypto';
import { Topics, topicName } from '@flowsentry/contracts';
import { stackEnv } from '../../../test/support/stack-env';
import { createKafka } from './kafka-client';
import { kafkaSettingsFromEnv } from './kafka-settings';
import { TopicAdmin } from './topic-admin';
import { readTopic } from './topic-reader';
import { TransactionalEmitter } from './transactional-emitter';

// The step runtime's sender on the real broker: outputs and the consumed offset become visible
// together or not at all, to a consumer reading committed data (kafkajs's default).
describe('TransactionalEmitter on the real broker', () => {
  const prefix = `it${randomBytes(4).toString('hex')}`;
  const settings = kafkaSettingsFromEnv('flowsentry-it-txn', { ...stackEnv('owner'), FLOWSENTRY_TOPIC_PREFIX: prefix });
  const kafka = createKafka(settings);
  const admin = new TopicAdmin(kafka);
  const output = topicName(Topics.anomaliesDetected, prefix);
  const input = topicName(Topics.silverReady, prefix);
  const groupId = `${prefix}-monitor`;
  const emitter = new TransactionalEmitter(kafka, settings, { transactionalId: `${groupId}/it` });

  beforeAll(async () => {
    await admin.ensureTopics([output, input], 1);
    await emitter.connect();
  });
  afterAll(async () => {
    await emitter.disconnect();
    await admin.deleteTopics([output, input]);
  });

  const event = (seq: number, padding = '') => ({ topic: Topics.anomaliesDetected, key: '10.0.0.7', value: JSON.stringify({ seq, padding }) });
  const visible = async () => (await readTopic(kafka, output, { timeoutMs: 8_000, idleMs: 2_000 })).map((m) => (JSON.parse(m.value!.toString()) as { seq: number }).seq);

  it('commits the outputs and the next offset of the consumed event together', async () => {
    await emitter.emitAndCommit([event(1), event(2)], 'run-1', { groupId, topic: input, partition: 0, offset: '41' });

    expect(await visible()).toEqual([1, 2]);
    expect(await admin.committed(groupId, input)).toEqual([{ partition: 0, offset: '42' }]);
  });

  it('shows nothing of a transaction that failed part-way, commits no offset, and carries on with the next', async () => {
    // The first request (under the size limit) is accepted by the broker; the second, a single
    // message above the broker's 1 MiB limit, is refused: the transaction is aborted.
    const refused = [event(3, 'x'.repeat(400_000)), event(4, 'y'.repeat(1_200_000))];
    await expect(emitter.emitAndCommit(refused, 'run-2', { groupId, topic: input, partition: 0, offset: '42' })).rejects.toThrow();

    expect(await visible()).toEqual([1, 2]);
    expect(await admin.committed(groupId, input)).toEqual([{ partition: 0, offset: '42' }]);

    await emitter.emitAndCommit([event(5)], 'run-3', { groupId, topic: input, partition: 0, offset: '42' });
    expect(await visible()).toEqual([1, 2, 5]);
    expect(await admin.committed(groupId, input)).toEqual([{ partition: 0, offset: '43' }]);
  });
});
