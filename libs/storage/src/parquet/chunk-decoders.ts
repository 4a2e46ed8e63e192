import duckdb from '@duckdb/node-bindings';
import { ColumnType } from './columnar-table';

export type ColumnValue = number | bigint | string | boolean | null;

/** Stores the `rowCount` values of one result vector in `out`, from index `at` on. */
export type ChunkColumnDecoder = (vector: duckdb.Vector, rowCount: number, out: ColumnValue[], at: number) => void;

/** DuckDB's string_t (duckdb_string_t in the C API): a 4-byte length, then ≤ 12 bytes inline or a prefix and a heap pointer. */
const STRING_T_BYTES = 16;
const INLINE_STRING_BYTES = 12;

/**
 * Reads a whole vector with one copy out of DuckDB instead of the node-api's per-item getters,
 * which test each validity bit with BigInt arithmetic. One loop per type keeps them monomorphic.
 */
export function chunkColumnDecoder(type: ColumnType): ChunkColumnDecoder {
  switch (type) {
    case 'double':
      return (vector, rowCount, out, at) => {
        const items = new Float64Array(vectorBytes(vector, rowCount, 8));
        const valid = validityOf(vector, rowCount);
        for (let i = 0; i < rowCount; i++) out[at + i] = isValid(valid, i) ? items[i] : null;
      };
    case 'int32':
      return (vector, rowCount, out, at) => {
        const items = new Int32Array(vectorBytes(vector, rowCount, 4));
        const valid = validityOf(vector, rowCount);
        for (let i = 0; i < rowCount; i++) out[at + i] = isValid(valid, i) ? items[i] : null;
      };
    case 'bool':
      return (vector, rowCount, out, at) => {
        const items = new Uint8Array(vectorBytes(vector, rowCount, 1));
        const valid = validityOf(vector, rowCount);
        for (let i = 0; i < rowCount; i++) out[at + i] = isValid(valid, i) ? items[i] !== 0 : null;
      };
    case 'int64':
      return (vector, rowCount, out, at) => {
        const items = new BigInt64Array(vectorBytes(vector, rowCount, 8));
        const valid = validityOf(vector, rowCount);
        for (let i = 0; i < rowCount; i++) out[at + i] = isValid(valid, i) ? items[i] : null;
      };
    case 'timestamp_ms':
      // Epoch ms within ±2^53 (±285,000 years) read exactly from the two 32-bit halves, without a BigInt per value.
      return (vector, rowCount, out, at) => {
        const words = new Uint32Array(vectorBytes(vector, rowCount, 8));
        const signed = new Int32Array(words.buffer);
        const valid = validityOf(vector, rowCount);
        for (let i = 0; i < rowCount; i++) out[at + i] = isValid(valid, i) ? signed[2 * i + 1] * 2 ** 32 + words[2 * i] : null;
      };
    case 'utf8':
      return utf8Decoder;
  }
}

function utf8Decoder(vector: duckdb.Vector, rowCount: number, out: ColumnValue[], at: number): void {
  // Read in place, not copied: long strings are reached through the heap pointers it holds.
  const data = asBuffer(duckdb.vector_get_data(vector, rowCount * STRING_T_BYTES));
  const valid = validityOf(vector, rowCount);
  for (let i = 0; i < rowCount; i++) {
    if (!isValid(valid, i)) {
      out[at + i] = null;
      continue;
    }
    const slot = i * STRING_T_BYTES;
    const length = data.readUInt32LE(slot);
    out[at + i] =
      length <= INLINE_STRING_BYTES
        ? data.toString('utf8', slot + 4, slot + 4 + length)
        : asBuffer(duckdb.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + slot + 8, length)).toString('utf8');
  }
}

/** Buffer#toString decodes short UTF-8 several times faster than a TextDecoder call; the bindings already return Buffers. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Null when every row is valid (DuckDB then has no mask). */
function validityOf(vector: duckdb.Vector, rowCount: number): Uint8Array | null {
  return (duckdb.vector_get_validity(vector, Math.ceil(rowCount / 64) * 8) as Uint8Array | null | undefined) ?? null;
}

function isValid(mask: Uint8Array | null, row: number): boolean {
  return mask === null || ((mask[row >> 3] >> (row & 7)) & 1) === 1;
}

/** A private, aligned copy of the vector's fixed-width data, ready for a typed-array view. */
function vectorBytes(vector: duckdb.Vector, rowCount: number, width: number): ArrayBuffer {
  const data = duckdb.vector_get_data(vector, rowCount * width);
  return data.buffer.slice(data.byteOffset, data.byteOffset + rowCount * width) as ArrayBuffer;
}
