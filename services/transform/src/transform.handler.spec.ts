import { PoisonMessageError } from '@flowsentry/contracts';
import { readParquet, sha256Hex } from '@flowsentry/storage';
import { TransformHandler } from './transform.handler';
import { MemoryObjects } from '../../../test/support/memory-objects';
import { context, flow, landRaw, RawLanded, run, settings, silverData, stores, T0 } from '../test/support/transform-fixtures';

describe('TransformHandler', () => {
  it('writes one SILVER Parquet object and its statistics.json per RAW batch, counting duplicates and undecodable lines', async () => {
    const s = stores();
    const handler = new TransformHandler(s, settings);
    const lines = [flow(1), flow(2), flow(2), flow(3)].map((e) => JSON.stringify(e));
    lines.push('{"broken":', JSON.stringify({ ...flow(4), src_port: 70000 }));

    const outcome = await run(handler, landRaw(s, 0, lines));

    const data = silverData(outcome);
    expect(data).toMatchObject({ rows: 3, featuresSchemaVersion: 'f1.w1-1m-10m', quality: { inputRows: 6, duplicates: 1, dropped: 2 } });
    expect(data.datasetId).toBe('network.events-p0-0-5.f1.w1-1m-10m');
    expect(data.silverKey).toBe('silver/date=2026-11-30/network.events-p0-0-5.f1.w1-1m-10m.parquet');
    const table = await readParquet(s.objects.objects.get(data.silverKey)!);
    const col = (name: string) => Array.from(table.columns.find((c) => c.name === name)!.values);
    expect(col('event_id')).toEqual(['e-1', 'e-2', 'e-3']);
    expect(col('raw_line')).toEqual([0, 1, 3]);
    expect(col('ts')).toEqual([T0 + 1000, T0 + 2000, T0 + 3000]);
    expect(col('bytes_in')).toEqual([1001n, 1002n, 1003n]);
    expect(col('log_bytes_in')[0]).toBeCloseTo(Math.log1p(1001), 5);
    expect(col('protocol_tcp')).toEqual([1, 1, 1]);
    expect(col('src_conn_count_1m')).toEqual([1, 1, 1]);
    expect(col('source_first_offset')).toEqual([0n, 0n, 0n]);
    expect(table.columns.map((c) => c.name)).not.toContain('vendor_field');

    const statistics = JSON.parse(s.objects.objects.get(data.qualityKey!)!.toString());
    expect(statistics.flowsentry).toEqual({ input_rows: 6, output_rows: 3, duplicates: 1, dropped: { 'malformed-json': 1, schema: 1 } });
    expect(statistics.dataset.item_count).toBe(3);
    expect(statistics.features.find((f: { name: string }) => f.name === 'bytes_in').numerical_statistics).toMatchObject({ min: 1001, max: 1003, mean: 1002 });
    expect(outcome.lineage).toContainEqual({ parentRef: lines.length && 'raw/date=2026-11-30/network.events/p0-0-5.jsonl.gz', childRef: data.silverKey, relation: 'transformed' });
    expect(outcome.artifacts.map((a) => a.ref)).toEqual([data.silverKey, data.qualityKey]);
  });

  it('drops an event re-sent in a later batch, but not when its own batch is processed again', async () => {
    const s = stores();
    const handler = new TransformHandler(s, settings);
    await run(handler, landRaw(s, 0, [flow(1), flow(2)].map((e) => JSON.stringify(e))));
    // The same event with other spacing and key order: the content identity ignores both.
    const resent = JSON.stringify({ ...flow(9), event_id: undefined }).replace('{', '{ ');
    const second = landRaw(s, 2, [JSON.stringify(flow(2)), JSON.stringify(flow(3)), resent]);
    const first = silverData(await run(handler, second));
    const again = silverData(await run(handler, second));
    const withoutId = { ...flow(9) };
    delete withoutId.event_id;
    const third = silverData(await run(handler, landRaw(s, 5, [JSON.stringify(Object.fromEntries(Object.entries(withoutId).reverse()))])));

    expect(first.quality.duplicates).toBe(1);
    expect(again.sha256).toBe(first.sha256);
    expect(third).toMatchObject({ rows: 0, quality: { duplicates: 1 } });
  });

  it('computes byte-identical SILVER whether a stream is processed in one go or restarted between batches', async () => {
    const batches = (s: { objects: MemoryObjects }) =>
      [0, 40, 80, 120].map((first) => landRaw(s, first, Array.from({ length: 40 }, (_, i) => JSON.stringify(flow(first + i, { src_ip: `10.0.0.${(first + i) % 3}`, dst_port: 1000 + ((first + i) % 11) })))));

    const once = stores();
    const uninterrupted = new TransformHandler(once, settings);
    const expected = [];
    for (const event of batches(once)) expected.push(silverData(await run(uninterrupted, event)).sha256);

    const restarted = stores();
    const got = [];
    for (const [i, event] of batches(restarted).entries()) {
      // A crash after writing the objects but before the commit: the retry must reproduce them.
      if (i === 2) await new TransformHandler(restarted, settings).handle(event, context);
      got.push(silverData(await run(new TransformHandler(restarted, settings), event)).sha256);
    }

    expect(got).toEqual(expected);
    const last = await readParquet(once.objects.objects.get(`silver/date=2026-11-30/network.events-p0-120-159.f1.w1-1m-10m.parquet`)!);
    // Windows reach across batch boundaries: by the last batch each source has many flows in 10 minutes.
    expect(Math.max(...Array.from(last.columns.find((c) => c.name === 'src_conn_count_10m')!.values as number[]))).toBeGreaterThan(40);
  });

  it('gives other windows a new feature version, new dataset ids and keys, and leaves the old objects as they were', async () => {
    const s = stores();
    const event = landRaw(s, 0, [JSON.stringify(flow(1))]);
    const v1 = silverData(await run(new TransformHandler(s, settings), event));
    const before = new Map(s.objects.objects);
    const v2 = silverData(await run(new TransformHandler(s, { ...settings, TRANSFORM_WINDOWS_MS: [300_000] }), event));

    expect(v2.featuresSchemaVersion).toBe('f1.w1-5m');
    expect(v2.datasetId).not.toBe(v1.datasetId);
    expect(v2.silverKey).not.toBe(v1.silverKey);
    for (const [key, body] of before) expect(s.objects.objects.get(key)).toBe(body);
  });

  it.each([
    ['missing-object', (s: ReturnType<typeof stores>, e: RawLanded) => void s.objects.objects.delete(e.data.objectKey)],
    ['hash-mismatch', (_s: ReturnType<typeof stores>, e: RawLanded) => void (e.data.sha256 = 'f'.repeat(64))],
    ['corrupt-gzip', (s: ReturnType<typeof stores>, e: RawLanded) => {
      const body = Buffer.from('not gzip at all');
      s.objects.objects.set(e.data.objectKey, body);
      e.data.sha256 = sha256Hex(body);
    }],
  ])('refuses a raw.landed whose RAW object is unusable as poison (%s)', async (code, spoil) => {
    const s = stores();
    const event = landRaw(s, 0, [JSON.stringify(flow(1))]);
    spoil(s, event);

    const failure = new TransformHandler(s, settings).handle(event, context);

    await expect(failure).rejects.toBeInstanceOf(PoisonMessageError);
    await expect(failure).rejects.toMatchObject({ code, retriable: false });
  });
});
