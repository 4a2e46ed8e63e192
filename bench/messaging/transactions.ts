// Back-to-back transactions of the step runtime's TransactionalEmitter on the real broker, as a
// busy step sends them (one small output and the consumed offset each): per-transaction time and
// how many sends the broker refused with CONCURRENT_TRANSACTIONS (the previous commit's markers
// still being written), with the emitter's first send retry and with the Kafka client's 200 ms
// (libs/messaging's kafka-client.ts), which the emitter's sends used before.
//   node --import tsx bench/messaging/transactions.ts [transactions=200] [first retry ms to compare=200]
// Needs the local stack (tools/stack/stack.sh up); its topics are made and deleted here.
import { randomBytes } from 'node:crypto';
import { Topics, topicName } from '@flowsentry/contracts';
import { createKafka, FIRST_SEND_RETRY_MS, kafkaSettingsFromEnv, TopicAdmin, TransactionalEmitter } from '@flowsentry/messaging';
import { stackEnv } from '../../test/support/stack-env';

const transactions = Number(process.argv[2] ?? 200);
const compared = Number(process.argv[3] ?? 200);

async function run(firstSendRetryMs: number): Promise<string> {
  const prefix = `bench${randomBytes(4).toString('hex')}`;
  const settings = kafkaSettingsFromEnv('flowsentry-bench-txn', { ...stackEnv('owner'), FLOWSENTRY_TOPIC_PREFIX: prefix });
  let refused = 0;
  const kafka = createKafka(settings, (_level, message) => {
    if (message.includes('concurrent operation on the same transaction')) refused++;
  });
  const admin = new TopicAdmin(kafka);
  const output = topicName(Topics.anomaliesDetected, prefix);
  const input = topicName(Topics.silverReady, prefix);
  await admin.ensureTopics([output, input], 1);
  const emitter = new TransactionalEmitter(kafka, settings, { transactionalId: `${prefix}/bench`, firstSendRetryMs });
  await emitter.connect();
  const times: number[] = [];
  try {
    for (let i = 0; i < transactions; i++) {
      const started = performance.now();
      const event = { topic: Topics.anomaliesDetected, key: '10.0.0.7', value: JSON.stringify({ i }) };
      await emitter.emitAndCommit([event], 'bench', { groupId: `${prefix}-bench`, topic: input, partition: 0, offset: String(i) });
      times.push(performance.now() - started);
    }
  } finally {
    await emitter.disconnect();
    await admin.deleteTopics([output, input]);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(1);
  const total = times.reduce((a, b) => a + b, 0);
  return `first send retry ${String(firstSendRetryMs).padStart(3)} ms: ${transactions} transactions in ${(total / 1000).toFixed(2)} s (${Math.round((transactions * 1000) / total)}/s), per transaction p50 ${at(0.5)} / p90 ${at(0.9)} / max ${at(1)} ms; ${refused} sends refused with CONCURRENT_TRANSACTIONS`;
}

async function main(): Promise<void> {
  for (const ms of [FIRST_SEND_RETRY_MS, compared]) console.log(await run(ms));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
