import { gzipSync } from 'node:zlib';
import { ProcessedEvent } from '@flowsentry/audit';
import { decodePipelineEvent, Headers, PipelineEventOf, rawLandedKey, Topics } from '@flowsentry/contracts';
import { readTopic } from '@flowsentry/messaging';
import { parseRef, readParquet, sha256Hex } from '@flowsentry/storage';
import { eventually } from '../../../test/support/eventually';
import { flowEvent } from '../../../test/support/network-events';
import { readWithPythonReaders } from '../../../test/support/parquet-readers';
import { PipelineFixture } from '../../../test/support/pipeline-fixture';
import { RunningService, startService } from '../../../test/support/service-process';
import { metricValue, runCli, runTrafficProducer } from '../../../test/support/tools';

type SilverReady = PipelineEventOf<typeof Topics.silverReady>;

describe('transform on the real stack (ingest and transform as separate processes)', () => {
  let fx: PipelineFixture;
  const running: RunningService[] = [];

  beforeEach(async () => {
    fx = new PipelineFixture();
    await fx.setUp(3);
  });
  afterEach(async () => {
    for (const service of running.splice(0)) {
      service.kill('SIGKILL');
      await service.exited;
    }
    await fx.tearDown();
  });

  const start = async (name: 'ingest' | 'transform', extra: Record<string, string> = {}) => {
    const service = await startService(name, fx.serviceEnv(name, extra));
    running.push(service);
    return service;
  };
  const ingestEnv = { INGEST_BATCH_MAX_EVENTS: '100', INGEST_BATCH_MAX_WAIT_MS: '300' };

  /** Every raw.landed ingest emitted so far that carries events (an all-rejected batch emits none). */
  const landedBatches = async () => (await fx.db.query(`SELECT count(*)::int AS n, coalesce(sum(event_count), 0)::int AS events FROM ingestion_batches WHERE consumer_group = $1 AND status = 'landed' AND event_count > 0`, [fx.group('ingest')]))[0] as { n: number; events: number };

  /** What a transform consumer group recorded: its processed raw.landed events and the silver.ready each led to. */
  const silverOf = async (group: string): Promise<Map<string, SilverReady['data']>> => {
    const rows = await fx.db.getRepository(ProcessedEvent).find({ where: { consumerGroup: group } });
    const out = new Map<string, SilverReady['data']>();
    for (const row of rows) {
      const [output] = JSON.parse(row.outputs ?? '[]') as Array<{ value: string }>;
      if (output) out.set(row.eventId, (JSON.parse(output.value) as SilverReady).data);
    }
    return out;
  };

  const transformedAll = (group: string) =>
    eventually(
      async () => {
        const { n } = await landedBatches();
        const silver = await silverOf(group);
        return n > 0 && silver.size === n ? silver : undefined;
      },
      `transform group ${group} to process every landed batch`,
      120_000,
      500,
    );

  it('turns producer events into SILVER Parquet rows, less duplicates, that pyarrow, DuckDB and Spark read with the documented columns', async () => {
    await start('ingest', ingestEnv);
    const transform = await start('transform');
    const events = Array.from({ length: 300 }, (_, i) => flowEvent(i, { sensor_id: `sensor-${i % 3}` }));
    await fx.producer.send(fx.topic(Topics.networkEvents), events.map((e) => ({ key: e.sensor_id, value: JSON.stringify(e) })));
    await eventually(async () => (await landedBatches()).events === 300, '300 events landed');
    // 20 events re-sent by their producer later, byte for byte: RAW keeps them, SILVER must not.
    const resent = events.slice(100, 120);
    await fx.producer.send(fx.topic(Topics.networkEvents), resent.map((e) => ({ key: e.sensor_id, value: JSON.stringify(e) })));
    await eventually(async () => (await landedBatches()).events === 320, '320 events landed');

    const silver = [...(await transformedAll(fx.group('transform'))).values()];
    expect(silver.reduce((n, d) => n + d.quality.inputRows, 0)).toBe(320);
    expect(silver.reduce((n, d) => n + d.rows, 0)).toBe(300);
    expect(silver.reduce((n, d) => n + d.quality.duplicates, 0)).toBe(20);

    const ids: string[] = [];
    for (const data of silver) {
      const body = await fx.store.get(parseRef(data.silverKey));
      expect(sha256Hex(body)).toBe(data.sha256);
      const table = await readParquet(body, { columns: ['event_id'] });
      ids.push(...(Array.from(table.columns[0]!.values) as string[]));
    }
    expect(ids.sort()).toEqual(events.map((e) => e.event_id!).sort());

    const biggest = silver.reduce((a, b) => (b.rows > a.rows ? b : a));
    const report = await readWithPythonReaders(await fx.store.get(parseRef(biggest.silverKey)));
    for (const reader of ['pyarrow', 'duckdb', 'spark'] as const) expect(report[reader].rows).toBe(biggest.rows);
    const arrow = Object.fromEntries(report.pyarrow.schema);
    expect(arrow).toMatchObject({ event_id: 'string', src_ip: 'string', dst_port: 'int32', bytes_in: 'int64', duration_ms: 'double', log_bytes_in: 'double', src_distinct_dst_ports_1m: 'double', src_iat_cv_10m: 'double', source_first_offset: 'int64' });
    expect(arrow.ts).toMatch(/^timestamp\[ms/);
    const duck = Object.fromEntries(report.duckdb.schema);
    expect(duck).toMatchObject({ event_id: 'VARCHAR', dst_port: 'INTEGER', bytes_in: 'BIGINT', src_conn_count_10m: 'DOUBLE' });
    const spark = Object.fromEntries(report.spark.schema);
    expect(spark).toMatchObject({ event_id: 'string', ts: 'timestamp_ntz', dst_port: 'int', bytes_in: 'bigint', src_iat_cv_10m: 'double', source_last_offset: 'bigint' });
    // Spark sees the columns pyarrow sees, in the same order, and the same first rows.
    expect(report.spark.schema.map(([name]) => name)).toEqual(report.pyarrow.schema.map(([name]) => name));
    const first = report.pyarrow.sample[0]!;
    const original = events.find((e) => e.event_id === first.event_id)!;
    expect(first).toMatchObject({ src_ip: original.src_ip, dst_port: original.dst_port, bytes_in: original.bytes_in, protocol: 'tcp', conn_state: 'SF', ts: pythonIso(String(original.ts)) });
    expect(report.spark.sample).toEqual(report.pyarrow.sample);

    const metrics = await transform.metrics();
    expect(metricValue(metrics, 'flowsentry_transform_rows_out_total')).toBe(300);
    expect(metricValue(metrics, 'flowsentry_transform_duplicates_total')).toBe(20);
    expect(metricValue(metrics, 'flowsentry_transform_events_out_total')).toBe(silver.length);
    expect(metricValue(metrics, 'flowsentry_transform_consumer_lag')).toBe(0);
  });

  it('creates nothing new for a redelivered raw.landed or a replay of network.events through ingest', async () => {
    const ingest = await start('ingest', ingestEnv);
    const transform = await start('transform');
    await fx.producer.send(fx.topic(Topics.networkEvents), Array.from({ length: 250 }, (_, i) => ({ key: `s${i % 3}`, value: JSON.stringify(flowEvent(700 + i)) })));
    await eventually(async () => (await landedBatches()).events === 250, '250 events landed');
    const silver = await transformedAll(fx.group('transform'));
    const ready = await readTopic(fx.kafka, fx.topic(Topics.silverReady), { count: silver.size, timeoutMs: 30_000 });
    const counts = async () =>
      (
        await fx.db.query(
          `SELECT (SELECT count(*) FROM step_records WHERE service = 'transform' AND input_ref LIKE $1)::int AS steps,
                  (SELECT count(*) FROM artifacts WHERE produced_by = 'transform' AND ref LIKE $2)::int AS artifacts,
                  (SELECT count(*) FROM lineage_edges WHERE child_ref LIKE $2)::int AS edges,
                  (SELECT count(*) FROM processed_events WHERE consumer_group = $3)::int AS processed`,
          [`%/${fx.topic(Topics.networkEvents)}/%`, `%${fx.topic(Topics.networkEvents)}%`, fx.group('transform')],
        )
      )[0];
    const before = await counts();
    const objects = async () => (await fx.store.list('silver', '')).filter((r) => r.key.includes(fx.topic(Topics.networkEvents))).length;
    const objectsBefore = await objects();
    expect(objectsBefore).toBe(2 * silver.size);

    // 1. Redeliver one raw.landed exactly as ingest sent it.
    const [landed] = await readTopic(fx.kafka, fx.topic(Topics.rawLanded), { count: 1, timeoutMs: 20_000 });
    await fx.producer.send(fx.topic(Topics.rawLanded), [{ key: landed!.key, value: landed!.value!, headers: { ...landed!.headers } as Record<string, Buffer> }]);
    // 2. Replay network.events through ingest, which re-emits every raw.landed byte for byte.
    ingest.kill('SIGTERM');
    await ingest.exited;
    running.splice(running.indexOf(ingest), 1);
    await runCli(fx.prefix, ['replay', '--topic', 'network.events', '--group', fx.group('ingest'), '--earliest']);
    await start('ingest', ingestEnv);

    await eventually(async () => {
      const metrics = await transform.metrics();
      return metricValue(metrics, 'flowsentry_transform_redeliveries_total') === 1 + silver.size;
    }, 'transform to see the redelivery and the replayed batches');
    expect(await counts()).toEqual(before);
    expect(await objects()).toBe(objectsBefore);
    const after = await readTopic(fx.kafka, fx.topic(Topics.silverReady), { timeoutMs: 20_000, idleMs: 3_000 });
    expect(after.map((m) => m.value!.toString()).sort()).toEqual(ready.map((m) => m.value!.toString()).sort());
  });

  it('writes byte-identical SILVER after a SIGKILL and restart mid-run, window features across the cut included', async () => {
    await start('ingest', ingestEnv);
    const steady = fx.group('transform-steady');
    const killed = fx.group('transform-killed');
    // The reference builds every batch in its turn; the victim reads batches ahead (the default).
    await start('transform', { TRANSFORM_GROUP_ID: steady, TRANSFORM_READ_AHEAD: 'false' });
    // The victim checkpoints its windows often, so its restart restores a checkpoint and replays RAW after it.
    const victimEnv = { TRANSFORM_GROUP_ID: killed, TRANSFORM_CHECKPOINT_EVERY: '4' };
    let victim = await start('transform', victimEnv);
    // Few sources and ports so that windows carry state from batch to batch.
    const send = (from: number, to: number) =>
      fx.producer.send(
        fx.topic(Topics.networkEvents),
        Array.from({ length: to - from }, (_, k) => {
          const i = from + k;
          return { key: `s${i % 3}`, value: JSON.stringify(flowEvent(i, { src_ip: `10.9.0.${i % 4}`, dst_port: 1000 + (i % 37), ts: new Date(Date.now() - 3_600_000 + i * 250).toISOString() })) };
        }),
      );
    await send(0, 1500);
    await eventually(async () => {
      const metrics = await victim.metrics().catch(() => '');
      return /flowsentry_transform_events_out_total/.test(metrics) && metricValue(metrics, 'flowsentry_transform_events_out_total') >= 3;
    }, 'the victim to be part-way through');
    victim.kill('SIGKILL');
    await victim.exited;
    running.splice(running.indexOf(victim), 1);
    await send(1500, 3000);
    await eventually(async () => (await landedBatches()).events === 3000, '3000 events landed');
    // Restarted on a backlog, the victim is fetched several raw.landed at a time, so it reads ahead.
    victim = await start('transform', victimEnv);

    const expected = await transformedAll(steady);
    const got = await transformedAll(killed);
    expect(got.size).toBeGreaterThanOrEqual(30);
    expect(metricValue(await victim.metrics(), 'flowsentry_transform_read_ahead_total', { outcome: 'used' })).toBeGreaterThan(0);
    expect([...got.entries()].map(([id, d]) => [id, d.silverKey, d.sha256]).sort()).toEqual([...expected.entries()].map(([id, d]) => [id, d.silverKey, d.sha256]).sort());
    const dlq = await readTopic(fx.kafka, fx.topic(Topics.rawLandedDlq), { timeoutMs: 5_000, idleMs: 2_000 });
    expect(dlq).toHaveLength(0);
  });

  it('dead-letters bad raw.landed events with their reason and goes on with the next one', async () => {
    const transform = await start('transform');
    const good = gzipSync(Buffer.from(`${JSON.stringify(flowEvent(1))}\n`));
    const notGzip = Buffer.from('this is not gzip');
    const keyOf = (name: string) => `date=2026-11-30/${fx.topic(Topics.networkEvents)}/${name}.jsonl.gz`;
    await fx.store.put({ layer: 'raw', key: keyOf('p0-0-0') }, good, 'application/gzip');
    await fx.store.put({ layer: 'raw', key: keyOf('p0-1-1') }, notGzip, 'application/gzip');
    const event = (n: number, objectKey: string, sha256: string) =>
      JSON.stringify({
        specversion: '1.0',
        id: `bad-${fx.prefix}-${n}`,
        source: 'flowsentry/ingest',
        type: 'io.flowsentry.raw.landed.v1',
        time: new Date().toISOString(),
        subject: `ds-${n}`,
        data: { datasetId: `${fx.topic(Topics.networkEvents)}-p0-${n}-${n}`, objectKey, sha256, bytes: 10, count: 1, rejected: 0, source: { topic: fx.topic(Topics.networkEvents), partition: 0, firstOffset: String(n), lastOffset: String(n) } },
      });
    const bad: Array<[string, string]> = [
      ['schema', JSON.stringify({ specversion: '1.0', id: 'x', type: 'io.flowsentry.raw.landed.v1' })],
      ['malformed-json', '{"specversion": "1.0", '],
      ['missing-object', event(5, `raw/${keyOf('p0-5-5')}`, sha256Hex(good))],
      ['corrupt-gzip', event(1, `raw/${keyOf('p0-1-1')}`, sha256Hex(notGzip))],
      ['hash-mismatch', event(2, `raw/${keyOf('p0-0-0')}`, 'e'.repeat(64))],
    ];
    const key = rawLandedKey(fx.topic(Topics.networkEvents), 0);
    await fx.producer.send(fx.topic(Topics.rawLanded), [...bad.map(([, value]) => ({ key, value, partition: 0 })), { key, value: event(0, `raw/${keyOf('p0-0-0')}`, sha256Hex(good)), partition: 0 }]);

    const letters = await readTopic(fx.kafka, fx.topic(Topics.rawLandedDlq), { count: bad.length, timeoutMs: 60_000 });
    expect(letters.map((m) => [m.headers[Headers.dlqReason]?.toString(), m.value!.toString()])).toEqual(bad.map(([reason, value]) => [reason, value]));
    for (const letter of letters) {
      expect(letter.headers[Headers.dlqSourceTopic]?.toString()).toBe(fx.topic(Topics.rawLanded));
      expect(letter.headers[Headers.dlqConsumerGroup]?.toString()).toBe(fx.group('transform'));
      expect(letter.headers[Headers.dlqError]?.toString().length).toBeGreaterThan(5);
    }
    const [ready] = await readTopic(fx.kafka, fx.topic(Topics.silverReady), { count: 1, timeoutMs: 30_000 });
    const decoded = decodePipelineEvent(Topics.silverReady, ready!.value);
    if (!decoded.ok) throw decoded.error;
    expect(decoded.value.data.rows).toBe(1);
    const metrics = await transform.metrics();
    expect(metricValue(metrics, 'flowsentry_transform_dead_letters_total')).toBe(bad.length);
  });

  it('gives a port scan’s source a high distinct-port count and a beacon a regular inter-arrival time on producer traffic', async () => {
    await start('ingest', { INGEST_BATCH_MAX_EVENTS: '2000', INGEST_BATCH_MAX_WAIT_MS: '500' });
    await start('transform');
    await runTrafficProducer(fx.prefix, ['--count', '12000', '--rate', '1000', '--time-scale', '120', '--attacks', 'portscan,beaconing', '--attack-share', '0.4', '--seed', 'windows-it', '--fast']);
    await eventually(async () => (await landedBatches()).events === 12000, '12000 events landed', 120_000);
    const silver = [...(await transformedAll(fx.group('transform'))).values()];

    const rows: Array<Record<string, unknown>> = [];
    for (const data of silver) {
      const table = await readParquet(await fx.store.get(parseRef(data.silverKey)));
      for (let i = 0; i < table.rowCount; i++) rows.push(Object.fromEntries(table.columns.map((c) => [c.name, c.values[i]])));
    }
    const of = (label: string) => rows.filter((r) => r.label === label);
    const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))]!;

    const scan = of('portscan');
    const normal = of('normal');
    expect(scan.length).toBeGreaterThan(50);
    // A scanner probes many ports within a minute; normal clients use a handful of services.
    expect(quantile(scan.map((r) => r.src_distinct_dst_ports_1m as number), 0.5)).toBeGreaterThan(quantile(normal.map((r) => r.src_distinct_dst_ports_1m as number), 0.99));

    const beacons = of('beaconing').filter((r) => (r.pair_conn_count_10m as number) >= 4);
    expect(beacons.length).toBeGreaterThan(5);
    // Check-ins every interval ±15 %: the coefficient of variation of the gaps stays far below a Poisson process's 1.
    expect(quantile(beacons.map((r) => r.pair_iat_cv_10m as number), 0.5)).toBeLessThan(0.2);
    const normalPairs = normal.filter((r) => (r.pair_conn_count_10m as number) >= 4).map((r) => r.pair_iat_cv_10m as number);
    expect(quantile(normalPairs, 0.5)).toBeGreaterThan(0.5);
  });
});

/** A UTC instant as the Python readers print it: a naive datetime's isoformat(), microseconds shown only when not zero. */
function pythonIso(ts: string): string {
  const [whole, millis] = new Date(ts).toISOString().slice(0, -1).split('.');
  return millis === '000' ? whole! : `${whole}.${millis}000`;
}
