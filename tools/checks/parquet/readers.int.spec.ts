import { writeParquet } from '@flowsentry/storage';
import { readWithPythonReaders } from '../../../test/support/parquet-readers';
import { everyColumnType } from '../../../test/support/parquet-tables';

/** everyColumnType's rows as Python readers give them: times as naive ISO strings (UTC epoch ms, no zone in the file), infinities as Python prints them. */
const rows = [
  { event_time: '2026-01-01T00:00:00.123000', bytes: 1, port: 443, rate: 0.1, src_ip: '10.0.0.1', is_attack: true },
  { event_time: null, bytes: null, port: -2147483648, rate: -0, src_ip: '', is_attack: false },
  { event_time: '1969-12-31T23:59:59.999000', bytes: -(2n ** 63n), port: null, rate: 'inf', src_ip: null, is_attack: null },
  { event_time: '1970-01-01T00:00:00', bytes: 2n ** 63n - 1n, port: 2147483647, rate: null, src_ip: 'ünïcode 🎉 and more than twelve bytes', is_attack: true },
];

// Parquet interoperability: what libs/storage writes must be read, with the types and values SILVER
// consumers rely on, by three readers that share no code with the DuckDB build that wrote it.
// Integration, not unit: it needs Python and a JVM.
describe('Parquet written by libs/storage', () => {
  it('is read by pyarrow, DuckDB and Spark with every column type, null and extreme value intact', async () => {
    const table = everyColumnType();
    const report = await readWithPythonReaders(await writeParquet(table), table.rowCount);

    expect(report.pyarrow.schema).toEqual([
      ['event_time', 'timestamp[ms]'],
      ['bytes', 'int64'],
      ['port', 'int32'],
      ['rate', 'double'],
      ['src_ip', 'string'],
      ['is_attack', 'bool'],
    ]);
    expect(report.duckdb.schema).toEqual([
      ['event_time', 'TIMESTAMP'],
      ['bytes', 'BIGINT'],
      ['port', 'INTEGER'],
      ['rate', 'DOUBLE'],
      ['src_ip', 'VARCHAR'],
      ['is_attack', 'BOOLEAN'],
    ]);
    // Spark 3.4+ reads a timestamp the file does not mark UTC-adjusted as TIMESTAMP_NTZ: the wall-clock values are the UTC ones.
    expect(report.spark.schema).toEqual([
      ['event_time', 'timestamp_ntz'],
      ['bytes', 'bigint'],
      ['port', 'int'],
      ['rate', 'double'],
      ['src_ip', 'string'],
      ['is_attack', 'boolean'],
    ]);
    expect([report.pyarrow.rows, report.duckdb.rows, report.spark.rows]).toEqual([4, 4, 4]);
    // toEqual tells -0 from 0 and compares bigints exactly.
    expect(report.pyarrow.sample).toEqual(rows);
    expect(report.spark.sample).toEqual(rows);
  });
});
