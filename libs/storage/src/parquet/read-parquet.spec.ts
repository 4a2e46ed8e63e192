import { ColumnarTable } from './columnar-table';
import { ParquetError } from './parquet-error';
import { readParquet } from './read-parquet';
import { writeParquet } from './write-parquet';

const flows: ColumnarTable = {
  rowCount: 3,
  columns: [
    { name: 'event_time', type: 'timestamp_ms', values: [1_767_225_600_000, 1_767_225_600_001, null] },
    { name: 'src_ip', type: 'utf8', values: ['10.0.0.1', null, '10.0.0.3'] },
    { name: 'bytes_in', type: 'int64', values: [100, 200, null] },
    { name: 'score', type: 'double', values: [0.5, null, 0.25] },
  ],
};

describe('readParquet', () => {
  it('returns only the requested columns, in the requested order', async () => {
    const read = await readParquet(await writeParquet(flows), { columns: ['score', 'event_time'] });
    expect(read).toEqual({
      rowCount: 3,
      columns: [
        { name: 'score', type: 'double', values: [0.5, null, 0.25] },
        { name: 'event_time', type: 'timestamp_ms', values: [1_767_225_600_000, 1_767_225_600_001, null] },
      ],
    });
  });

  it('refuses a column the file does not have, listing those it has', async () => {
    const error = await readParquet(await writeParquet(flows), { columns: ['dst_ip'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParquetError);
    expect(error).toMatchObject({ code: 'parquet.unsupported-schema', message: 'no column "dst_ip" in the file; it has event_time, src_ip, bytes_in, score' });
  });

  it('refuses bytes that are not Parquet', async () => {
    for (const bytes of [Buffer.from('PAR1 but not really'), Buffer.alloc(0)]) {
      await expect(readParquet(bytes)).rejects.toMatchObject({ code: 'parquet.unreadable', retriable: false });
    }
  });

  it('refuses a file column whose type maps to no ColumnType', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'parquet-spec-'));
    const instance = await DuckDBInstance.create(':memory:');
    try {
      const file = join(dir, 'list.parquet');
      await (await instance.connect()).run(`COPY (SELECT [1, 2] AS pair) TO '${file}' (FORMAT parquet)`);
      await expect(readParquet(readFileSync(file))).rejects.toMatchObject({ code: 'parquet.unsupported-schema', message: expect.stringMatching(/column "pair" has type INTEGER\[\]/) });
    } finally {
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
