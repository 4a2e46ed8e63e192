// Times the database statements transform runs per batch (the same SQL as services/transform's
// SeenEvents and WindowCheckpoints), as the transform role, inside transactions that are rolled
// back: nothing stays behind. Shows which of them the "audit/commit/emit" share is made of.
//   (eval "$(tools/stack/stack.sh env transform)"; node bench/transform/commit-probe.js <bench group> [rows=5000] [reps=5])
// <bench group> is a finished bench run's transform group: its largest checkpoint is used as the
// state to save, and its seen-events stream as the realistic index to query.
'use strict';
const { Client } = require('pg');

const [group, rowsArg, repsArg] = process.argv.slice(2);
if (!group) {
  console.error('usage: commit-probe.js <bench transform group> [rows=5000] [reps=5]');
  process.exit(2);
}
const ROWS = Number(rowsArg ?? 5000);
const REPS = Number(repsArg ?? 5);
const probe = `${group}-probe`;
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

async function main() {
  const db = new Client();
  await db.connect();
  const timings = {};
  const time = async (name, fn) => {
    const t0 = process.hrtime.bigint();
    const r = await fn();
    (timings[name] ??= []).push(ms(t0));
    return r;
  };
  try {
    const { rows: states } = await db.query(
      `SELECT stream, feature_version, last_offset, state FROM transform_checkpoints WHERE consumer_group = $1 ORDER BY octet_length(state) DESC LIMIT 1`,
      [group],
    );
    const { rows: small } = await db.query(
      `SELECT state FROM transform_checkpoints WHERE consumer_group = $1 ORDER BY octet_length(state) ASC LIMIT 1`,
      [group],
    );
    if (states.length === 0) throw new Error(`no checkpoints for group ${group}`);
    const big = states[0].state;
    const { stream, feature_version: featureVersion } = states[0];
    const { rows: seen } = await db.query(`SELECT event_key FROM transform_seen_events WHERE consumer_group = $1 AND stream = $2 LIMIT $3`, [group, stream, ROWS]);
    console.error(`[probe] stream ${stream}: checkpoint ${big.length} / ${small[0].state.length} bytes, ${seen.length} existing keys`);
    const t0 = Date.UTC(2026, 0, 1);
    for (let rep = 0; rep < REPS; rep++) {
      const keys = Array.from({ length: ROWS }, (_, i) => `id:probe${rep}x${'0'.repeat(12)}-${String(i).padStart(7, '0')}`);
      const times = keys.map((_, i) => t0 + rep * 3_600_000 + i * 60);
      const existing = seen.map((r) => r.event_key);
      await time('seenBefore (dedup SELECT, real index)', () =>
        db.query(`SELECT event_key FROM transform_seen_events WHERE consumer_group = $1 AND stream = $2 AND event_key = ANY($3::text[]) AND first_offset < $4 AND event_time >= $5`, [
          group, stream, existing, '999999999', new Date(0),
        ]),
      );
      await time('checkpoints.before (largest state)', () =>
        db.query(`SELECT state FROM transform_checkpoints WHERE consumer_group = $1 AND stream = $2 AND feature_version = $3 AND last_offset < $4 ORDER BY last_offset DESC LIMIT 1`, [group, stream, featureVersion, '999999999']),
      );
      await db.query('BEGIN');
      try {
        await time(`seen.record INSERT ${ROWS} keys`, () =>
          db.query(
            `INSERT INTO transform_seen_events (consumer_group, stream, event_key, first_offset, event_time)
             SELECT $1, $2, k, $3, to_timestamp(t / 1000.0) FROM unnest($4::text[], $5::float8[]) AS u(k, t)
             ON CONFLICT DO NOTHING`,
            [probe, 'probe/0', String(rep * ROWS), keys, times],
          ),
        );
        await time(`seen.prune DELETE (${ROWS / 2} of ${ROWS})`, () =>
          db.query(`DELETE FROM transform_seen_events WHERE consumer_group = $1 AND stream = $2 AND event_time < $3`, [probe, 'probe/0', new Date(times[ROWS / 2])]),
        );
        await time(`checkpoint INSERT small (${small[0].state.length} B)`, () =>
          db.query(`INSERT INTO transform_checkpoints (consumer_group, stream, feature_version, last_offset, state) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
            probe, 'probe/0', 'probe', String(rep * 2), small[0].state,
          ]),
        );
        await time(`checkpoint INSERT largest (${big.length} B)`, () =>
          db.query(`INSERT INTO transform_checkpoints (consumer_group, stream, feature_version, last_offset, state) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
            probe, 'probe/0', 'probe', String(rep * 2 + 1), big,
          ]),
        );
      } finally {
        await time('ROLLBACK', () => db.query('ROLLBACK'));
      }
    }
    console.log(`\ntransform's per-batch statements (${REPS} reps, rolled back; median / min / max ms)`);
    for (const [name, list] of Object.entries(timings)) {
      const s = [...list].sort((a, b) => a - b);
      console.log(`${name.padEnd(48)} ${s[Math.floor(s.length / 2)].toFixed(1).padStart(8)} ${s[0].toFixed(1).padStart(8)} ${s[s.length - 1].toFixed(1).padStart(8)}`);
    }
  } finally {
    await db.end();
  }
}
main().catch((err) => {
  console.error(`commit-probe: ${err.stack ?? err}`);
  process.exit(1);
});
