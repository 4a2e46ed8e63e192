import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ColumnarTable } from './columnar-table';
import { ParquetError } from './parquet-error';
import { readParquet } from './read-parquet';
import { writeParquet } from './write-parquet';
import { everyColumnType } from '../../../../test/support/parquet-tables';

async function parquetMetadata(bytes: Buffer): Promise<{ rowGroups: number; codecs: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'parquet-spec-'));
  const instance = await DuckDBInstance.create(':memory:');
  try {
    const file = join(dir, 'f.parquet');
    writeFileSync(file, bytes);
    const connection = await instance.connect();
    const reader = await connection.runAndReadAll(`SELECT count(DISTINCT row_group_id)::INTEGER, list(DISTINCT compression ORDER BY compression) FROM parquet_metadata('${file}')`);
    const [rowGroups, codecs] = reader.getRowsJS()[0] as [number, string[]];
    return { rowGroups, codecs };
  } finally {
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('writeParquet', () => {
  it('round-trips every column type with nulls, as numbers, bigints, strings and booleans', async () => {
    const table = await readParquet(await writeParquet(everyColumnType()));

    expect(table.rowCount).toBe(4);
    expect(table.columns.map((c) => [c.name, c.type])).toEqual(everyColumnType().columns.map((c) => [c.name, c.type]));
    const byName = Object.fromEntries(table.columns.map((c) => [c.name, c.values]));
    expect(byName.event_time).toEqual([1_767_225_600_123, null, -1, 0]);
    expect(byName.bytes).toEqual([1n, null, -(2n ** 63n), 2n ** 63n - 1n]);
    expect(byName.port).toEqual([443, -(2 ** 31), null, 2 ** 31 - 1]);
    expect(byName.rate).toEqual([0.1, -0, Infinity, null]);
    expect(Object.is(byName.rate[1], -0)).toBe(true);
    expect(byName.src_ip).toEqual(['10.0.0.1', '', null, 'ünïcode 🎉 and more than twelve bytes']);
    expect(byName.is_attack).toEqual([true, false, null, true]);
  });

  it('keeps column order and exact names, including case, spaces, quotes and dots', async () => {
    const names = ['Zeta', 'alpha beta', 'say "hi"', "it's", 'a.b', 'ünï'];
    const table: ColumnarTable = { rowCount: 1, columns: names.map((name) => ({ name, type: 'int32', values: [1] })) };
    const read = await readParquet(await writeParquet(table));
    expect(read.columns.map((c) => c.name)).toEqual(names);
  });

  it('writes NaN as null', async () => {
    const read = await readParquet(await writeParquet({ rowCount: 3, columns: [{ name: 'x', type: 'double', values: new Float64Array([1, NaN, 2]) }] }));
    expect(read.columns[0].values).toEqual([1, null, 2]);
  });

  it('stores strings of every length and script, at and around the 12-byte inline limit', async () => {
    const strings = ['', 'a', 'abcdefghijkl', 'abcdefghijklm', 'é', 'ééééééé', '\u0000nul\u0000', '🎉', 'x'.repeat(10_000), '192.168.10.255'];
    const read = await readParquet(await writeParquet({ rowCount: strings.length, columns: [{ name: 's', type: 'utf8', values: strings }] }));
    expect(read.columns[0].values).toEqual(strings);
  });

  it('keeps every row and null across many chunks, with no null carried into the next chunk', async () => {
    const rows = 10_000;
    const doubles = Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? null : i / 4));
    const strings = Array.from({ length: rows }, (_, i) => (i < 2048 ? null : i % 3 === 0 ? `long string number ${i}` : `s${i}`));
    const ints = Array.from({ length: rows }, (_, i) => (i % 2048 === 2047 ? null : i));
    const read = await readParquet(
      await writeParquet(
        {
          rowCount: rows,
          columns: [
            { name: 'd', type: 'double', values: doubles },
            { name: 's', type: 'utf8', values: strings },
            { name: 'i', type: 'int64', values: ints },
          ],
        },
        { rowGroupSize: 4096 },
      ),
    );
    expect(read.rowCount).toBe(rows);
    expect(read.columns[0].values).toEqual(doubles);
    expect(read.columns[1].values).toEqual(strings);
    expect(read.columns[2].values).toEqual(ints.map((i) => (i === null ? null : BigInt(i))));
  });

  it('cuts row groups at the requested size and uses the requested codec', async () => {
    const table: ColumnarTable = { rowCount: 10_000, columns: [{ name: 'i', type: 'int32', values: Array.from({ length: 10_000 }, (_, i) => i) }] };
    expect(await parquetMetadata(await writeParquet(table))).toEqual({ rowGroups: 1, codecs: ['ZSTD'] });
    expect(await parquetMetadata(await writeParquet(table, { rowGroupSize: 4096, compression: 'snappy' }))).toEqual({ rowGroups: 3, codecs: ['SNAPPY'] });
    expect(await parquetMetadata(await writeParquet(table, { compression: 'uncompressed' }))).toEqual({ rowGroups: 1, codecs: ['UNCOMPRESSED'] });
  });

  it('writes a valid file with the schema for a table of zero rows', async () => {
    const empty: ColumnarTable = { rowCount: 0, columns: everyColumnType().columns.map((c) => ({ ...c, values: [] })) };
    const read = await readParquet(await writeParquet(empty));
    expect(read).toEqual(empty);
  });

  it('accepts int64 as number, bigint or decimal string, all stored alike', async () => {
    const read = await readParquet(await writeParquet({ rowCount: 3, columns: [{ name: 'n', type: 'int64', values: [Number.MAX_SAFE_INTEGER, -5n, '-9007199254740993'] }] }));
    expect(read.columns[0].values).toEqual([2n ** 53n - 1n, -5n, -(2n ** 53n) - 1n]);
  });

  it('runs two writes at once without mixing them up', async () => {
    const a: ColumnarTable = { rowCount: 5000, columns: [{ name: 'a', type: 'double', values: Array.from({ length: 5000 }, (_, i) => i) }] };
    const b: ColumnarTable = { rowCount: 3000, columns: [{ name: 'b', type: 'utf8', values: Array.from({ length: 3000 }, (_, i) => `row ${i} of b`) }] };
    const [bytesA, bytesB] = await Promise.all([writeParquet(a), writeParquet(b)]);
    expect(await readParquet(bytesA)).toEqual(a);
    expect(await readParquet(bytesB)).toEqual(b);
    expect(bytesA.equals(await writeParquet(a))).toBe(true);
  });

  describe('refuses bad input with a ParquetError naming the problem', () => {
    const refuses = async (table: unknown, message: RegExp, options?: object): Promise<void> => {
      const error = await writeParquet(table as ColumnarTable, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ParquetError);
      expect(error).toMatchObject({ code: 'parquet.invalid-table', retriable: false });
      expect((error as Error).message).toMatch(message);
    };

    it('an unknown column type', () => refuses({ rowCount: 1, columns: [{ name: 'x', type: 'float32', values: [1] }] }, /column "x" has unknown type "float32"/));
    it('a values length other than rowCount', () => refuses({ rowCount: 2, columns: [{ name: 'x', type: 'double', values: [1] }] }, /column "x" has 1 values but rowCount is 2/));
    it('no columns', () => refuses({ rowCount: 0, columns: [] }, /at least one column/));
    it('a negative or fractional rowCount', () => refuses({ rowCount: 1.5, columns: [{ name: 'x', type: 'double', values: [1] }] }, /rowCount must be a non-negative integer/));
    it('names equal but for case', () => refuses({ rowCount: 0, columns: [{ name: 'Port', type: 'int32', values: [] }, { name: 'port', type: 'int32', values: [] }] }, /"port" clashes with "Port"/));
    it('an empty name', () => refuses({ rowCount: 0, columns: [{ name: '', type: 'int32', values: [] }] }, /non-empty strings/));
    it('a value of the wrong kind, with its row', () => refuses({ rowCount: 3000, columns: [{ name: 'x', type: 'double', values: [...Array(2999).fill(1), '2'] }] }, /column "x" row 2999: expected a number or null, got string "2"/));
    it('a fractional int32', () => refuses({ rowCount: 1, columns: [{ name: 'x', type: 'int32', values: [1.5] }] }, /row 0: expected an integer number within int32/));
    it('an int32 out of range', () => refuses({ rowCount: 1, columns: [{ name: 'x', type: 'int32', values: [2 ** 31] }] }, /within int32/));
    it('an int64 number beyond 2^53', () => refuses({ rowCount: 1, columns: [{ name: 'x', type: 'int64', values: [2 ** 53] }] }, /safe-integer number/));
    it('an int64 bigint out of range', () => refuses({ rowCount: 1, columns: [{ name: 'x', type: 'int64', values: [2n ** 63n] }] }, /within int64/));
    it('an int64 string that is not decimal', () => refuses({ rowCount: 1, columns: [{ name: 'x', type: 'int64', values: ['0x10'] }] }, /got string "0x10"/));
    it('a Date as a timestamp', () => refuses({ rowCount: 1, columns: [{ name: 't', type: 'timestamp_ms', values: [new Date(0)] }] }, /integer epoch-ms number or null, got object/));
    it('a number as a boolean', () => refuses({ rowCount: 1, columns: [{ name: 'b', type: 'bool', values: [1] }] }, /expected a boolean/));
    it('an unknown compression', () => refuses(everyColumnType(), /compression must be one of/, { compression: 'gzip' }));
    it('a row group size of zero', () => refuses(everyColumnType(), /rowGroupSize must be a positive integer/, { rowGroupSize: 0 }));
  });

  describe('temp files', () => {
    const previous = process.env.TMPDIR;
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'parquet-tmpdir-spec-'));
      process.env.TMPDIR = dir;
    });
    afterEach(() => {
      process.env.TMPDIR = previous;
      rmSync(dir, { recursive: true, force: true });
    });

    it('leaves none behind, after a write, a read, or a write that failed', async () => {
      const bytes = await writeParquet(everyColumnType());
      await readParquet(bytes);
      await writeParquet({ rowCount: 1, columns: [{ name: 'x', type: 'int32', values: ['1'] }] }).catch(() => undefined);
      await readParquet(Buffer.from('not parquet')).catch(() => undefined);
      expect(readdirSync(dir)).toEqual([]);
    });
  });
});
