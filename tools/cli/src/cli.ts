#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError } from '@flowsentry/config';
import { auditSettingsFromEnv, createAuditDataSource, ModelRegistry, RegistryError } from '@flowsentry/audit';
import { ALL_TOPICS, LogicalTopic } from '@flowsentry/contracts';
import { createKafka, kafkaSettingsFromEnv, TopicAdmin } from '@flowsentry/messaging';
import { ObjectStore, storageSettingsFromEnv } from '@flowsentry/storage';
import { DataSource } from 'typeorm';
import { parseOrUsage, positionalArgs } from './arguments';
import { modelsApprove } from './commands/models-approve';
import { modelsList } from './commands/models-list';
import { modelsReject } from './commands/models-reject';
import { modelsRollback } from './commands/models-rollback';
import { modelsShow } from './commands/models-show';
import { RegistryCommand } from './commands/registry-command';
import { formatAnomalies, readAnomalies, summarizeAnomalies } from './commands/anomalies';
import { labelledDetection, scoredLabelCounts } from './commands/labelled-detection';
import { formatLineage, lineageOf, resolveTarget } from './commands/lineage';
import { formatStatus, pipelineStatus } from './commands/status';
import { replay } from './commands/replay';
import { jaegerUrl } from './jaeger-url';
import { ReplayFrom } from './replay-plan';
import { UsageError } from './usage-error';

const MODELS_COMMANDS: Record<string, RegistryCommand<unknown, unknown>> = Object.fromEntries(
  [modelsList, modelsShow, modelsApprove, modelsReject, modelsRollback].map((c) => [c.name.split(' ')[1]!, c as RegistryCommand<unknown, unknown>]),
);

const USAGE = `usage: flowsentry <command> [options]

commands:
  status [--ingest-group G] [--json]
      topic sizes, landed batches and events, dead letters by reason, latest run and its trace
  anomalies [--model NAME [--labelled]] [--limit N] [--json]
      anomalies.detected so far: counts by model and label, top sources, leading reasons, the latest N (5) in full;
      --labelled: recall per label and precision against the labels of every flow the monitor scored (SILVER)
  lineage (NAME[@VERSION] | DATASET_ID | OBJECT_REF) [--json]
      where it came from: a model (a name means its champion) back through its training SILVER and RAW
      objects to the Kafka offsets they were read from; and what was made from it
  replay --topic T --group G (--earliest | --offset N | --time ISO) [--partition P]
      rewind consumer group G on topic T (stop that service first); reprocessing is idempotent
  ${modelsList.usage}
      every version newest first: status, threshold, who decided and why
  ${modelsShow.usage}
      versions with threshold, metrics, decisions and eval report; champion history; operator actions
  ${modelsApprove.usage}
      make a pending (or approved) version the champion
  ${modelsReject.usage}
      reject a version that is not serving
  ${modelsRollback.usage}
      re-point the champion to an earlier approved version (default: the newest one older than the champion)

  Registry changes need --reason and record the operator (--actor, default $USER) with channel 'cli'; the
  evaluator announces every champion move on champion.changed. The models commands need PostgreSQL only.

environment: KAFKA_BROKERS, FLOWSENTRY_TOPIC_PREFIX, PG* (see: bash tools/stack/stack.sh env cli)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help' || (command === 'models' && isHelp(rest))) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === 'models') return runModelsCommand(rest);
  if (command === 'status' || command === 'replay') return runPipelineCommand(command, rest);
  if (command === 'anomalies') return runAnomaliesCommand(rest);
  if (command === 'lineage') return runLineageCommand(rest);
  throw new UsageError(`unknown command ${command}`);
}

function isHelp(args: string[]): boolean {
  return args.includes('-h') || args.includes('--help');
}

/** Registry commands: arguments are checked before connecting, and only PostgreSQL is opened. */
async function runModelsCommand([name, ...args]: string[]): Promise<number> {
  const command = name === undefined ? undefined : MODELS_COMMANDS[name];
  if (!command) throw new UsageError(`${name === undefined ? 'models needs a command' : `unknown command models ${name}`}: one of ${Object.keys(MODELS_COMMANDS).join(', ')}`);
  const params = command.parse(args, process.env);
  return withDatabase(async (db) => {
    const result = await command.run(new ModelRegistry(db), params);
    console.log(command.render(result, params));
    return 0;
  });
}

async function runPipelineCommand(command: 'status' | 'replay', rest: string[]): Promise<number> {
  const { values } = parseOrUsage(command, () =>
    parseArgs({
      args: rest,
      options: {
        topic: { type: 'string' },
        group: { type: 'string' },
        earliest: { type: 'boolean' },
        offset: { type: 'string' },
        time: { type: 'string' },
        partition: { type: 'string' },
        'ingest-group': { type: 'string', default: 'flowsentry-ingest' },
        json: { type: 'boolean' },
      },
    }),
  );
  const settings = kafkaSettingsFromEnv('flowsentry-cli');
  const kafka = createKafka(settings);
  const admin = new TopicAdmin(kafka);
  if (command === 'status') {
    return withDatabase(async (db) => {
      const status = await pipelineStatus(kafka, admin, db, settings, values['ingest-group']!);
      console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status, jaegerUrl()));
      return 0;
    });
  }
  const topic = values.topic as LogicalTopic | undefined;
  if (!topic || !ALL_TOPICS.includes(topic)) throw new UsageError(`--topic must be one of ${ALL_TOPICS.join(', ')}`);
  if (!values.group) throw new UsageError('--group is required');
  const request = { topic, group: values.group, from: replayFrom(values), partition: values.partition === undefined ? undefined : Number(values.partition), requestedBy: process.env.USER ?? 'cli' };
  return withDatabase(async (db) => {
    const plan = await replay(admin, db, settings, request);
    for (const p of plan) console.log(`${request.group} ${topic} partition ${p.partition} -> offset ${p.offset}`);
    console.log('restart the service to reprocess; outputs are idempotent');
    return 0;
  });
}

/** PostgreSQL only: lineage is the audit trail's. */
async function runLineageCommand(rest: string[]): Promise<number> {
  const { values, positionals } = parseOrUsage('lineage', () => parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean' } } }));
  const [target] = positionalArgs('lineage', positionals, ['TARGET']);
  return withDatabase(async (db) => {
    const { ref, label } = await resolveTarget(db, target!.trim());
    const report = await lineageOf(db, ref, label);
    console.log(values.json ? JSON.stringify(report, null, 2) : formatLineage(report));
    return 0;
  });
}

/** Kafka for the anomalies; with --labelled also PostgreSQL and MinIO, for what the monitor scored. */
async function runAnomaliesCommand(rest: string[]): Promise<number> {
  const { values } = parseOrUsage('anomalies', () =>
    parseArgs({ args: rest, options: { model: { type: 'string' }, labelled: { type: 'boolean' }, limit: { type: 'string', default: '5' }, json: { type: 'boolean' } } }),
  );
  if (!/^\d+$/.test(values.limit!)) throw new UsageError('anomalies: --limit must be a non-negative integer');
  if (values.labelled && !values.model) throw new UsageError('anomalies: --labelled needs --model (the flows scored are counted per model)');
  const settings = kafkaSettingsFromEnv('flowsentry-cli');
  const kafka = createKafka(settings);
  const summary = summarizeAnomalies(await readAnomalies(kafka, new TopicAdmin(kafka), settings), { model: values.model, limit: Number(values.limit) });
  if (values.labelled) {
    await withDatabase(async (db) => {
      const scored = await scoredLabelCounts(db, new ObjectStore(storageSettingsFromEnv()), values.model!);
      summary.detection = labelledDetection(scored.counts, summary.byLabel ?? { unlabelled: summary.total }, scored.batches);
      return 0;
    });
  }
  console.log(values.json ? JSON.stringify(summary, null, 2) : formatAnomalies(summary));
  return 0;
}

async function withDatabase(work: (db: DataSource) => Promise<number>): Promise<number> {
  const db = createAuditDataSource(auditSettingsFromEnv(), 'flowsentry-cli');
  await db.initialize();
  try {
    return await work(db);
  } finally {
    await db.destroy();
  }
}

function replayFrom(values: { earliest?: boolean; offset?: string; time?: string }): ReplayFrom {
  const given = [values.earliest, values.offset, values.time].filter((v) => v !== undefined && v !== false).length;
  if (given !== 1) throw new UsageError('give exactly one of --earliest, --offset N, --time ISO');
  if (values.earliest) return { mode: 'earliest' };
  if (values.offset !== undefined) {
    if (!/^\d+$/.test(values.offset)) throw new UsageError('--offset must be a non-negative integer');
    return { mode: 'offset', offset: values.offset };
  }
  const time = new Date(values.time!);
  if (Number.isNaN(time.getTime())) throw new UsageError('--time must be an ISO-8601 date-time');
  return { mode: 'time', time };
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) console.error(`flowsentry: ${err.message}\n\n${USAGE}`);
    // A registry refusal (wrong state, unknown version) needs only its reason: a refused change is
    // already in registry_actions, written by the registry itself.
    else if (err instanceof RegistryError || err instanceof ConfigError) console.error(`flowsentry: ${err.message}`);
    else console.error(`flowsentry: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
