import { ColumnarTable, writeParquet } from '@flowsentry/storage';
import { readWithPythonReaders } from '../../../test/support/parquet-readers';

/**
 * Parquet interoperability: what libs/storage writes (every ColumnType, with nulls and extremes)
 * must be read with the types and values SILVER consumers rely on by three readers that share no
 * code with the DuckDB build that wrote it. Integration, not unit: it needs Python and a JVM.
 */
const table: ColumnarTable = {
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

/** The table's rows as Python readers give them: times as naive ISO strings (UTC epoch ms, no zone in the file), infinities as Python prints them. */
const rows = [
  { event_time: '2026-01-01T00:00:00.123000', bytes_in: 1, dst_port: 443, 'Rate per s': 0.1, src_ip: '10.0.0.1', is_attack: true },
  { event_time: null, bytes_in: null, dst_port: -2147483648, 'Rate per s': -0, src_ip: '', is_attack: false },
  { event_time: '1969-12-31T23:59:59.999000', bytes_in: -(2n ** 63n), dst_port: null, 'Rate per s': 'inf', src_ip: null, is_attack: null },
  { event_time: '1970-01-01T00:00:00', bytes_in: 2n ** 63n - 1n, dst_port: 2147483647, 'Rate per s': null, src_ip: 'ünïcode 🎉, longer than twelve bytes', is_attack: true },
];

describe('Parquet written by libs/storage', () => {
  it('is read by pyarrow, DuckDB and Spark with every column type, null and extreme value intact', async () => {
    const report = await readWithPythonReaders(await writeParquet(table), table.rowCount);

    expect(report.pyarrow.schema).toEqual([
      ['event_time', 'timestamp[ms]'],
      ['bytes_in', 'int64'],
      ['dst_port', 'int32'],
      ['Rate per s', 'double'],
      ['src_ip', 'string'],
      ['is_attack', 'bool'],
    ]);
    expect(report.duckdb.schema).toEqual([
      ['event_time', 'TIMESTAMP'],
      ['bytes_in', 'BIGINT'],
      ['dst_port', 'INTEGER'],
      ['Rate per s', 'DOUBLE'],
      ['src_ip', 'VARCHAR'],
      ['is_attack', 'BOOLEAN'],
    ]);
    // Spark 3.4+ reads a timestamp the file does not mark UTC-adjusted as TIMESTAMP_NTZ: the wall-clock values are the UTC ones.
    expect(report.spark.schema).toEqual([
      ['event_time', 'timestamp_ntz'],
      ['bytes_in', 'bigint'],
      ['dst_port', 'int'],
      ['Rate per s', 'double'],
      ['src_ip', 'string'],
      ['is_attack', 'boolean'],
    ]);
    expect([report.pyarrow.rows, report.duckdb.rows, report.spark.rows]).toEqual([4, 4, 4]);
    // toEqual tells -0 from 0 and compares bigints exactly.
    expect(report.pyarrow.sample).toEqual(rows);
    expect(report.spark.sample).toEqual(rows);
  });
});
