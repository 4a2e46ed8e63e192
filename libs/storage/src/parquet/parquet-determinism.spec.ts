import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { ColumnarTable } from './columnar-table';
import { writeParquet } from './write-parquet';

const REPO_ROOT = resolve(__dirname, '../../../..');

/** A few thousand flow-like rows spanning two chunks, with strings both inline and on DuckDB's heap. */
function flows(rows = 3000): ColumnarTable {
  const index = Array.from({ length: rows }, (_, i) => i);
  return {
    rowCount: rows,
    columns: [
      { name: 'event_time', type: 'timestamp_ms', values: index.map((i) => 1_767_225_600_000 + i * 13) },
      { name: 'event_id', type: 'utf8', values: index.map((i) => `evt-${String(i).padStart(10, '0')}`) },
      { name: 'src_ip', type: 'utf8', values: index.map((i) => (i % 11 === 0 ? null : `10.0.${i % 7}.${i % 251}`)) },
      { name: 'bytes_in', type: 'int64', values: index.map((i) => (i % 13 === 0 ? null : String(i * 1_000_003))) },
      { name: 'dst_port', type: 'int32', values: index.map((i) => [80, 443, 53][i % 3]) },
      { name: 'is_internal', type: 'bool', values: index.map((i) => i % 5 === 0) },
      { name: 'rate', type: 'double', values: index.map((i) => (i % 17 === 0 ? null : Math.sin(i) * 1e3)) },
    ],
  };
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes the table in a brand-new Node process (so a brand-new DuckDB) and returns the sha256 of the bytes. */
function sha256InFreshProcess(table: ColumnarTable): string {
  const child = `
    const { createHash } = require('node:crypto');
    const { writeParquet } = require('./libs/storage/src/parquet/write-parquet.ts');
    let input = '';
    process.stdin.on('data', (d) => (input += d)).on('end', async () => {
      const bytes = await writeParquet(JSON.parse(input));
      process.stdout.write(createHash('sha256').update(bytes).digest('hex'));
    });`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', child], { cwd: REPO_ROOT, input: JSON.stringify(table), encoding: 'utf8', timeout: 120_000 });
  if (run.status !== 0) throw new Error(`child writer failed (${run.status}): ${run.stderr}`);
  return run.stdout;
}

describe('Parquet bytes are a function of the table alone', () => {
  it('are identical for the same table written twice in one process', async () => {
    const first = await writeParquet(flows());
    const second = await writeParquet(flows());
    expect(second.equals(first)).toBe(true);
  });

  it('are identical when written by two fresh processes, each with its own DuckDB', async () => {
    const here = sha256(await writeParquet(flows()));
    expect(sha256InFreshProcess(flows())).toBe(here);
    expect(sha256InFreshProcess(flows())).toBe(here);
  });

  it('do not depend on how the values were handed over (bigint, number or string; typed array or array)', async () => {
    const asStrings = await writeParquet({ rowCount: 3, columns: [{ name: 'n', type: 'int64', values: ['1', '-2', null] }, { name: 'd', type: 'double', values: [1.5, 2, NaN] }] });
    const asBigints = await writeParquet({ rowCount: 3, columns: [{ name: 'n', type: 'int64', values: [1n, -2n, null] }, { name: 'd', type: 'double', values: new Float64Array([1.5, 2, NaN]) }] });
    const asNumbers = await writeParquet({ rowCount: 3, columns: [{ name: 'n', type: 'int64', values: [1, -2, null] }, { name: 'd', type: 'double', values: [1.5, 2, null] }] });
    expect(asBigints.equals(asStrings)).toBe(true);
    expect(asNumbers.equals(asStrings)).toBe(true);
  });

  it('change when the rows come in another order', async () => {
    const table = flows();
    const reversed: ColumnarTable = { ...table, columns: table.columns.map((c) => ({ ...c, values: Array.from(c.values).reverse() })) };
    expect((await writeParquet(reversed)).equals(await writeParquet(table))).toBe(false);
  });

  it('match the bytes pinned for DuckDB 1.5.6; a change means SILVER objects written before it would conflict on replay', async () => {
    expect(sha256(await writeParquet(flows()))).toBe('6262bf9ba4f9854db5251c77cd984a1669f56f569b5f104f83f2efa4c7097fbc');
  });
});
