import { StepContext } from '@flowsentry/runtime';
import { Topics } from '@flowsentry/contracts';
import { TransformHandler } from './transform.handler';
import { transformMetrics } from './transform.metrics';
import { context, flow, landRaw, RawLanded, settings, silverData, stores } from '../test/support/transform-fixtures';

/** Batches of 40 flows on one partition, sources and ports cycling so the windows reach across batches. */
function batches(s: ReturnType<typeof stores>, count: number): RawLanded[] {
  return Array.from({ length: count }, (_, b) =>
    landRaw(
      s,
      b * 40,
      Array.from({ length: 40 }, (_, i) => JSON.stringify(flow(b * 40 + i, { src_ip: `10.0.0.${(b * 40 + i) % 3}`, dst_port: 1000 + ((b * 40 + i) % 11) }))),
    ),
  );
}

/** The step context of an event whose partition's next message, already fetched, is `next`. */
const before = (next: RawLanded | undefined): StepContext<typeof Topics.rawLanded> => ({ ...context, upcoming: () => next });

/** Read-aheads used and discarded so far (the counter is process-wide). */
async function readAheads(): Promise<Record<string, number>> {
  const counts: Record<string, number> = { used: 0, discarded: 0 };
  for (const v of (await transformMetrics.readAhead.get()).values) counts[String(v.labels.outcome)] = v.value;
  return counts;
}

async function handled(handler: TransformHandler, event: RawLanded, next?: RawLanded, commit = true) {
  const outcome = await handler.handle(event, before(next));
  if (commit) await outcome.persist?.({} as never);
  return silverData(outcome);
}

describe('SilverReadAhead (through TransformHandler)', () => {
  it('builds each next batch while the one before is recorded, and writes byte for byte what building in turn writes', async () => {
    const inTurn = stores();
    const plain = new TransformHandler(inTurn, { ...settings, TRANSFORM_READ_AHEAD: false });
    const expected = [];
    for (const event of batches(inTurn, 5)) expected.push(await handled(plain, event));

    const ahead = stores();
    const events = batches(ahead, 5);
    const handler = new TransformHandler(ahead, settings);
    const start = await readAheads();
    const got = [];
    for (const [i, event] of events.entries()) got.push(await handled(handler, event, events[i + 1]));

    expect(got).toEqual(expected);
    expect(ahead.objects.objects).toEqual(inTurn.objects.objects);
    expect(ahead.streams.checkpoints).toEqual(inTurn.streams.checkpoints);
    const end = await readAheads();
    expect(end.used! - start.used!).toBe(4);
    expect(end.discarded! - start.discarded!).toBe(0);
  });

  it('drops the read-ahead of a batch whose predecessor was never recorded, and builds it from the recorded state', async () => {
    // Batch 1 is built, then dead-lettered (never recorded): its flows must not reach batch 2's windows.
    const skipped = stores();
    const [b0, , b2] = batches(skipped, 3);
    const reference = new TransformHandler(skipped, { ...settings, TRANSFORM_READ_AHEAD: false });
    await handled(reference, b0!);
    const expected = await handled(reference, b2!);

    const s = stores();
    const events = batches(s, 3);
    const handler = new TransformHandler(s, settings);
    await handled(handler, events[0]!, events[1]);
    await handled(handler, events[1]!, events[2], false);
    const start = await readAheads();
    const got = await handled(handler, events[2]!);

    expect(got).toEqual(expected);
    expect((await readAheads()).discarded! - start.discarded!).toBe(1);
  });

  it('drops a read-ahead made for another event (a retried batch) and still reads the batch after it ahead', async () => {
    const inTurn = stores();
    const plain = new TransformHandler(inTurn, { ...settings, TRANSFORM_READ_AHEAD: false });
    const expected = [];
    for (const event of batches(inTurn, 3)) expected.push(await handled(plain, event));

    const s = stores();
    const events = batches(s, 3);
    const handler = new TransformHandler(s, settings);
    await handled(handler, events[0]!, events[1]);
    const start = await readAheads();
    // Batch 1's first attempt fails after building (its commit never happens); the runtime tries it again.
    await handled(handler, events[1]!, events[2], false);
    const got = [await handled(handler, events[1]!, events[2]), await handled(handler, events[2]!)];

    expect(got).toEqual(expected.slice(1));
    const end = await readAheads();
    // Attempt 1 of batch 1 used its read-ahead; attempt 2 found batch 2's (dropped), and batch 2 used the one attempt 2 made.
    expect([end.used! - start.used!, end.discarded! - start.discarded!]).toEqual([2, 1]);
  });

  it('reads nothing ahead when the next event is of another stream', async () => {
    const s = stores();
    const [first] = batches(s, 1);
    const other = landRaw(s, 0, [JSON.stringify(flow(1))], 1);
    const handler = new TransformHandler(s, settings);
    const start = await readAheads();

    await handled(handler, first!, other);
    await handled(handler, other);

    expect(await readAheads()).toEqual(start);
  });
});
