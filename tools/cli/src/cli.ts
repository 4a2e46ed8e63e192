#!/usr/bin/env node
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError } from '@flowsentry/config';
import { auditSettingsFromEnv, createAuditDataSource } from '@flowsentry/audit';
import { ALL_TOPICS, LogicalTopic } from '@flowsentry/contracts';
import { createKafka, kafkaSettingsFromEnv, TopicAdmin } from '@flowsentry/messaging';
import { formatStatus, pipelineStatus } from './commands/status';
import { replay } from './commands/replay';
import { ReplayFrom } from './replay-plan';

const USAGE = `usage: flowsentry <command> [options]

commands:
  status [--ingest-group G] [--json]
      topic sizes, landed batches and events, dead letters by reason, latest run and its trace
  replay --topic T --group G (--earliest | --offset N | --time ISO) [--partition P]
      rewind consumer group G on topic T (stop that service first); reprocessing is idempotent

environment: KAFKA_BROKERS, FLOWSENTRY_TOPIC_PREFIX, PG* (see: bash tools/stack/stack.sh env cli)`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '-h' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const { values } = parseArgs({
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
  });
  const settings = kafkaSettingsFromEnv('flowsentry-cli');
  const kafka = createKafka(settings);
  const admin = new TopicAdmin(kafka);
  const db = createAuditDataSource(auditSettingsFromEnv(), 'flowsentry-cli');
  await db.initialize();
  try {
    if (command === 'status') {
      const status = await pipelineStatus(kafka, admin, db, settings, values['ingest-group']!);
      console.log(values.json ? JSON.stringify(status, null, 2) : formatStatus(status, process.env.JAEGER_QUERY_URL ?? 'http://127.0.0.1:16686'));
      return 0;
    }
    if (command === 'replay') {
      const topic = values.topic as LogicalTopic | undefined;
      if (!topic || !ALL_TOPICS.includes(topic)) throw new UsageError(`--topic must be one of ${ALL_TOPICS.join(', ')}`);
      if (!values.group) throw new UsageError('--group is required');
      const from = replayFrom(values);
      const partition = values.partition === undefined ? undefined : Number(values.partition);
      const plan = await replay(admin, db, settings, { topic, group: values.group, from, partition, requestedBy: process.env.USER ?? 'cli' });
      for (const p of plan) console.log(`${values.group} ${topic} partition ${p.partition} -> offset ${p.offset}`);
      console.log('restart the service to reprocess; outputs are idempotent');
      return 0;
    }
    throw new UsageError(`unknown command ${command}`);
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
    else if (err instanceof ConfigError) console.error(`flowsentry: ${err.message}`);
    else console.error(`flowsentry: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
