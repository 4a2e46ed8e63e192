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

/** What handling `events` one after another, each recorded, without read-ahead writes into `s`: what a read-ahead must match. */
async function inTurn(s: ReturnType<typeof stores>, events: RawLanded[]) {
  const plain = new TransformHandler(s, { ...settings, TRANSFORM_READ_AHEAD: false });
  const written = [];
  for (const event of events) written.push(await handled(plain, event));
  return written;
}

describe('SilverReadAhead (through TransformHandler)', () => {
  it('builds each next batch while the one before is recorded, and writes byte for byte what building in turn writes', async () => {
    const reference = stores();
    const expected = await inTurn(reference, batches(reference, 5));

    const ahead = stores();
    const events = batches(ahead, 5);
    const handler = new TransformHandler(ahead, settings);
    const start = await readAheads();
    const got = [];
    for (const [i, event] of events.entries()) got.push(await handled(handler, event, events[i + 1]));

    expect(got).toEqual(expected);
    expect(ahead.objects.objects).toEqual(reference.objects.objects);
    expect(ahead.streams.checkpoints).toEqual(reference.streams.checkpoints);
    const end = await readAheads();
    expect(end.used! - start.used!).toBe(4);
    expect(end.discarded! - start.discarded!).toBe(0);
  });

  it('drops the read-ahead of a batch whose predecessor was never recorded, and builds it from the recorded state', async () => {
    // Batch 1 is built, then dead-lettered (never recorded): its flows must not reach batch 2's windows.
    const skipped = stores();
    const [b0, , b2] = batches(skipped, 3);
    const expected = (await inTurn(skipped, [b0!, b2!])).at(-1);

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

  it('rebuilds, after a rebalance, a state read ahead past a batch that was then dead-lettered and that another instance recorded past', async () => {
    // Batch 1 is built and read past, then dead-lettered. The stream moves to another instance,
    // which records batch 2 without batch 1, and comes back: batch 3 must not see batch 1's flows,
    // though the state in memory stands at the offset the database now names (batch 2's last).
    const skipped = stores();
    const [r0, , r2, r3] = batches(skipped, 4);
    const expected = (await inTurn(skipped, [r0!, r2!, r3!])).at(-1);

    const s = stores();
    const events = batches(s, 4);
    const first = new TransformHandler(s, settings);
    await handled(first, events[0]!, events[1]);
    await handled(first, events[1]!, events[2], false);
    await handled(new TransformHandler(s, settings), events[2]!);
    // Two rebalances later (the stream went and came back), the first instance's assignment is 3.
    const got = silverData(await first.handle(events[3]!, { ...context, assignment: 3 }));

    // silver.ready carries the Parquet object's sha256: equal data is equal bytes.
    expect(got).toEqual(expected);
  });

  it('keeps using the state in memory, without a rebuild, while the assignment stays the same', async () => {
    const s = stores();
    const events = batches(s, 3);
    const handler = new TransformHandler(s, { ...settings, TRANSFORM_READ_AHEAD: false });
    await handled(handler, events[0]!);
    const start = s.objects.gets;
    await handled(handler, events[1]!);
    // One read per batch, its own RAW object: nothing replayed.
    expect(s.objects.gets - start).toBe(1);
    await handler.handle(events[2]!, { ...context, assignment: 2 });
    // Under a new assignment, batches 0 and 1 are read again to rebuild the windows.
    expect(s.objects.gets - start).toBe(4);
  });

  it('drops a read-ahead made for another event (a retried batch) and still reads the batch after it ahead', async () => {
    const reference = stores();
    const expected = await inTurn(reference, batches(reference, 3));

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
