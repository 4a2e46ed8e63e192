import { KafkaClient } from './kafka-client';
import { kafkaSettingsFromEnv } from './kafka-settings';
import { ConsumedPosition, TransactionalEmitter } from './transactional-emitter';

type State = 'READY' | 'TRANSACTING' | 'COMMITTING';

/**
 * A transactional kafkajs producer as far as the emitter's recovery depends on it: one that lost
 * the broker during a commit stays in COMMITTING and refuses every later transaction, as kafkajs's does.
 */
class FakeProducer {
  state: State = 'READY';
  sent: string[] = [];
  connects = 0;
  disconnected = false;
  constructor(private readonly broker: FakeBroker) {}
  async connect() {
    this.connects++;
    if (this.broker.down) throw new Error('Connection error: connect ECONNREFUSED');
  }
  async disconnect() {
    this.disconnected = true;
  }
  async transaction() {
    if (this.state !== 'READY') throw new Error(`Transaction state exception: Cannot call "beginTransaction" in state "${this.state}"`);
    this.state = 'TRANSACTING';
    const pending: string[] = [];
    let offset: { partition: number; offset: string } | undefined;
    const active = () => this.state === 'TRANSACTING';
    return {
      isActive: active,
      sendBatch: async ({ topicMessages }: { topicMessages: Array<{ messages: Array<{ value: string }> }> }) => {
        for (const t of topicMessages) pending.push(...t.messages.map((m) => String(m.value)));
      },
      sendOffsets: async ({ topics }: { topics: Array<{ partitions: Array<{ partition: number; offset: string }> }> }) => {
        offset = topics[0]!.partitions[0]!;
      },
      commit: async () => {
        this.state = 'COMMITTING';
        const outcome = this.broker.nextCommit;
        this.broker.nextCommit = 'ok';
        if (outcome !== 'refused') {
          this.broker.topic.push(...pending);
          if (offset) this.broker.committed.set(offset.partition, offset.offset);
        }
        if (outcome !== 'ok') throw new Error('Closed connection');
        this.state = 'READY';
      },
      abort: async () => {
        if (!active()) throw new Error('Cannot continue to use transaction once ended');
        this.state = 'READY';
      },
    };
  }
}

class FakeBroker {
  down = false;
  /** 'lost': the commit lands but its answer never comes back; 'refused': it does not land. */
  nextCommit: 'ok' | 'lost' | 'refused' = 'ok';
  topic: string[] = [];
  /** The group's committed offset per partition of the consumed topic. */
  committed = new Map<number, string>();
  producers: FakeProducer[] = [];
  readonly kafka = { producer: () => this.newProducer() } as unknown as KafkaClient;
  readonly offsets = { committed: async () => [...this.committed].map(([partition, offset]) => ({ partition, offset })) };
  get committedOffset(): string | undefined {
    return this.committed.get(0);
  }
  private newProducer() {
    const producer = new FakeProducer(this);
    this.producers.push(producer);
    return producer;
  }
}

describe('TransactionalEmitter recovery', () => {
  const settings = kafkaSettingsFromEnv('flowsentry-test', { KAFKA_BROKERS: '127.0.0.1:9092' });
  const consumed: ConsumedPosition = { groupId: 'g', topic: 'raw.landed', partition: 0, offset: '41' };
  const event = (value: string) => ({ topic: 'silver.ready' as never, key: 'k', value });
  let broker: FakeBroker;
  let emitter: TransactionalEmitter;
  beforeEach(async () => {
    broker = new FakeBroker();
    emitter = new TransactionalEmitter(broker.kafka, settings, { transactionalId: 'g/0' }, broker.offsets);
    await emitter.connect();
  });

  it('a commit whose answer was lost and did land: the retry sends nothing again', async () => {
    broker.nextCommit = 'lost';
    await expect(emitter.emitAndCommit([event('silver-1')], 'run', consumed)).rejects.toThrow('Closed connection');

    await emitter.emitAndCommit([event('silver-1')], 'run', consumed);

    expect(broker.topic).toEqual(['silver-1']);
    expect(broker.committedOffset).toBe('42');
    // The producer stuck in COMMITTING was replaced, not used again.
    expect(broker.producers).toHaveLength(2);
    expect(broker.producers[0]!.disconnected).toBe(true);
  });

  it('a commit that failed and did not land: the retry sends the outputs, once', async () => {
    broker.nextCommit = 'refused';
    await expect(emitter.emitAndCommit([event('silver-1')], 'run', consumed)).rejects.toThrow('Closed connection');

    await emitter.emitAndCommit([event('silver-1')], 'run', consumed);

    expect(broker.topic).toEqual(['silver-1']);
    expect(broker.committedOffset).toBe('42');
  });

  it('another partition’s event between an in-doubt commit and its retry: both partitions’ outputs once each', async () => {
    broker.nextCommit = 'lost';
    await expect(emitter.emitAndCommit([event('silver-1')], 'run', consumed)).rejects.toThrow('Closed connection');
    await emitter.emitAndCommit([event('silver-p1')], 'run', { ...consumed, partition: 1, offset: '7' });

    await emitter.emitAndCommit([event('silver-1')], 'run', consumed);

    expect(broker.topic).toEqual(['silver-1', 'silver-p1']);
    expect(broker.committed).toEqual(new Map([[0, '42'], [1, '8']]));
  });

  it('the next event after an in-doubt one is sent whatever the doubt was about', async () => {
    broker.nextCommit = 'lost';
    await expect(emitter.emitAndCommit([event('silver-1')], 'run', consumed)).rejects.toThrow();
    await emitter.emitAndCommit([event('silver-2')], 'run', { ...consumed, offset: '42' });

    expect(broker.topic).toEqual(['silver-1', 'silver-2']);
    expect(broker.committedOffset).toBe('43');
  });

  it('a broker still down when the fresh producer connects: the next attempt connects first, then sends', async () => {
    broker.nextCommit = 'refused';
    broker.down = true;
    await expect(emitter.emitAndCommit([event('silver-1')], 'run', consumed)).rejects.toThrow();
    await expect(emitter.emitAndCommit([event('silver-1')], 'run', consumed)).rejects.toThrow('ECONNREFUSED');

    broker.down = false;
    await emitter.emitAndCommit([event('silver-1')], 'run', consumed);

    expect(broker.topic).toEqual(['silver-1']);
    // One replacement for the failed commit; the attempts while the broker was down reuse it.
    expect(broker.producers).toHaveLength(2);
    expect(broker.producers[1]!.connects).toBe(3);
  });
});
