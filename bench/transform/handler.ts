import { gzipSync, gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import os from 'node:os';
import { deterministicId, PipelineEventOf, Topics } from '../../libs/contracts/src';
import type { StepContext } from '../../libs/runtime/src';
import { keyPartition } from '../../libs/messaging/src';
import { formatRef, ObjectRef, sha256Hex } from '../../libs/storage/src';
import { ATTACK_NAMES, planScenario, TrafficGenerator } from '../../tools/producer/src';
import type { BatchRecord, StreamStore } from '../../services/transform/src/stream-store';
import { TransformHandler } from '../../services/transform/src/transform.handler';
import { transformMetrics } from '../../services/transform/src/transform.metrics';
import { SilverWorkers } from '../../services/transform/src/workers/silver-workers';
import { MemoryObjects } from '../../test/support/memory-objects';

/**
 * The transform handler alone, in this process (not a test): N producer events gzipped into RAW
 * batches as ingest lands them (5,000 lines) per network.events partition, each sensor's flows on the
 * partition Kafka's default partitioner gives its key (as the producer sends them), then
 * TransformHandler.handle on each in offset order, partitions concurrently, with in-memory objects
 * and stream state. No Kafka, MinIO or PostgreSQL: what it
 * measures is the CPU work the service does per row, next to the floor (gunzip + split +
 * JSON.parse of the same objects) in the same process. bench/transform/run.sh measures the
 * service on the real stack; this one is for profiling (run it under node --cpu-prof).
 * With workers > 0 the batches are built on that many SilverWorkers threads (TRANSFORM_WORKERS), as the service does;
 * each handler is shown the stream's next event, so batches are read ahead unless TRANSFORM_READ_AHEAD=false.
 * Usage: node --import tsx bench/transform/handler.ts [events=200000] [batch=5000] [partitions=3] [workers=0]
 */

type RawLanded = PipelineEventOf<typeof Topics.rawLanded>;

/** One stream of contiguous batches, processed once in order: the state before a batch is always the one kept in memory. */
class NoStreams implements StreamStore {
  async lastBatchBefore(_stream: string, firstOffset: string): Promise<string | undefined> {
    return firstOffset === '0' ? undefined : String(Number(firstOffset) - 1);
  }
  async checkpointBefore() {
    return undefined;
  }
  async batchesBetween(): Promise<BatchRecord[]> {
    return [];
  }
  async keysSince() {
    return [];
  }
  async saveBatch() {}
  async saveCheckpoint() {}
  async prune() {}
}

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 200_000);
  const batchSize = Number(process.argv[3] ?? 5000);
  const partitions = Number(process.argv[4] ?? 3);
  const workers = Number(process.argv[5] ?? 0);
  const scenario = planScenario(
    { seed: 'bench', hosts: 40, count: events, rate: 1000, timeScale: 60, startMs: Date.UTC(2026, 10, 1), attacks: [...ATTACK_NAMES], attackShare: 0.1, driftAt: null },
    Date.UTC(2026, 11, 1),
  );
  const objects = new MemoryObjects();
  const landed: RawLanded[][] = Array.from({ length: partitions }, () => []);
  const pending: string[][] = Array.from({ length: partitions }, () => []);
  const offsets = new Array<number>(partitions).fill(0);
  let batches = 0;
  const flush = (partition: number) => {
    const lines = pending[partition]!;
    const body = gzipSync(`${lines.join('\n')}\n`, { level: 3 });
    const ref: ObjectRef = { layer: 'raw', key: `date=2026-11-01/p${partition}-${landed[partition]!.length}.jsonl.gz` };
    void objects.put(ref, body);
    const last = offsets[partition]! - 1;
    landed[partition]!.push({
      specversion: '1.0',
      id: deterministicId('raw.landed', String(partition), String(last)),
      type: 'flowsentry.raw.landed',
      source: 'bench',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { datasetId: `raw-${partition}-${last}`, objectKey: formatRef(ref), sha256: sha256Hex(body), bytes: body.length, count: lines.length, rejected: 0, source: { topic: 'network.events', partition, firstOffset: String(last - lines.length + 1), lastOffset: String(last) } },
    } as unknown as RawLanded);
    pending[partition] = [];
    batches++;
  };
  for (const event of new TrafficGenerator(scenario)) {
    const partition = keyPartition(event.sensor_id, partitions);
    pending[partition]!.push(JSON.stringify(event));
    offsets[partition]!++;
    if (pending[partition]!.length === batchSize) flush(partition);
  }
  for (let p = 0; p < partitions; p++) if (pending[p]!.length > 0) flush(p);

  const bodies = landed.flat().map((l) => objects.objects.get(l.data.objectKey)!);
  const floorStart = process.hrtime.bigint();
  let floorRows = 0;
  let parsed: unknown;
  for (const body of bodies) {
    for (const line of gunzipSync(body).toString('utf8').split('\n')) {
      if (!line) continue;
      parsed = JSON.parse(line);
      floorRows++;
    }
  }
  if (parsed === undefined) throw new Error('no RAW lines');
  const floorSeconds = Number(process.hrtime.bigint() - floorStart) / 1e9;

  const readAhead = process.env.TRANSFORM_READ_AHEAD !== 'false';
  const settings = { TRANSFORM_WINDOWS_MS: [60_000, 600_000], TRANSFORM_DEDUP_HORIZON_MS: 600_000, TRANSFORM_CHECKPOINT_EVERY: 1_000_000, TRANSFORM_READ_AHEAD: readAhead };
  const streams = new NoStreams();
  const silver = workers > 0 ? new SilverWorkers(workers, { objects, streams }, settings) : undefined;
  const handler = new TransformHandler({ objects, streams, ...(silver ? { silver } : {}) }, settings);
  await silver?.start();
  const context = (upcoming: RawLanded | undefined) => ({ annotate: () => undefined, heartbeat: async () => undefined, upcoming: () => upcoming, assignment: 1 }) as unknown as StepContext<typeof Topics.rawLanded>;
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  let rows = 0;
  const artifacts: string[] = [];
  // Streams concurrently, each in offset order: what one instance does with partitions consumed concurrently.
  await Promise.all(
    landed.map(async (stream) => {
      for (const [i, event] of stream.entries()) {
        const outcome = await handler.handle(event, context(stream[i + 1]));
        rows += (outcome.outputs[0]!.data as { rows: number }).rows;
        for (const artifact of outcome.artifacts ?? []) artifacts.push(`${artifact.ref} ${artifact.sha256}\n`);
      }
    }),
  );
  const digest = createHash('sha256').update(artifacts.sort().join(''));
  await silver?.close();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en');
  const perPartition = landed.map((stream) => stream.length).join('/');
  console.log(`${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${events} events in ${batches} batches (${perPartition} on ${partitions} partitions); ${workers > 0 ? `${workers} SILVER workers` : 'built on the main thread'}, read-ahead ${readAhead ? 'on' : 'off'}`);
  console.log(`floor (gunzip + split + JSON.parse)  ${rate(floorRows, floorSeconds)} rows/s`);
  console.log(`handler                              ${rate(rows, seconds)} rows/s (${(seconds * 1e6 / rows).toFixed(2)} µs/row; CPU ${((cpu.user + cpu.system) / 1e6 / seconds).toFixed(2)} cores)`);
  console.log(`ratio to floor                       ${(floorSeconds / floorRows / (seconds / rows)).toFixed(3)}`);
  const phases = (await transformMetrics.phase.get()).values.filter((v) => v.metricName?.endsWith('_sum'));
  for (const v of phases) console.log(`  ${String(v.labels.phase).padEnd(12)} ${((v.value * 1e6) / rows).toFixed(2).padStart(8)} µs/row`);
  console.log(`SILVER digest                        ${digest.digest('hex').slice(0, 16)} (sha256 of every object's key and hash: equal digests, byte-identical SILVER)`);
  console.log(`peak RSS                             ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
