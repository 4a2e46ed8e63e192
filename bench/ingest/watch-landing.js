// Polls the audit table until `expected` events of the group have landed, then reports rate,
// batches, CPU and memory of the ingest process and its per-phase histogram sums from /metrics.
const { readFileSync } = require('node:fs');
const { Client } = require('pg');

const [group, expected, port, pid] = process.argv.slice(2);
const ticks = 100; // USER_HZ on Linux

function cpuSeconds() {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}
function rssMiB() {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

async function main() {
  const db = new Client();
  await db.connect();
  let firstAt;
  let peak = 0;
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    peak = Math.max(peak, rssMiB());
    const { rows } = await db.query(
      `SELECT coalesce(sum(event_count),0)::bigint AS events, count(*) AS batches, min(created_at) AS first_at, max(landed_at) AS last_at
         FROM ingestion_batches WHERE consumer_group = $1 AND status = 'landed'`,
      [group],
    );
    const r = rows[0];
    if (!firstAt && Number(r.batches) > 0) firstAt = r.first_at;
    if (Number(r.events) >= Number(expected)) {
      const { rows: raw } = await db.query(`SELECT coalesce(sum(size_bytes),0)::bigint AS bytes FROM artifacts a JOIN ingestion_batches b ON b.object_ref = a.ref WHERE b.consumer_group = $1`, [group]);
      const { rows: first } = await db.query(`SELECT min(created_at) AS t FROM ingestion_batches WHERE consumer_group = $1`, [group]);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const phases = {};
      for (const m of metrics.matchAll(/flowsentry_ingest_phase_seconds_sum\{[^}]*phase="([a-z_]+)"[^}]*\} ([0-9.e+-]+)/g)) phases[m[1]] = Number(m[2]);
      // The first batch's plan row is written when its first fetch is complete: the start of ingest work.
      const seconds = (new Date(r.last_at) - new Date(first[0].t)) / 1000;
      console.log(JSON.stringify({ events: Number(r.events), batches: Number(r.batches), seconds, eventsPerSec: Number(r.events) / seconds, rawBytes: Number(raw[0].bytes), cpuSeconds: cpuSeconds(), peakRssMiB: peak, phases }));
      break;
    }
    if (Date.now() > deadline) throw new Error(`only ${r.events}/${expected} events landed in 30 min`);
    await new Promise((res) => setTimeout(res, 500));
  }
  await db.end();
}
main().catch((err) => {
  console.error(`watch-landing: ${err.message}`);
  process.exit(1);
});
