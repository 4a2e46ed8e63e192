// The ceiling ingest is measured against: a bare kafkajs consumer with ingest's client and fetch
// settings (libs/messaging createKafka + MicroBatchConsumer) that only JSON.parses every value.
//   node bench/ingest/bare-consume.js <topic> <messages>
// Prints one JSON line: messages, seconds (first fetch .. last message parsed), rate, CPU seconds.
'use strict';
const { Kafka, logLevel } = require('kafkajs');

const [topic, expectedArg] = process.argv.slice(2);
const expected = Number(expectedArg);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');

async function main() {
  const kafka = new Kafka({ clientId: 'bench-bare', brokers, connectionTimeout: 3000, retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 }, logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId: `${topic}-bare-${process.pid}`, sessionTimeout: 30_000, heartbeatInterval: 3_000, maxBytesPerPartition: 4 * 1024 * 1024, maxBytes: 16 * 1024 * 1024 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let parsedFields = 0;
  let firstAt;
  let cpuAtFirst;
  const done = new Promise((resolve) => {
    consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset }) => {
        if (firstAt === undefined) {
          firstAt = process.hrtime.bigint();
          cpuAtFirst = process.cpuUsage();
        }
        for (const m of batch.messages) {
          // Touch the result so the parse cannot be optimised away.
          parsedFields += JSON.parse(m.value).src_port > 0 ? 1 : 0;
          if (++seen === expected) resolve();
        }
        // Once per fetch, as ingest does: per message it is kafkajs offset arithmetic, not consuming.
        if (batch.messages.length > 0) resolveOffset(batch.lastOffset());
      },
    });
  });
  await done;
  const seconds = Number(process.hrtime.bigint() - firstAt) / 1e9;
  const cpu = process.cpuUsage(cpuAtFirst);
  await consumer.disconnect();
  console.log(JSON.stringify({ messages: seen, seconds, eventsPerSec: seen / seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, parsedFields }));
}

main().catch((err) => {
  console.error(`bare-consume: ${err.stack ?? err}`);
  process.exit(1);
});
