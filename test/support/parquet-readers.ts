import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const checks = join(__dirname, '..', '..', 'tools', 'checks', 'parquet');

type Row = Record<string, unknown>;

/** How pyarrow, DuckDB's Python build and Spark see one Parquet file (tools/checks/parquet/inspect_parquet.py). */
export interface ParquetReadersReport {
  pyarrow: { rows: number; schema: Array<[string, string]>; sample: Row[] };
  duckdb: { rows: number; schema: Array<[string, string]> };
  spark: { rows: number; schema: Array<[string, string]>; sample: Row[] };
}

/**
 * Reads `parquet` with the three independent readers SILVER consumers use, in the Python venv
 * that ensure-venv.sh creates once (the first call installs it: ~0.5 GB, a minute or two).
 * Integers beyond a JS number's exact range come back as bigint; NaN and infinities as the
 * strings Python prints for them.
 */
export async function readWithPythonReaders(parquet: Buffer, sampleRows = 3): Promise<ParquetReadersReport> {
  const { stdout: python } = await run('bash', [join(checks, 'ensure-venv.sh')], { encoding: 'utf8' });
  const dir = await mkdtemp(join(tmpdir(), 'parquet-readers-'));
  try {
    const file = join(dir, 'table.parquet');
    await writeFile(file, parquet);
    const { stdout } = await run(python.trim(), [join(checks, 'inspect_parquet.py'), file, String(sampleRows)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return parseExact(stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** JSON.parse, with integers of 16 or more digits turned into bigint before a JS number can round them. */
function parseExact(json: string): ParquetReadersReport {
  const marked = json.replace(/(?<=[:,[]\s*)(-?\d{16,})(?=\s*[,}\]])/g, '"$1n"');
  return JSON.parse(marked, (_key, value: unknown) => (typeof value === 'string' && /^-?\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value)) as ParquetReadersReport;
}
