import { ColumnarTable } from '@flowsentry/storage';

/** Every ColumnType, a null in every column, and values at each type's edges: what any Parquet reader of ours must get back. */
export function everyColumnType(): ColumnarTable {
  return {
    rowCount: 4,
    columns: [
      { name: 'event_time', type: 'timestamp_ms', values: [1_767_225_600_123, null, -1, 0] },
      { name: 'bytes', type: 'int64', values: [1, null, -(2n ** 63n), '9223372036854775807'] },
      { name: 'port', type: 'int32', values: [443, -(2 ** 31), null, 2 ** 31 - 1] },
      { name: 'rate', type: 'double', values: [0.1, -0, Infinity, null] },
      { name: 'src_ip', type: 'utf8', values: ['10.0.0.1', '', null, 'ünïcode 🎉 and more than twelve bytes'] },
      { name: 'is_attack', type: 'bool', values: [true, false, null, true] },
    ],
  };
}
