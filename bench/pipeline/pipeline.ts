import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogicalTopic, Topics } from '@flowsentry/contracts';
import { eventually } from '../../test/support/eventually';
import { PipelineFixture } from '../../test/support/pipeline-fixture';
import { RunningService, startService } from '../../test/support/service-process';
import { runTrafficProducer } from '../../test/support/tools';
import { Ranked, summarizeProfiles } from '../lib/cpu-profile';

/**
 * The whole pipeline on this machine: the local stack and all five services as processes with
 * their default settings, a champion trained first on normal traffic, then the traffic producer
 * paced at each rate for DURATION_S seconds (attacks included). Per rate it reports:
 *   - end-to-end latency from an event's production (its network.events record's timestamp) to its
 *     anomalies.detected record (p50, p95, p99), over every anomaly of the phase;
 *   - each stage's sustained rate while the producer ran, and how long each took to catch up after;
 *   - consumer lag per group over time (every 5 s: high watermark minus committed offset);
 *   - CPU (cores, averaged over the phase) and peak RSS per service.
 * Usage: bench/pipeline/run.sh [rates...]   (default 5000 20000; DURATION_S=60). Not a test.
 * PROFILE=<service> runs that service under `node --cpu-prof` and, once it has exited, prints where
 * its CPU time went (self time per package or directory of ours, and per function).
 */
const SERVICES = ['ingest', 'transform', 'trainer', 'evaluator', 'monitor'] as const;
type Service = (typeof SERVICES)[number];
/** The topic each service consumes (the one whose lag says whether it keeps up). */
const INPUT: Record<Service, LogicalTopic> = {
  ingest: Topics.networkEvents,
  transform: Topics.rawLanded,
  trainer: Topics.silverReady,
  evaluator: Topics.modelTrained,
  monitor: Topics.silverReady,
};
/** The counter that says how much each stage has done, and in what unit. */
const WORK: Record<Service, { metric: string; unit: string }> = {
  ingest: { metric: 'flowsentry_ingest_events_landed_total', unit: 'events' },
  transform: { metric: 'flowsentry_transform_rows_out_total', unit: 'rows' },
  trainer: { metric: 'flowsentry_trainer_events_in_total', unit: 'datasets' },
  evaluator: { metric: 'flowsentry_evaluator_events_in_total', unit: 'models' },
  monitor: { metric: 'flowsentry_monitor_scored_rows_total', unit: 'rows' },
};
/**
 * The simulated organisation sees the same traffic per simulated second at every rate: the
 * producer's time scale grows with the rate (1.67 flows per simulated second, as in the tests), so
 * the features and the share of anomalies do not change with the load, only the load does.
 */
const SIMULATED_FLOWS_PER_SECOND = 2000 / 1200;
const CLOCK_TICKS = 100;

interface Sample {
  at: number;
  work: Record<Service, number>;
  lag: Record<Service, number>;
  cpuSeconds: Record<Service, number>;
}

async function main(): Promise<void> {
  const rates = process.argv.slice(2).map(Number);
  const durationS = Number(process.env.DURATION_S ?? 60);
  const fx = new PipelineFixture();
  await fx.setUp(3);
  const model = `${fx.prefix}-bench`;
  const profiled = process.env.PROFILE as Service | undefined;
  if (profiled && !SERVICES.includes(profiled)) throw new Error(`PROFILE must name one of ${SERVICES.join(', ')}`);
  const profileDir = profiled ? mkdtempSync(join(tmpdir(), `flowsentry-profile-${profiled}-`)) : undefined;
  const services = new Map<Service, RunningService>();
  try {
    for (const name of SERVICES) {
      const extra: Record<string, string> = { LOG_LEVEL: 'warn' };
      if (name === 'trainer') extra.TRAINER_MODEL_NAME = model;
      if (name === 'evaluator') extra.EVALUATOR_ANNOUNCE_MODEL_PREFIX = fx.prefix;
      if (name === 'monitor') extra.MONITOR_MODEL_NAME = model;
      // SIGUSR2 ends the profiled service with a normal exit, the only kind after which --cpu-prof writes.
      const nodeArgs = name === profiled ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '-r', join(__dirname, '..', 'lib', 'exit-on-usr2.js')] : [];
      services.set(name, await startService(name, fx.serviceEnv(name, extra), undefined, undefined, nodeArgs));
    }
    log('training a first champion on 60,000 normal flows (TRAINER_MIN_ROWS defaults to 50,000)');
    await runTrafficProducer(fx.prefix, ['--count', '60000', '--rate', '4000', '--fast', '--time-scale', '2400', '--seed', 'bench', '--start', '2026-11-17T06:00:00Z', '--attacks', 'none']);
    await eventually(async () => (await fx.db.query(`SELECT 1 FROM monitor_champions WHERE consumer_group = $1`, [fx.group('monitor')])).length > 0, 'a champion', 900_000, 1_000);
    await caughtUp(fx, services, 900_000);

    let day = 18;
    for (const rate of rates) {
      const count = rate * durationS;
      const start = `2026-11-${day++}T08:00:00Z`;
      log(`${rate} events/s for ${durationS} s (${count} events, attacks on)`);
      const fromOffsets = await highWatermarks(fx, Topics.networkEvents);
      const samples: Sample[] = [await sample(fx, services)];
      const sampler = setInterval(() => void sample(fx, services).then((s) => samples.push(s)), 1_000);
      const producedFrom = Date.now();
      await runTrafficProducer(fx.prefix, ['--count', String(count), '--rate', String(rate), '--time-scale', String(Math.round(rate / SIMULATED_FLOWS_PER_SECOND)), '--seed', 'bench', '--start', start, '--attacks', 'all']);
      const producedUntil = Date.now();
      const caughtUpAfter = await caughtUp(fx, services, 1_800_000);
      clearInterval(sampler);
      samples.push(await sample(fx, services));
      const latencies = await anomalyLatencies(fx, fromOffsets);
      console.log(JSON.stringify(report(rate, count, producedFrom, producedUntil, caughtUpAfter, samples, latencies, services)));
    }
  } finally {
    for (const [name, service] of services) {
      service.kill(name === profiled ? 'SIGUSR2' : 'SIGTERM');
      await service.exited;
    }
    await fx.tearDown();
  }
  // The profile is written when the process exits, so it covers the first champion's training phase too.
  if (profileDir) {
    const { totalMs, byArea, byFunction } = summarizeProfiles(profileDir);
    const top = (rows: Ranked[]) => rows.slice(0, 15).map(({ name, ms }) => ({ name, ms: Math.round(ms), share: Number((ms / totalMs).toFixed(3)) }));
    console.log(JSON.stringify({ profile: profiled, dir: profileDir, totalMs: Math.round(totalMs), byArea: top(byArea), byFunction: top(byFunction) }));
  }
}

function log(message: string): void {
  process.stderr.write(`[bench pipeline] ${message}\n`);
}

async function metricsOf(service: RunningService): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${service.port}/metrics`).catch(() => undefined);
  return res?.ok ? res.text() : '';
}

function metricSum(exposition: string, name: string): number {
  let sum = 0;
  for (const line of exposition.split('\n')) if (line.startsWith(`${name}{`) || line.startsWith(`${name} `)) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

/** user + system CPU seconds of a process so far, from /proc (Linux). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** Peak resident set size of a process so far (VmHWM), in MiB. */
function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Math.round(Number(match[1]) / 1024) : NaN;
}

async function highWatermarks(fx: PipelineFixture, topic: LogicalTopic): Promise<Map<number, bigint>> {
  return new Map((await fx.admin.offsets(fx.topic(topic))).map((p) => [p.partition, BigInt(p.high)]));
}

async function groupLag(fx: PipelineFixture, service: Service): Promise<number> {
  const high = await highWatermarks(fx, INPUT[service]);
  const committed = await fx.admin.committed(fx.group(service), fx.topic(INPUT[service]));
  let lag = 0n;
  for (const [partition, h] of high) {
    const c = committed.find((p) => p.partition === partition)?.offset;
    lag += h - (c === undefined || c === '-1' ? 0n : BigInt(c));
  }
  return Number(lag);
}

async function sample(fx: PipelineFixture, services: Map<Service, RunningService>): Promise<Sample> {
  const s: Sample = { at: Date.now(), work: {} as Sample['work'], lag: {} as Sample['lag'], cpuSeconds: {} as Sample['cpuSeconds'] };
  for (const name of SERVICES) {
    const service = services.get(name)!;
    s.work[name] = metricSum(await metricsOf(service), WORK[name].metric);
    s.lag[name] = await groupLag(fx, name).catch(() => NaN);
    s.cpuSeconds[name] = cpuSeconds(service.proc.pid!);
  }
  return s;
}

/**
 * Waits until every stage has handled everything before it, and returns how long that took. Ingest
 * and transform read topics written without transactions, so their lag is exact; the steps
 * downstream read transactional topics, whose commit markers take offsets, so they are compared by
 * what they counted against what the stage before them emitted.
 */
async function caughtUp(fx: PipelineFixture, services: Map<Service, RunningService>, timeoutMs: number): Promise<number> {
  const from = Date.now();
  const counter = async (name: Service, metric: string) => metricSum(await metricsOf(services.get(name)!), metric);
  await eventually(
    async () => {
      if ((await groupLag(fx, 'ingest')) > 0 || (await groupLag(fx, 'transform')) > 0) return false;
      const silver = await counter('transform', 'flowsentry_transform_events_out_total');
      const models = await counter('trainer', 'flowsentry_trainer_events_out_total');
      return (
        (await counter('trainer', 'flowsentry_trainer_events_in_total')) >= silver &&
        (await counter('monitor', 'flowsentry_monitor_batches_total')) >= silver &&
        (await counter('evaluator', 'flowsentry_evaluator_events_in_total')) >= models
      );
    },
    'every stage to catch up',
    timeoutMs,
    1_000,
  );
  return (Date.now() - from) / 1000;
}

/**
 * Production-to-anomaly latency: the anomalies.detected record's timestamp minus the timestamp of
 * the network.events record of the same event (both set by the producing client), for every anomaly
 * whose event was produced in this phase.
 */
async function anomalyLatencies(fx: PipelineFixture, fromOffsets: Map<number, bigint>): Promise<number[]> {
  const produced = new Map<string, number>();
  await scan(fx, Topics.networkEvents, (value, timestamp, partition, offset) => {
    if (offset < (fromOffsets.get(partition) ?? 0n)) return;
    const id = /"event_id":"([^"]+)"/.exec(value)?.[1];
    if (id) produced.set(id, timestamp);
  });
  const latencies: number[] = [];
  await scan(fx, Topics.anomaliesDetected, (value, timestamp) => {
    const id = /"event_id":"([^"]+)"/.exec(value)?.[1];
    const at = id === undefined ? undefined : produced.get(id);
    if (at !== undefined) latencies.push(timestamp - at);
  });
  return latencies.sort((a, b) => a - b);
}

/** Reads a topic from the start to its current end, committed records only, holding nothing but what `visit` keeps. */
async function scan(fx: PipelineFixture, topic: LogicalTopic, visit: (value: string, timestamp: number, partition: number, offset: bigint) => void): Promise<void> {
  const ends = await highWatermarks(fx, topic);
  const consumer = fx.kafka.consumer({ groupId: `${fx.prefix}-bench-scan-${topic}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: fx.topic(topic), fromBeginning: true });
  const done = new Set<number>();
  await new Promise<void>((resolve, reject) => {
    const finish = (partition: number, next: bigint) => {
      if (next >= (ends.get(partition) ?? 0n) - 1n) done.add(partition);
      if (done.size === ends.size) resolve();
    };
    for (const [partition, end] of ends) if (end === 0n) finish(partition, 0n);
    consumer
      .run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) visit(m.value?.toString() ?? '', Number(m.timestamp), batch.partition, BigInt(m.offset));
          // A transactional topic ends on a commit marker the consumer never hands out: within one offset of the end is the end.
          finish(batch.partition, BigInt(batch.lastOffset()) + 1n);
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
}

function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function report(rate: number, count: number, from: number, until: number, caughtUpAfterS: number, samples: Sample[], latencies: number[], services: Map<Service, RunningService>) {
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const during = samples.filter((s) => s.at <= until + 1_000);
  const endOfProduction = during.at(-1)!;
  const seconds = (until - from) / 1000;
  const stages = Object.fromEntries(
    SERVICES.map((name) => {
      const done = last.work[name] - first.work[name];
      const whileProducing = endOfProduction.work[name] - first.work[name];
      return [
        name,
        {
          [`${WORK[name].unit}PerSecondWhileProducing`]: Math.round(whileProducing / seconds),
          [WORK[name].unit]: done,
          maxLag: Math.max(...samples.map((s) => s.lag[name]).filter(Number.isFinite)),
          lagEvery5s: samples.filter((_, i) => i % 5 === 0).map((s) => s.lag[name]),
          cpuCores: Number(((last.cpuSeconds[name] - first.cpuSeconds[name]) / ((last.at - first.at) / 1000)).toFixed(2)),
          peakRssMiB: peakRssMiB(services.get(name)!.proc.pid!),
        },
      ];
    }),
  );
  return {
    rate,
    events: count,
    producedSeconds: Number(seconds.toFixed(1)),
    producedPerSecond: Math.round(count / seconds),
    caughtUpSecondsAfterProducer: Number(caughtUpAfterS.toFixed(1)),
    anomalies: latencies.length,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) ?? null },
    stages,
  };
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
