import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlowsentryError } from '@flowsentry/contracts';
import { SilverBatch, SilverBuilder } from '../silver-builder';
import { TransformHandler } from '../transform.handler';
import { transformMetrics } from '../transform.metrics';
import { context, flow, landRaw, RawLanded, run, settings, silverData, stores } from '../../test/support/transform-fixtures';
import { SilverWorkerError, SilverWorkers } from './silver-workers';

/** Batches of `size` flows on `partition`, sources and ports cycling so windows reach across batches. */
function stream(s: ReturnType<typeof stores>, partition: number, batches: number, size = 40): RawLanded[] {
  return Array.from({ length: batches }, (_, b) => {
    const first = b * size;
    const lines = Array.from({ length: size }, (_, i) => JSON.stringify(flow(first + i, { event_id: `p${partition}-${first + i}`, src_ip: `10.0.${partition}.${(first + i) % 3}`, dst_port: 1000 + ((first + i) % 11) })));
    return landRaw(s, first, lines, partition);
  });
}

/**
 * What the handler stores and records of a batch, as plain JSON: phases are timings, not content,
 * and what comes from a worker was made in Node's realm, not in the spec's sandbox.
 */
function content(batch: SilverBatch): unknown {
  const { phases, ...rest } = batch;
  expect(phases.map(([phase]) => phase)).toContain('parquet');
  const bytes = (b: Buffer | undefined) => b && Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('base64');
  return JSON.parse(JSON.stringify({ ...rest, parquet: bytes(rest.parquet), statistics: bytes(rest.statistics), checkpoint: bytes(rest.checkpoint), keys: Array.from(rest.keys) }));
}

const noBeat = async () => undefined;

describe('SilverWorkers', () => {
  const pools: SilverWorkers[] = [];
  const pool = (s: ReturnType<typeof stores>, size: number, entry?: string) => {
    const workers = new SilverWorkers(size, s, settings, entry);
    pools.push(workers);
    return workers;
  };
  afterEach(async () => {
    for (const p of pools.splice(0)) await p.close();
  });

  it('builds, for two streams side by side on two workers, exactly what the main thread builds, window state carried from batch to batch', async () => {
    const inline = stores();
    const events = [...stream(inline, 0, 4), ...stream(inline, 1, 4)];
    const onMain = new TransformHandler(inline, settings);
    const expected = [];
    for (const event of events) expected.push(silverData(await run(onMain, event)));

    const threaded = stores();
    for (const partition of [0, 1]) stream(threaded, partition, 4);
    const workers = pool(threaded, 2);
    await workers.start();
    const onWorkers = new TransformHandler({ ...threaded, silver: workers }, settings);
    const got = await Promise.all(
      [events.slice(0, 4), events.slice(4)].map(async (own) => {
        const outputs = [];
        for (const event of own) outputs.push(silverData(await run(onWorkers, event)));
        return outputs;
      }),
    );

    expect(got.flat()).toEqual(expected);
    expect(threaded.objects.objects).toEqual(inline.objects.objects);
    // TRANSFORM_CHECKPOINT_EVERY is 3: each stream's window state crossed back from its worker once.
    expect(threaded.streams.checkpoints.size).toBe(2);
    expect(threaded.streams.checkpoints).toEqual(inline.streams.checkpoints);
  });

  it("reads a stream's next batch ahead on the stream's worker, and what it writes is what the main thread writes in turn", async () => {
    const inline = stores();
    const onMain = new TransformHandler(inline, { ...settings, TRANSFORM_READ_AHEAD: false });
    const expected = [];
    for (const event of stream(inline, 0, 5)) expected.push(silverData(await run(onMain, event)));

    const threaded = stores();
    const events = stream(threaded, 0, 5);
    const onWorkers = new TransformHandler({ ...threaded, silver: pool(threaded, 1) }, settings);
    const used = async () => (await transformMetrics.readAhead.get()).values.find((v) => v.labels.outcome === 'used')?.value ?? 0;
    const usedBefore = await used();
    const got = [];
    for (const [i, event] of events.entries()) {
      const outcome = await onWorkers.handle(event, { ...context, upcoming: () => events[i + 1] });
      await outcome.persist?.({} as never);
      got.push(silverData(outcome));
    }

    expect(got).toEqual(expected);
    expect(threaded.objects.objects).toEqual(inline.objects.objects);
    expect(threaded.streams.checkpoints).toEqual(inline.streams.checkpoints);
    expect((await used()) - usedBefore).toBe(4);
  });

  it("rebuilds a stream's state from what the main thread reads of the database and RAW, beating the heartbeat while it replays", async () => {
    const s = stores();
    const events = stream(s, 0, 3);
    const handler = new TransformHandler(s, settings);
    for (const event of events.slice(0, 2)) await (await handler.handle(event, context)).persist?.({} as never);
    const expected = content(await new SilverBuilder(s, settings).build(events[2]!.data, noBeat, 1));

    let beats = 0;
    const built = await pool(s, 1).build(events[2]!.data, async () => void beats++, 1);

    expect(content(built)).toEqual(expected);
    expect(beats).toBeGreaterThan(0);
  });

  it("hands a poison batch's code and verdict back to the step, and the worker goes on with the next batch", async () => {
    const s = stores();
    const [gone, next] = stream(s, 0, 2);
    s.objects.objects.delete(gone!.data.objectKey);
    const workers = pool(s, 1);

    const failure = workers.build(gone!.data, noBeat, 1);

    await expect(failure).rejects.toBeInstanceOf(FlowsentryError);
    await expect(failure).rejects.toMatchObject({ code: 'missing-object', retriable: false });
    await expect(workers.build(next!.data, noBeat, 1)).resolves.toMatchObject({ rows: 40 });
  });

  it('fails the batch a dying worker held with a retriable error, and builds the next one on a fresh worker', async () => {
    const s = stores();
    const [doomed, next] = stream(s, 0, 2);
    // The real worker, except that it exits the moment it is handed the doomed batch.
    const dir = mkdtempSync(join(tmpdir(), 'silver-worker-'));
    writeFileSync(
      join(dir, 'dying-worker.js'),
      `require(${JSON.stringify(require.resolve('tsx/cjs'))});
       require('node:worker_threads').parentPort.on('message', (m) => { if (m.kind === 'build' && m.raw.datasetId === ${JSON.stringify(doomed!.data.datasetId)}) process.exit(7); });
       require(${JSON.stringify(join(__dirname, 'silver-worker.ts'))});`,
    );
    const workers = pool(s, 1, join(dir, 'dying-worker'));

    const failure = workers.build(doomed!.data, noBeat, 1);

    await expect(failure).rejects.toBeInstanceOf(SilverWorkerError);
    await expect(failure).rejects.toThrow(/exited unexpectedly \(code 7\)/);
    const expected = content(await new SilverBuilder(s, settings).build(next!.data, noBeat, 1));
    expect(content(await workers.build(next!.data, noBeat, 1))).toEqual(expected);
  });
});
