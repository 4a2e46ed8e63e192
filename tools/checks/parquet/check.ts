import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ColumnarTable, writeParquet } from '../../../libs/storage/src/parquet';

/**
 * Writes one table of every ColumnType (with nulls) through libs/storage and asserts that pyarrow
 * and DuckDB's Python build read it with the types SILVER consumers rely on.
 * Usage: tools/checks/parquet/run.sh   (PARQUET_PYTHON comes from ensure-venv.sh)
 */
const sample: ColumnarTable = {
  rowCount: 4,
  columns: [
    { name: 'event_time', type: 'timestamp_ms', values: [1_767_225_600_123, null, -1, 0] },
    { name: 'bytes_in', type: 'int64', values: [1, null, -(2n ** 63n), '9223372036854775807'] },
    { name: 'dst_port', type: 'int32', values: [443, -(2 ** 31), null, 2 ** 31 - 1] },
    { name: 'Rate per s', type: 'double', values: [0.1, -0, Infinity, null] },
    { name: 'src_ip', type: 'utf8', values: ['10.0.0.1', '', null, 'ünïcode 🎉, longer than twelve bytes'] },
    { name: 'is_attack', type: 'bool', values: [true, false, null, true] },
  ],
};

const expected = {
  pyarrow: {
    rows: 4,
    schema: [['event_time', 'timestamp[ms]'], ['bytes_in', 'int64'], ['dst_port', 'int32'], ['Rate per s', 'double'], ['src_ip', 'string'], ['is_attack', 'bool']],
    sample: [
      { event_time: '2026-01-01T00:00:00.123000', bytes_in: 1, dst_port: 443, 'Rate per s': 0.1, src_ip: '10.0.0.1', is_attack: true },
      { event_time: null, bytes_in: null, dst_port: -2147483648, 'Rate per s': -0, src_ip: '', is_attack: false },
      { event_time: '1969-12-31T23:59:59.999000', bytes_in: -9223372036854775808n, dst_port: null, 'Rate per s': 'inf', src_ip: null, is_attack: null },
    ],
  },
  duckdb: {
    rows: 4,
    schema: [['event_time', 'TIMESTAMP'], ['bytes_in', 'BIGINT'], ['dst_port', 'INTEGER'], ['Rate per s', 'DOUBLE'], ['src_ip', 'VARCHAR'], ['is_attack', 'BOOLEAN']],
  },
};

async function main(): Promise<void> {
  const python = process.env.PARQUET_PYTHON;
  if (!python) throw new Error('PARQUET_PYTHON is not set: run through tools/checks/parquet/run.sh');
  const dir = mkdtempSync(join(tmpdir(), 'parquet-check-'));
  try {
    const file = join(dir, 'sample.parquet');
    writeFileSync(file, await writeParquet(sample));
    const output = execFileSync(python, [join(__dirname, 'inspect_parquet.py'), file], { encoding: 'utf8' });
    console.log(output.trim());
    // int64 extremes exceed a JS number: parse them as bigint so the comparison is exact.
    const report = JSON.parse(output.replace(/(?<=[:,[]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '"$1n"'), (_key, value) =>
      typeof value === 'string' && /^-?\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value,
    );
    const problems = diff(expected, report, '');
    if (problems.length > 0) {
      console.error(`FAIL\n${problems.join('\n')}`);
      process.exitCode = 1;
    } else {
      console.log('OK: pyarrow and duckdb read every column with the expected type and values');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function diff(want: unknown, got: unknown, path: string): string[] {
  if (typeof want === 'object' && want !== null && typeof got === 'object' && got !== null) {
    const keys = new Set([...Object.keys(want), ...Object.keys(got)]);
    return [...keys].flatMap((key) => diff((want as Record<string, unknown>)[key], (got as Record<string, unknown>)[key], `${path}.${key}`));
  }
  // Object.is, so -0 must come back as -0.
  return Object.is(want, got) ? [] : [`${path}: expected ${String(want)}, got ${String(got)}`];
}

void main();
