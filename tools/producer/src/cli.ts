#!/usr/bin/env node
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ATTACK_NAMES, AttackName, isAttackName } from './attacks';
import { JsonLinesSink } from './file-sink';
import { TrafficGenerator } from './generator';
import { ProgressLine, formatDuration, formatSummary } from './progress';
import { runProducer } from './runner';
import { MAX_ATTACK_SHARE, Scenario, ScenarioError, ScenarioOptions, defaultStartMs, planScenario, plannedSpanMs } from './scenario';
import type { EventSink } from './sink';

export const USAGE = `Usage: flowsentry-produce [options]

Generates realistic network flow events (NetworkEvent v1) with labelled attack episodes
and sends them to Kafka (topic network.events), a JSONL file or stdout.

Volume and pacing
  --rate <n>            target events per second (default 100)
  --duration <s>        run for about this many seconds: count = rate x duration (default 60)
  --count <n>           exact number of events (instead of --duration)
  --batch <n>           largest batch per send (default 500)
  --fast                do not pace; send as fast as the sink accepts (same events, same timestamps)

Simulation
  --seed <text>         seed; same seed and options give the same events (default: random, printed)
  --hosts <n>           client hosts in the simulated organisation (default 40)
  --start <ISO>         simulated start time (default now, or so that the run ends now if it
                        would otherwise go past now + 24h)
  --time-scale <x>      simulated seconds per real second (default 1; 3600 = an hour per second)
  --attacks <list>      all | none | comma list of ${ATTACK_NAMES.join(', ')} (default all)
  --attack-share <f>    fraction of the simulated run inside attack episodes, 0..${MAX_ATTACK_SHARE} (default 0.1)
  --drift-at <f>        switch to a drifted normal profile after this fraction of the run (0..1)

Output
  --out <dest>          kafka | <file.jsonl[.gz]> | - for stdout (default kafka)
  --topic <name>        Kafka topic (default network.events with FLOWSENTRY_TOPIC_PREFIX)
  -h, --help            show this help

Kafka settings come from KAFKA_BROKERS (default 127.0.0.1:9092) and FLOWSENTRY_TOPIC_PREFIX.
Progress and the summary go to stderr.`;

export class UsageError extends Error {}

export interface CliOptions {
  scenario: ScenarioOptions;
  out: string;
  topic?: string;
  batch: number;
  paced: boolean;
  seedWasGiven: boolean;
}

function numberArg(name: string, raw: string | undefined, fallback: number, check: { integer?: boolean; min?: number; max?: number; exclusiveMin?: number }): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  const ok =
    raw.trim() !== '' &&
    Number.isFinite(value) &&
    (!check.integer || Number.isInteger(value)) &&
    (check.min === undefined || value >= check.min) &&
    (check.max === undefined || value <= check.max) &&
    (check.exclusiveMin === undefined || value > check.exclusiveMin);
  if (!ok) {
    const bounds = [
      check.integer ? 'an integer' : 'a number',
      check.exclusiveMin !== undefined ? `> ${check.exclusiveMin}` : check.min !== undefined ? `>= ${check.min}` : '',
      check.max !== undefined ? `<= ${check.max}` : '',
    ].filter(Boolean);
    throw new UsageError(`--${name} must be ${bounds.join(' ')} (got "${raw}")`);
  }
  return value;
}

function parseAttacks(raw: string | undefined): AttackName[] {
  if (raw === undefined || raw === 'all') return [...ATTACK_NAMES];
  if (raw === 'none') return [];
  const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !isAttackName(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(`--attacks: unknown attack ${unknown.map((u) => `"${u}"`).join(', ') || '(empty list)'}; choose all, none or from ${ATTACK_NAMES.join(', ')}`);
  }
  return [...new Set(names as AttackName[])];
}

/** Turns argv into run options; every mistake is a UsageError naming the flag. */
export function parseCliArgs(argv: string[], nowMs: number, randomSeed: () => string = () => randomBytes(4).toString('hex')): CliOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        rate: { type: 'string' },
        duration: { type: 'string' },
        count: { type: 'string' },
        batch: { type: 'string' },
        fast: { type: 'boolean' },
        seed: { type: 'string' },
        hosts: { type: 'string' },
        start: { type: 'string' },
        'time-scale': { type: 'string' },
        attacks: { type: 'string' },
        'attack-share': { type: 'string' },
        'drift-at': { type: 'string' },
        out: { type: 'string' },
        topic: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return 'help';

  const rate = numberArg('rate', values.rate, 100, { exclusiveMin: 0, max: 1_000_000 });
  if (values.duration !== undefined && values.count !== undefined) throw new UsageError('give either --duration or --count, not both');
  let count: number;
  if (values.count !== undefined) {
    count = numberArg('count', values.count, 0, { integer: true, min: 1 });
  } else {
    const duration = numberArg('duration', values.duration, 60, { exclusiveMin: 0 });
    count = Math.round(rate * duration);
    if (count < 1) throw new UsageError(`--rate x --duration gives no events (${rate} x ${duration})`);
  }
  const timeScale = numberArg('time-scale', values['time-scale'], 1, { exclusiveMin: 0, max: 1e7 });
  let startMs: number;
  if (values.start !== undefined) {
    startMs = Date.parse(values.start);
    if (!Number.isFinite(startMs)) throw new UsageError(`--start must be an ISO-8601 date-time (got "${values.start}")`);
  } else {
    startMs = defaultStartMs(plannedSpanMs(count, rate, timeScale), nowMs);
  }
  const driftAt = values['drift-at'] === undefined ? null : numberArg('drift-at', values['drift-at'], 0, { min: 0, max: 0.999999 });
  const out = values.out ?? 'kafka';
  if (out.trim() === '') throw new UsageError('--out must be kafka, a file path or -');
  if (values.topic !== undefined && out !== 'kafka') throw new UsageError('--topic only applies with --out kafka');
  if (values.topic !== undefined && values.topic.trim() === '') throw new UsageError('--topic must not be empty');

  return {
    scenario: {
      seed: values.seed ?? randomSeed(),
      hosts: numberArg('hosts', values.hosts, 40, { integer: true, min: 1, max: 5000 }),
      count,
      rate,
      timeScale,
      startMs,
      attacks: parseAttacks(values.attacks),
      attackShare: numberArg('attack-share', values['attack-share'], 0.1, { min: 0, max: MAX_ATTACK_SHARE }),
      driftAt,
    },
    out,
    topic: values.topic,
    batch: numberArg('batch', values.batch, 500, { integer: true, min: 1, max: 100_000 }),
    paced: !values.fast,
    seedWasGiven: values.seed !== undefined,
  };
}

function describePlan(scenario: Scenario, destination: string): string {
  const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const o = scenario.options;
  const lines = [
    `flowsentry-produce: seed ${o.seed}, run ${scenario.runId}: ${o.count} events at ${o.rate} ev/s to ${destination}`,
    `  simulated ${iso(scenario.startMs)} .. ${iso(scenario.endMs)} (${formatDuration(scenario.endMs - scenario.startMs)}, time scale ${o.timeScale}), ${o.hosts} client hosts`,
  ];
  for (const e of scenario.episodes) lines.push(`  episode ${e.attack.padEnd(13)} ${iso(e.startMs)} for ${formatDuration(e.endMs - e.startMs)}`);
  if (scenario.driftAtMs !== null) lines.push(`  drift from ${iso(scenario.driftAtMs)}`);
  return lines.join('\n');
}

async function openSink(options: CliOptions): Promise<{ sink: EventSink; destination: string }> {
  if (options.out === 'kafka') {
    // Loaded only when needed: file and stdout runs must not require a Kafka client. The sink opens
    // one span per send and writes its context into every message itself; kafkajs's per-message
    // spans would add thousands of spans a second, overflow the export queue and drop the sends' own.
    const { startTelemetry } = await import('@flowsentry/telemetry');
    const telemetry = startTelemetry({ service: 'producer', instrumentKafka: false });
    const { KafkaEventSink } = await import('./kafka-sink');
    const sink = await KafkaEventSink.open({ topic: options.topic });
    return { sink: flushingTelemetryOnClose(sink, telemetry), destination: `kafka topic ${sink.topic}` };
  }
  return { sink: new JsonLinesSink(options.out), destination: options.out === '-' ? 'stdout' : options.out };
}

/** Spans of the last batches are exported before the process exits. */
function flushingTelemetryOnClose(sink: EventSink, telemetry: { shutdown(): Promise<void> }): EventSink {
  return {
    send: (events) => sink.send(events),
    close: async () => {
      await sink.close();
      await telemetry.shutdown();
    },
  };
}

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream;
  now: () => number;
}

/** Runs the CLI and returns the process exit code: 0 done, 1 failed, 2 bad usage, 130 interrupted. */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr, now: Date.now }): Promise<number> {
  let options: CliOptions;
  let scenario: Scenario;
  try {
    const parsed = parseCliArgs(argv, io.now());
    if (parsed === 'help') {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    options = parsed;
    scenario = planScenario(options.scenario, io.now());
  } catch (err) {
    if (err instanceof UsageError || err instanceof ScenarioError) {
      io.stderr.write(`flowsentry-produce: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }

  let opened: { sink: EventSink; destination: string };
  try {
    opened = await openSink(options);
  } catch (err) {
    io.stderr.write(`flowsentry-produce: cannot open ${options.out}: ${(err as Error).message}\n`);
    return 1;
  }
  io.stderr.write(`${describePlan(scenario, opened.destination)}\n`);

  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.once('SIGINT', onSigint);
  const progress = new ProgressLine(io.stderr, options.scenario.rate, options.paced);
  try {
    const summary = await runProducer({
      events: new TrafficGenerator(scenario),
      sink: opened.sink,
      total: options.scenario.count,
      rate: options.scenario.rate,
      batch: options.batch,
      paced: options.paced,
      onProgress: (stats) => progress.update(stats),
      signal: abort.signal,
    });
    progress.finish();
    await opened.sink.close();
    io.stderr.write(`${formatSummary(summary, opened.destination)}\n`);
    if (!options.seedWasGiven) io.stderr.write(`reproduce: same options plus --seed ${options.scenario.seed} --start ${new Date(scenario.startMs).toISOString()}\n`);
    return summary.interrupted ? 130 : 0;
  } catch (err) {
    progress.finish();
    // A closed pipe (`... --out - | head`) means the reader has what it wanted: not a failure.
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    io.stderr.write(`flowsentry-produce: ${(err as Error).message}\n`);
    await opened.sink.close().catch(() => undefined);
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`flowsentry-produce: ${(err as Error).stack ?? String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
