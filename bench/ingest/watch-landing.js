// Polls the audit table until `expected` events of the group have landed, then reports rate,
// batches, CPU and memory of the ingest process(es) and their per-phase histogram sums from /metrics.
//   node watch-landing.js <group> <expected> <port> <pid> [<pid> <port> ...]
const { readFileSync } = require('node:fs');
const { cpus } = require('node:os');
const { Client } = require('pg');

const [group, expected, port, pid, ...more] = process.argv.slice(2);
const instances = [{ pid, port }];
for (let i = 0; i + 1 < more.length; i += 2) instances.push({ pid: more[i], port: more[i + 1] });
const ticks = 100; // USER_HZ on Linux

function cpuSeconds(p) {
  const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticks;
}
function rssMiB(p) {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

/** Busy and total jiffies of the whole machine (all cores), to tell an ingest limit from a machine limit. */
function machineJiffies() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = fields[3] + fields[4];
  const total = fields.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

async function phasesOf(p) {
  const metrics = await (await fetch(`http://127.0.0.1:${p}/metrics`)).text();
  const phases = {};
  for (const m of metrics.matchAll(/flowsentry_ingest_phase_seconds_sum\{[^}]*phase="([a-z_]+)"[^}]*\} ([0-9.e+-]+)/g)) phases[m[1]] = Number(m[2]);
  return phases;
}

async function main() {
  const db = new Client();
  await db.connect();
  let peak = 0;
  let machineAtFirst;
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    peak = Math.max(peak, ...instances.map((i) => rssMiB(i.pid)));
    const { rows } = await db.query(
      `SELECT coalesce(sum(event_count),0)::bigint AS events, count(*) AS batches, max(landed_at) AS last_at
         FROM ingestion_batches WHERE consumer_group = $1 AND status = 'landed'`,
      [group],
    );
    const r = rows[0];
    if (!machineAtFirst && Number(r.batches) > 0) machineAtFirst = machineJiffies();
    if (Number(r.events) >= Number(expected)) {
      const machineNow = machineJiffies();
      const cores = cpus().length;
      const machineBusy = machineAtFirst ? (machineNow.busy - machineAtFirst.busy) / (machineNow.total - machineAtFirst.total) : undefined;
      const { rows: raw } = await db.query(`SELECT coalesce(sum(size_bytes),0)::bigint AS bytes FROM artifacts a JOIN ingestion_batches b ON b.object_ref = a.ref WHERE b.consumer_group = $1`, [group]);
      const { rows: first } = await db.query(`SELECT min(created_at) AS t FROM ingestion_batches WHERE consumer_group = $1`, [group]);
      const phases = {};
      for (const i of instances) for (const [k, v] of Object.entries(await phasesOf(i.port))) phases[k] = (phases[k] ?? 0) + v;
      // The first batch's plan row is written when its first fetch is complete: the start of ingest work.
      const seconds = (new Date(r.last_at) - new Date(first[0].t)) / 1000;
      const cpu = instances.reduce((sum, i) => sum + cpuSeconds(i.pid), 0);
      console.log(JSON.stringify({ instances: instances.length, events: Number(r.events), batches: Number(r.batches), seconds, eventsPerSec: Number(r.events) / seconds, rawBytes: Number(raw[0].bytes), cpuSeconds: cpu, peakRssMiB: peak, machineBusyCores: machineBusy === undefined ? undefined : machineBusy * cores, cores, phases }));
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
