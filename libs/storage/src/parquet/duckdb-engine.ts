import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { createColumnarScanFunction } from './columnar-scan';

/**
 * One in-process DuckDB per process, shared by every read and write (each uses its own
 * connection). Creating an instance costs 30–200 ms; a connection about 1 ms.
 */
const ENGINE_SETTINGS: Record<string, string> = {
  // Byte-determinism: with one thread the Parquet writer sees chunks, and so cuts row groups
  // and dictionaries, in exactly the order they were produced on every run.
  threads: '1',
  preserve_insertion_order: 'true',
  // Never reach for the network: extensions are not installable here and the product must not try.
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
  // DuckDB's default spill directory is `.tmp` under the working directory; nothing we run
  // needs to spill (writes stream, reads stream), so refuse rather than litter a service's cwd.
  temp_directory: '',
};

let engine: Promise<DuckDBInstance> | undefined;
const keepAlive: object[] = [];

async function openEngine(): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:', ENGINE_SETTINGS);
  const connection = await instance.connect();
  const scan = createColumnarScanFunction();
  connection.registerTableFunction(scan);
  // Registered functions live in the instance's catalog, but the JS callbacks behind them must
  // not be collected while the instance can still call them.
  keepAlive.push(connection, scan);
  return instance;
}

/** Runs `work` on a fresh connection of the shared instance. */
export async function withConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  engine ??= openEngine().catch((error: unknown) => {
    engine = undefined;
    throw error;
  });
  const connection = await (await engine).connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

/** A private directory under os.tmpdir() for the files DuckDB reads and writes; always removed. */
export async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'flowsentry-parquet-'));
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}
