import { EachBatchPayload } from 'kafkajs';
import { ConsumedMessage } from './consumed-message';
import { EventConsumer, EventHandler } from './event-consumer';
import { KafkaClient } from './kafka-client';

/** Just enough of a kafkajs consumer to drive eachBatch by hand and see what is committed. */
class FakeKafkaConsumer {
  eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  commits: string[] = [];
  seeks: string[] = [];
  resolved: string[] = [];
  heartbeats = 0;
  paused = 0;
  resumed = 0;
  runs = 0;
  failNextConnect = false;
  readonly events = { CRASH: 'consumer.crash', GROUP_JOIN: 'consumer.group_join' };
  crash?: (event: { payload: { error: Error; restart: boolean } }) => void;
  /** kafkajs's GROUP_JOIN listener: called after each join and sync, i.e. once per rebalance. */
  joined?: () => void;
  on(event: string, listener: (event: { payload: { error: Error; restart: boolean } }) => void) {
    if (event === this.events.CRASH) this.crash = listener;
    if (event === this.events.GROUP_JOIN) this.joined = listener as () => void;
  }
  async connect() {
    if (this.failNextConnect) {
      this.failNextConnect = false;
      throw new Error('broker not available');
    }
  }
  async subscribe() {}
  async run(options: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) {
    this.runs++;
    this.eachBatch = options.eachBatch;
  }
  async commitOffsets(offsets: Array<{ partition: number; offset: string }>) {
    this.commits.push(...offsets.map((o) => `${o.partition}@${o.offset}`));
  }
  seek(target: { partition: number; offset: string }) {
    this.seeks.push(`${target.partition}@${target.offset}`);
  }
  async disconnect() {}

  deliver(offsets: string[], highWatermark = '100') {
    return this.eachBatch!({
      batch: { topic: 'raw.landed', partition: 2, highWatermark, messages: offsets.map((offset) => ({ offset, key: null, value: Buffer.from(offset), headers: {}, timestamp: '0', attributes: 0 })) },
      resolveOffset: (offset: string) => void this.resolved.push(offset),
      heartbeat: async () => void this.heartbeats++,
      isRunning: () => true,
      isStale: () => false,
      pause: () => {
        this.paused++;
        return () => void this.resumed++;
      },
    } as unknown as EachBatchPayload);
  }
}

describe('EventConsumer', () => {
  let fake: FakeKafkaConsumer;
  const kafka = () => ({ consumer: () => fake }) as unknown as KafkaClient;

  beforeEach(() => {
    fake = new FakeKafkaConsumer();
  });

  async function started(handler: EventHandler, options: Partial<ConstructorParameters<typeof EventConsumer>[1]> = {}) {
    const consumer = new EventConsumer(kafka(), { groupId: 'g', topics: ['raw.landed'], retryPauseMs: 10, ...options }, handler);
    await consumer.start();
    return consumer;
  }

  it('starts the consumer again after a crash kafkajs does not restart it from, retrying a start that fails, and not after a drain', async () => {
    const errors: string[] = [];
    const consumer = await started({ handle: async () => undefined }, { restartPauseMs: 10, onError: (err, where) => void errors.push(`${where}: ${(err as Error).message}`) });
    expect(fake.runs).toBe(1);

    // A crash kafkajs restarts from itself is left to it.
    fake.crash!({ payload: { error: new Error('coordinator loading'), restart: true } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.runs).toBe(1);

    // One it does not: started again, after a first start that fails.
    fake.failNextConnect = true;
    fake.crash!({ payload: { error: new Error('not retriable'), restart: false } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.runs).toBe(2);
    expect(errors).toEqual([
      'the consumer crashed and kafkajs will not restart it; restarting it: not retriable',
      'the consumer crashed and kafkajs will not restart it; restarting it: broker not available',
    ]);

    await consumer.drain();
    fake.crash!({ payload: { error: new Error('late'), restart: false } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.runs).toBe(2);
  });

  it('handles a partition’s messages in offset order and commits each only after its handler resolved', async () => {
    const seen: string[] = [];
    await started({
      handle: async (m: ConsumedMessage) => {
        seen.push(`${m.offset}:${fake.commits.length}`);
      },
    });

    await fake.deliver(['5', '6', '7']);

    expect(seen).toEqual(['5:0', '6:1', '7:2']);
    expect(fake.commits).toEqual(['2@6', '2@7', '2@8']);
  });

  it('shows each handler the next message of the fetch, if there is one, before it has been handled or committed', async () => {
    const seen: string[] = [];
    await started({
      handle: async (m, tools) => {
        seen.push(`${m.offset}→${tools.upcoming ? `${tools.upcoming.offset}:${tools.upcoming.value!.toString()}` : 'none'} after ${fake.commits.length} commits`);
      },
    });

    await fake.deliver(['5', '6', '7']);

    expect(seen).toEqual(['5→6:6 after 0 commits', '6→7:7 after 1 commits', '7→none after 2 commits']);
  });

  it('tells each handler the group assignment it handles the message under, one more after every rebalance', async () => {
    const seen: string[] = [];
    await started({ handle: async (m, tools) => void seen.push(`${m.offset}@${tools.assignment}`) });

    fake.joined!();
    await fake.deliver(['5', '6']);
    fake.joined!();
    fake.joined!();
    await fake.deliver(['7']);

    expect(seen).toEqual(['5@1', '6@1', '7@3']);
  });

  it('commits nothing at or after a message whose handler rejected, and reads the partition again from it after a pause', async () => {
    const consumer = await started({
      handle: async (m) => {
        if (m.offset === '6') throw new Error('database unavailable');
      },
    });

    await fake.deliver(['5', '6', '7']);

    expect(fake.commits).toEqual(['2@6']);
    expect(fake.paused).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(fake.seeks).toEqual(['2@6']);
    expect(fake.resumed).toBe(1);
    await consumer.disconnect();
  });

  it('beats the group heartbeat while a long handler runs', async () => {
    await started({ handle: () => new Promise((resolve) => setTimeout(resolve, 120)) }, { heartbeatIntervalMs: 20 });

    await fake.deliver(['1']);

    expect(fake.heartbeats).toBeGreaterThanOrEqual(3);
  });

  it('reports the consumer lag behind the high watermark after each message', async () => {
    const lags: number[] = [];
    await started({ handle: async () => undefined }, { onLag: (_t, _p, lag) => lags.push(lag) });

    await fake.deliver(['97', '98', '99'], '100');

    expect(lags).toEqual([2, 1, 0]);
  });

  it('starts nothing new once draining, so the message in hand is the last one committed', async () => {
    const consumer: { current?: EventConsumer } = {};
    consumer.current = await started({
      handle: async (m) => {
        if (m.offset === '1') void consumer.current!.drain();
      },
    });

    await fake.deliver(['1', '2', '3']);

    expect(fake.commits).toEqual(['2@2']);
  });
});
