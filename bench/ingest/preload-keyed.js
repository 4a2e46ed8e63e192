// Pre-loads a topic the way the traffic producer's Kafka sink does: every message keyed by its
// sensor id and carrying content-type, traceparent and tracestate headers, one trace context per
// 1,000-message send (the sink sends a batch per span). Kafka's producer-perf tool cannot add headers.
//   node bench/ingest/preload-keyed.js <topic> <messages> <payload.jsonl>
'use strict';
const { readFileSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const { Kafka, logLevel, CompressionTypes } = require('kafkajs');

const [topic, countArg, payloadFile] = process.argv.slice(2);
const count = Number(countArg);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const SEND = 1000;

async function main() {
  const payloads = readFileSync(payloadFile, 'utf8').split('\n').filter(Boolean);
  const keys = payloads.map((p) => JSON.parse(p).sensor_id);
  const kafka = new Kafka({ clientId: 'bench-preload', brokers, logLevel: logLevel.WARN });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const inFlight = [];
  for (let sent = 0; sent < count; sent += SEND) {
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    const messages = [];
    for (let i = sent; i < Math.min(count, sent + SEND); i++) {
      const j = i % payloads.length;
      messages.push({ key: keys[j], value: payloads[j], headers: { 'content-type': 'application/json', traceparent, tracestate: 'flowsentry=bench' } });
    }
    inFlight.push(producer.send({ topic, messages, acks: 1, compression: CompressionTypes.None }));
    if (inFlight.length >= 8) await inFlight.shift();
  }
  await Promise.all(inFlight);
  await producer.disconnect();
}

main().catch((err) => {
  console.error(`preload-keyed: ${err.stack ?? err}`);
  process.exit(1);
});
