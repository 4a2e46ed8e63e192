// Prints the ingest benchmark's table from the JSON files run.sh wrote for each topic shape.
//   node bench/ingest/report.js <work dir> <partitions> <shape...>
'use strict';
const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const [dir, partitions, ...shapes] = process.argv.slice(2);
const read = (name) => (existsSync(join(dir, name)) ? JSON.parse(readFileSync(join(dir, name), 'utf8')) : undefined);
const line = (k, v) => console.log(`${k.padEnd(46)} ${v}`);
const perEventUs = (cpuSeconds, events) => ((cpuSeconds / events) * 1e6).toFixed(2);
const SHAPE = { plain: 'no key, no headers', keyed: 'sensor-id key + content-type, traceparent, tracestate headers' };

console.log(`\ningest benchmark (${partitions} partitions)`);
line('batch settings', `max ${process.env.INGEST_BATCH_MAX_EVENTS} events / ${process.env.INGEST_BATCH_MAX_BYTES} bytes / ${process.env.INGEST_BATCH_MAX_WAIT_MS} ms`);
line('tracing', process.env.OTEL_SDK_DISABLED === 'true' ? 'off' : 'on (OTLP to Jaeger)');
for (const shape of shapes) {
  const kafka = read(`${shape}-kafka.json`);
  const bare = read(`${shape}-bare.json`);
  const ingest = read(`${shape}-ingest.json`);
  const two = read(`${shape}-ingest2.json`);
  console.log(`\n[${shape}] ${ingest.events} events, ${SHAPE[shape] ?? shape}`);
  line('kafka consumer-perf msg/s (fetch)', kafka.fetchRate);
  line('bare kafkajs eachBatch + JSON.parse msg/s', `${Math.round(bare.eventsPerSec)}  (${perEventUs(bare.cpuSeconds, bare.messages)} µs CPU/msg)`);
  line('ingest events/s (first fetch..last landed)', `${Math.round(ingest.eventsPerSec)}  (${perEventUs(ingest.cpuSeconds, ingest.events)} µs CPU/event, incl. start-up)`);
  line('ingest / bare kafkajs', (ingest.eventsPerSec / bare.eventsPerSec).toFixed(2));
  line('ingest / kafka consumer-perf', (ingest.eventsPerSec / kafka.fetchRate).toFixed(2));
  if (two) line('two ingest instances events/s (one group)', `${Math.round(two.eventsPerSec)}  (${(two.eventsPerSec / ingest.eventsPerSec).toFixed(2)}× one)`);
  line('batches landed', ingest.batches);
  line('RAW bytes (gzip)', ingest.rawBytes);
  line('ingest CPU seconds (user+sys, whole process)', ingest.cpuSeconds.toFixed(1));
  line('ingest peak RSS MiB', ingest.peakRssMiB);
  if (ingest.machineBusyCores !== undefined) line('machine cores busy while landing (all processes)', `${ingest.machineBusyCores.toFixed(2)} of ${ingest.cores}`);
  console.log('  a batch handler\'s wall time per phase (sum over batches, seconds; runs beside fetching, see the profile for CPU):');
  for (const [phase, s] of Object.entries(ingest.phases)) line(`    ${phase}`, s.toFixed(2));
}
