import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { Artifact, StepRecord } from '@flowsentry/audit';
import { decodePipelineEvent, Headers, Topics } from '@flowsentry/contracts';
import { readTopic } from '@flowsentry/messaging';
import { ObjectStore, parseRef, storageSettingsFromEnv } from '@flowsentry/storage';
import { eventually } from '../../../test/support/eventually';
import { flowEvent } from '../../../test/support/network-events';
import { PipelineFixture } from '../../../test/support/pipeline-fixture';
import { landedBatches } from '../../../test/support/raw-objects';
import { RunningService, startService } from '../../../test/support/service-process';
import { stackEnv } from '../../../test/support/stack-env';
import { findTraces, serviceOf } from '../../../test/support/jaeger';
import { metricValue, runCli, runConsoleProducer, runTrafficProducer } from '../../../test/support/tools';

const repoRoot = join(__dirname, '..', '..', '..');

describe('ingest on the real stack', () => {
  // A fresh fixture per test: its own topics and groups, so no test sees another's events.
  let fx: PipelineFixture;
  let ingest: RunningService | undefined;

  beforeEach(async () => {
    fx = new PipelineFixture();
    await fx.setUp(3);
  });
  afterEach(async () => {
    ingest?.kill('SIGKILL');
    await ingest?.exited;
    ingest = undefined;
    await fx.tearDown();
  });

  const totalLanded = async (group: string) => (await landedBatches(fx.db, fx.store, group)).reduce((n, b) => n + b.eventCount, 0);

  it('lands events from Kafka’s own console producer in RAW byte-for-byte, audited, with one raw.landed per batch', async () => {
    ingest = await startService('ingest', fx.serviceEnv('ingest', { INGEST_BATCH_MAX_EVENTS: '20', INGEST_BATCH_MAX_WAIT_MS: '500' }));
    // Spacing and key order differ from what JSON.stringify would write: only byte-exact storage keeps them.
    const sent = Array.from({ length: 50 }, (_, i) => JSON.stringify(flowEvent(i)).replace('"sensor_id":', '"sensor_id" :  ').replace(/}$/, ' , "vendor_field": {"x": 1}}'));
    await runConsoleProducer(fx.topic(Topics.networkEvents), sent);

    await eventually(async () => (await totalLanded(fx.group('ingest'))) === 50, '50 events landed', 60_000);
    const batches = await landedBatches(fx.db, fx.store, fx.group('ingest'));
    const stored = batches.flatMap((b) => b.lines.map((l) => l.toString('utf8')));
    expect(stored.sort()).toEqual([...sent].sort());

    for (const batch of batches) {
      const bytes = await fx.store.get(parseRef(batch.objectRef));
      const artifact = await fx.db.getRepository(Artifact).findOneByOrFail({ ref: batch.objectRef });
      expect(artifact.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(artifact.layer).toBe('raw');
      expect(await fx.db.getRepository(StepRecord).countBy({ runId: batch.runId, step: 'ingestion', status: 'succeeded' })).toBe(1);
    }

    const metrics = await ingest.metrics();
    expect(metricValue(metrics, 'flowsentry_ingest_events_landed_total')).toBe(50);
    expect(metricValue(metrics, 'flowsentry_ingest_batches_total')).toBe(batches.length);
    expect(metricValue(metrics, 'flowsentry_ingest_buffered_events')).toBe(0);

    const landed = await readTopic(fx.kafka, fx.topic(Topics.rawLanded), { count: batches.length, timeoutMs: 20_000 });
    expect(landed).toHaveLength(batches.length);
    for (const message of landed) {
      const decoded = decodePipelineEvent(Topics.rawLanded, message.value);
      if (!decoded.ok) throw decoded.error;
      const batch = batches.find((b) => b.eventId === decoded.value.id)!;
      expect(decoded.value.data.objectKey).toBe(batch.objectRef);
      expect(decoded.value.data.count).toBe(batch.lines.length);
      expect(message.headers[Headers.runId]?.toString()).toBe(batch.runId);
    }
  });

  it('shows the producer’s span and the ingest spans in one trace in Jaeger', async () => {
    ingest = await startService('ingest', fx.serviceEnv('ingest', { INGEST_BATCH_MAX_EVENTS: '100', INGEST_BATCH_MAX_WAIT_MS: '500' }));
    await runTrafficProducer(fx.prefix, ['--count', '60', '--rate', '600', '--seed', '11', '--batch', '20']);
    await eventually(async () => (await totalLanded(fx.group('ingest'))) === 60, '60 events landed');
    const [batch] = await landedBatches(fx.db, fx.store, fx.group('ingest'));

    const trace = await eventually(async () => (await findTraces('flowsentry-ingest', { 'flowsentry.dataset_id': `${batch!.topic}-p${batch!.partition}-${batch!.firstOffset}-${batch!.lastOffset}` }, 'ingest.land_batch'))[0], 'the batch trace in Jaeger', 60_000, 1000);
    const spans = trace.spans.map((span) => `${serviceOf(trace, span)}:${span.operationName}`);
    expect(spans).toEqual(expect.arrayContaining([`flowsentry-producer:${fx.topic(Topics.networkEvents)} send`, 'flowsentry-ingest:ingest.land_batch', 'flowsentry-ingest:raw.write', 'flowsentry-ingest:audit.record']));
    const land = trace.spans.find((s) => s.operationName === 'ingest.land_batch')!;
    expect(land.references.some((r) => r.refType === 'CHILD_OF' && trace.spans.some((p) => p.spanID === r.spanID && serviceOf(trace, p) === 'flowsentry-producer'))).toBe(true);
    // The audit row points at the same trace, so an operator can go from a run to its trace.
    const [run] = await fx.db.query('SELECT trace_id FROM pipeline_runs WHERE run_id = $1', [batch!.runId]);
    expect(run.trace_id).toBe(trace.traceID);
  });

  it('sends each kind of bad input to the DLQ with its reason while the valid events around it land', async () => {
    ingest = await startService('ingest', fx.serviceEnv('ingest', { INGEST_GROUP_ID: fx.group('ingest-dlq'), INGEST_BATCH_MAX_WAIT_MS: '300', INGEST_MAX_EVENT_BYTES: '2048' }));
    const valid = (i: number) => Buffer.from(JSON.stringify(flowEvent(1000 + i)));
    const bad: Array<[string, Buffer, RegExp]> = [
      ['malformed-json', Buffer.from('{"ts": "2026-01-01T00:00:00Z", "sensor_id": '), /not JSON/],
      ['schema', Buffer.from(JSON.stringify({ ...flowEvent(1), bytes_in: 'lots' })), /bytes_in/],
      ['schema', Buffer.from(JSON.stringify({ ...flowEvent(2), dst_port: 70000 })), /dst_port/],
      ['schema', Buffer.from(JSON.stringify({ ...flowEvent(3), src_ip: '300.1.2.3' })), /src_ip: must be an IPv4 or IPv6 address/],
      ['schema', Buffer.from(JSON.stringify((({ sensor_id: _s, ...rest }) => rest)(flowEvent(4)))), /sensor_id/],
      ['too-large', Buffer.from(JSON.stringify({ ...flowEvent(5), padding: 'x'.repeat(4096) })), /limit is 2048/],
      ['not-utf8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /not valid UTF-8/],
    ];
    const messages = [valid(0), ...bad.flatMap(([, value], i) => [value, valid(i + 1)])];
    await fx.producer.send(fx.topic(Topics.networkEvents), messages.map((value) => ({ key: 'sensor-x', value, partition: 0 })));

    const dlq = await readTopic(fx.kafka, fx.topic(Topics.networkEventsDlq), { count: bad.length, timeoutMs: 60_000 });
    expect(dlq).toHaveLength(bad.length);
    dlq.sort((a, b) => Number(a.headers[Headers.dlqSourceOffset]!.toString()) - Number(b.headers[Headers.dlqSourceOffset]!.toString()));
    dlq.forEach((letter, i) => {
      const [reason, original, error] = bad[i]!;
      expect(letter.headers[Headers.dlqReason]?.toString()).toBe(reason);
      expect(letter.headers[Headers.dlqError]?.toString()).toMatch(error);
      expect(letter.value).toEqual(original);
      expect(letter.headers[Headers.dlqSourceTopic]?.toString()).toBe(fx.topic(Topics.networkEvents));
      expect(letter.headers[Headers.dlqSourceOffset]?.toString()).toBe(String(2 * i + 1));
    });

    await eventually(async () => (await totalLanded(fx.group('ingest-dlq'))) === bad.length + 1, 'valid events landed');
    const lines = (await landedBatches(fx.db, fx.store, fx.group('ingest-dlq'))).flatMap((b) => b.lines);
    expect(lines.map((l) => JSON.parse(l.toString()).event_id).sort()).toEqual(Array.from({ length: bad.length + 1 }, (_, i) => `evt-${1000 + i}`).sort());
  });

  it('keeps every event in RAW exactly once when killed with SIGKILL mid-batch and restarted', async () => {
    const group = fx.group('ingest-crash');
    const env = fx.serviceEnv('ingest', { INGEST_GROUP_ID: group, INGEST_BATCH_MAX_EVENTS: '150', INGEST_BATCH_MAX_WAIT_MS: '400' });
    const total = 3000;
    const produce = (from: number, to: number) =>
      fx.producer.send(
        fx.topic(Topics.networkEvents),
        Array.from({ length: to - from }, (_, k) => ({ key: `sensor-${(from + k) % 5}`, value: JSON.stringify(flowEvent(5000 + from + k)) })),
      );
    await produce(0, 1000);
    for (const [round, killAfterMs] of [[1, 900], [2, 350], [3, 1400]] as const) {
      ingest = await startService('ingest', env);
      await produce(500 + round * 500, 1000 + round * 500);
      await new Promise((r) => setTimeout(r, killAfterMs));
      ingest.kill('SIGKILL');
      await ingest.exited;
    }
    await produce(2500, total);
    ingest = await startService('ingest', env);

    const ids = await eventually(
      async () => {
        const lines = (await landedBatches(fx.db, fx.store, group)).flatMap((b) => b.lines.map((l) => JSON.parse(l.toString()).event_id as string));
        return new Set(lines).size >= total ? lines : undefined;
      },
      'all events in RAW',
      120_000,
      1000,
    );
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);

    const batches = await landedBatches(fx.db, fx.store, group);
    expect(new Set(batches.map((b) => b.objectRef)).size).toBe(batches.length);
    const rawObjects = await fx.store.list('raw', '');
    const ours = rawObjects.filter((r) => r.key.includes(`/${fx.topic(Topics.networkEvents)}/`));
    expect(ours.map((r) => `raw/${r.key}`).sort()).toEqual(batches.map((b) => b.objectRef).sort());
    for (const p of [0, 1, 2]) {
      const ranges = batches.filter((b) => b.partition === p).map((b) => [BigInt(b.firstOffset), BigInt(b.lastOffset)] as const);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i]![0]).toBe(ranges[i - 1]![1] + 1n);
    }
  });

  it('replays network.events from the earliest offset without writing a second RAW object', async () => {
    const group = fx.group('ingest');
    ingest = await startService('ingest', fx.serviceEnv('ingest', { INGEST_BATCH_MAX_EVENTS: '40', INGEST_BATCH_MAX_WAIT_MS: '300' }));
    await fx.producer.send(fx.topic(Topics.networkEvents), Array.from({ length: 200 }, (_, i) => ({ key: `s${i % 3}`, value: JSON.stringify(flowEvent(20000 + i)) })));
    await eventually(async () => (await totalLanded(group)) === 200, '200 events landed');
    const before = await landedBatches(fx.db, fx.store, group);
    const landedBefore = await readTopic(fx.kafka, fx.topic(Topics.rawLanded), { count: before.length, timeoutMs: 20_000 });
    ingest.kill('SIGTERM');
    await ingest.exited;

    const out = await runCli(fx.prefix, ['replay', '--topic', 'network.events', '--group', group, '--earliest']);
    expect(out).toMatch(/partition 0 -> offset 0/);
    ingest = await startService('ingest', fx.serviceEnv('ingest', { INGEST_BATCH_MAX_EVENTS: '40', INGEST_BATCH_MAX_WAIT_MS: '300' }));
    const landedAfter = await readTopic(fx.kafka, fx.topic(Topics.rawLanded), { count: 2 * before.length, timeoutMs: 60_000 });

    const after = await landedBatches(fx.db, fx.store, group);
    expect(after.map((b) => [b.objectRef, b.sha256])).toEqual(before.map((b) => [b.objectRef, b.sha256]));
    const ours = (await fx.store.list('raw', '')).filter((r) => r.key.includes(`/${fx.topic(Topics.networkEvents)}/`));
    expect(ours).toHaveLength(before.length);
    // Every batch's raw.landed came again, byte-identical, so downstream dedup by event id sees a repeat.
    expect(landedAfter).toHaveLength(2 * before.length);
    const values = landedAfter.map((m) => m.value!.toString());
    for (const first of landedBefore) expect(values.filter((v) => v === first.value!.toString())).toHaveLength(2);
    const [replays] = await fx.db.query('SELECT count(*)::int AS n FROM replays WHERE consumer_group = $1', [group]);
    expect(replays.n).toBe(1);
  });

  it('rewinds when landing fails and lands every event exactly once after storage recovers', async () => {
    const group = fx.group('ingest');
    const bucketPrefix = `${fx.prefix}x`;
    const owner = fx.ownerEnv;
    // Root credentials and a bucket prefix whose RAW bucket does not exist yet: every write fails until the test creates it.
    ingest = await startService(
      'ingest',
      fx.serviceEnv('ingest', { MINIO_ACCESS_KEY: owner.MINIO_ACCESS_KEY!, MINIO_SECRET_KEY: owner.MINIO_SECRET_KEY!, FLOWSENTRY_BUCKET_PREFIX: bucketPrefix, INGEST_BATCH_MAX_EVENTS: '100', INGEST_BATCH_MAX_WAIT_MS: '300' }),
      60_000,
      'live',
    );
    await fx.producer.send(fx.topic(Topics.networkEvents), Array.from({ length: 500 }, (_, i) => ({ key: `s${i % 3}`, value: JSON.stringify(flowEvent(30000 + i)) })));
    await eventually(async () => /landing .* failed|NoSuchBucket|does not exist/i.test(ingest!.logs()), 'a failed landing in the logs');
    expect(await totalLanded(group)).toBe(0);

    const store = new ObjectStore({ ...storageSettingsFromEnv(owner), bucketPrefix });
    await store.createBucket('raw');
    try {
      const ids = await eventually(
        async () => {
          const lines = (await landedBatches(fx.db, store, group)).flatMap((b) => b.lines.map((l) => JSON.parse(l.toString()).event_id as string));
          return lines.length >= 500 ? lines : undefined;
        },
        'all 500 events landed after recovery',
        90_000,
        500,
      ).catch((err) => {
        throw new Error(`${(err as Error).message}\n--- ingest output ---\n${ingest!.logs().slice(-6000)}`);
      });
      expect(ids).toHaveLength(500);
      expect(new Set(ids).size).toBe(500);
      // The offset commit follows the landing, so it may trail the audit row by a moment.
      const end = (await fx.admin.offsets(fx.topic(Topics.networkEvents))).map((p) => p.high);
      await eventually(async () => {
        const committed = await fx.admin.committed(group, fx.topic(Topics.networkEvents));
        // An empty partition has nothing to commit (Kafka reports -1).
        return committed.length === end.length && committed.every((c) => c.offset === end[c.partition] || (end[c.partition] === '0' && c.offset === '-1'));
      }, 'offsets committed up to the end of every partition').catch(async (err) => {
        throw new Error(`${(err as Error).message}: committed ${JSON.stringify(await fx.admin.committed(group, fx.topic(Topics.networkEvents)))} end ${JSON.stringify(end)}\n${ingest!.logs().slice(-4000)}`);
      });
    } finally {
      await store.removeBucket('raw');
    }
  });

  it('refuses to start with a clear message naming each bad variable, without echoing secrets', async () => {
    const proc = spawn(process.execPath, [join(repoRoot, 'services/ingest/dist/main.js')], {
      env: { PATH: process.env.PATH ?? '', ...stackEnv('ingest'), INGEST_BATCH_MAX_EVENTS: 'lots', PGPASSWORD: '', MINIO_SECRET_KEY: 'top-secret-value', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (c) => (out += c));
    proc.stderr.on('data', (c) => (out += c));
    const code = await new Promise<number | null>((resolve) => proc.on('exit', resolve));
    expect(code).toBe(1);
    expect(out).toMatch(/INGEST_BATCH_MAX_EVENTS/);
    expect(out).toMatch(/PGPASSWORD/);
    expect(out).not.toMatch(/top-secret-value/);
  });

  it('drains on SIGTERM: the open batch is flushed and committed before the process exits', async () => {
    const group = fx.group('ingest-drain');
    ingest = await startService('ingest', fx.serviceEnv('ingest', { INGEST_GROUP_ID: group, INGEST_BATCH_MAX_EVENTS: '100000', INGEST_BATCH_MAX_WAIT_MS: '600000' }));
    await fx.producer.send(fx.topic(Topics.networkEvents), Array.from({ length: 300 }, (_, i) => ({ key: 'k', value: JSON.stringify(flowEvent(9000 + i)), partition: 1 })));
    await eventually(async () => {
      const metrics = await ingest!.metrics();
      return /flowsentry_ingest_buffered_events\{[^}]*\} 300\b/.test(metrics);
    }, '300 events buffered');
    expect(await totalLanded(group)).toBe(0);

    ingest.kill('SIGTERM');
    const exit = await Promise.race([ingest.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
    expect(exit).not.toBe('timeout');
    expect(ingest.logs()).toMatch(/drained/);
    expect(await totalLanded(group)).toBe(300);
    const committed = await fx.admin.committed(group, fx.topic(Topics.networkEvents));
    expect(committed.find((c) => c.partition === 1)?.offset).toBe('300');
  });
});
