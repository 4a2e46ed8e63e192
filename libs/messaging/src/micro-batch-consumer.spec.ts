import { EachBatchPayload } from 'kafkajs';
import { KafkaClient } from './kafka-client';
import { MicroBatch, MicroBatchTools, PreviousBatchFailed } from './micro-batch';
import { MicroBatchConsumer, MicroBatchHandler } from './micro-batch-consumer';

/** Just enough of a kafkajs consumer to drive eachBatch by hand and see what is committed and sought. */
class FakeKafkaConsumer {
  eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  readonly log: string[];
  readonly events = { CRASH: 'consumer.crash' };
  constructor(log: string[]) {
    this.log = log;
  }
  on() {}
  async connect() {}
  async subscribe() {}
  async run(options: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) {
    this.eachBatch = options.eachBatch;
  }
  async commitOffsets(offsets: Array<{ partition: number; offset: string }>) {
    this.log.push(...offsets.map((o) => `commit ${o.offset}`));
  }
  seek(target: { offset: string }) {
    this.log.push(`seek ${target.offset}`);
  }
  pause() {}
  async disconnect() {}

  deliver(offsets: string[]) {
    return this.eachBatch!({
      batch: { topic: 'network.events', partition: 0, highWatermark: '100', messages: offsets.map((offset) => ({ offset, key: null, value: Buffer.from(offset), headers: {}, timestamp: '0', attributes: 0 })) },
      resolveOffset: () => undefined,
      heartbeat: async () => undefined,
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
  }
}

/** A handler whose batches finish their own work, and then their in-order step, when the test says so. */
class GatedHandler implements MicroBatchHandler {
  private readonly gates = new Map<string, { open: () => void; fail: (err: Error) => void; opened: Promise<void> }>();
  constructor(private readonly log: string[]) {}

  gate(first: string) {
    if (!this.gates.has(first)) {
      let open!: () => void;
      let fail!: (err: Error) => void;
      const opened = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
      this.gates.set(first, { open, fail, opened });
    }
    return this.gates.get(first)!;
  }

  async flush(batch: MicroBatch, tools: MicroBatchTools): Promise<void> {
    const first = batch.messages[0]!.offset;
    this.log.push(`start ${first}`);
    await this.gate(first).opened;
    this.log.push(`written ${first}`);
    await tools.inOrder(async () => void this.log.push(`recorded ${first}`)).catch((err: Error) => {
      this.log.push(`${err.name} ${first}`);
      throw err;
    });
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('MicroBatchConsumer with two landings per partition', () => {
  let log: string[];
  let fake: FakeKafkaConsumer;
  let handler: GatedHandler;
  let consumer: MicroBatchConsumer;

  beforeEach(async () => {
    log = [];
    fake = new FakeKafkaConsumer(log);
    handler = new GatedHandler(log);
    consumer = new MicroBatchConsumer({ consumer: () => fake } as unknown as KafkaClient, { groupId: 'g', topics: ['network.events'], limits: { maxCount: 2, maxBytes: 1 << 20, maxWaitMs: 60_000 } }, handler);
    await consumer.start();
  });
  afterEach(() => consumer.disconnect());

  it('lands the next batch while the previous one lands, but records and commits in offset order', async () => {
    void fake.deliver(['0', '1', '2', '3']);
    await settle();
    expect(log).toEqual(['start 0', 'start 2']);

    handler.gate('2').open();
    await settle();
    // The second batch has written its object but waits for the first before recording.
    expect(log).toEqual(['start 0', 'start 2', 'written 2']);

    handler.gate('0').open();
    await settle();
    expect(log).toEqual(['start 0', 'start 2', 'written 2', 'written 0', 'recorded 0', 'commit 2', 'recorded 2', 'commit 4']);
  });

  it('does not record or commit a batch whose predecessor failed, and reads the partition again from the failed batch', async () => {
    void fake.deliver(['0', '1', '2', '3']);
    await settle();
    handler.gate('2').open();
    await settle();
    handler.gate('0').fail(new Error('storage down'));
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(log).toEqual(['start 0', 'start 2', 'written 2', `${PreviousBatchFailed.name} 2`, 'seek 0']);
  });

  it('commits the earlier batch when only the later one fails, and rewinds to the later one once the earlier has settled', async () => {
    void fake.deliver(['0', '1', '2', '3']);
    await settle();
    handler.gate('2').fail(new Error('encode worker died'));
    await settle();
    expect(log).toEqual(['start 0', 'start 2']);

    handler.gate('0').open();
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(log).toEqual(['start 0', 'start 2', 'written 0', 'recorded 0', 'commit 2', 'seek 2']);
  });
});
