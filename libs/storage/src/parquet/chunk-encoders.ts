import duckdb from '@duckdb/node-bindings';
import { ColumnData, ColumnType } from './columnar-table';
import { ParquetError } from './parquet-error';

/** Rows per DuckDB data chunk (STANDARD_VECTOR_SIZE): the unit the writer hands over. */
export const CHUNK_ROWS = duckdb.vector_size();

/** Writes rows [offset, offset + length) of one column into a chunk vector; length ≤ CHUNK_ROWS. */
export type ChunkColumnEncoder = (vector: duckdb.Vector, offset: number, length: number) => void;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL_INTEGER = /^-?\d{1,19}$/;
const TWO_32 = 2 ** 32;

/**
 * Each column is copied into a scratch buffer and handed to DuckDB with one memcpy per chunk
 * rather than through the node-api's per-item `setItem`, which does BigInt arithmetic on every
 * validity bit and was ~3× slower. Values are checked as they are copied, so a bad value costs
 * no second pass; null slots get a fixed filler so nothing of an earlier chunk can leak through.
 * One loop per type keeps every call site monomorphic.
 */
export function chunkColumnEncoder(column: ColumnData): ChunkColumnEncoder {
  switch (column.type) {
    case 'double':
      return doubleEncoder(column);
    case 'int32':
      return int32Encoder(column);
    case 'bool':
      return boolEncoder(column);
    case 'int64':
      return int64Encoder(column, false);
    case 'timestamp_ms':
      return int64Encoder(column, true);
    case 'utf8':
      return utf8Encoder(column);
  }
}

/** NaN is stored as null: missing is what it means in a feature column, and NaN in Parquet min/max statistics is read differently by different readers. */
function doubleEncoder(column: ColumnData): ChunkColumnEncoder {
  const scratch = new Float64Array(CHUNK_ROWS);
  const validity = new ValidityMask();
  const values = column.values;
  return (vector, offset, length) => {
    validity.reset(length);
    for (let i = 0; i < length; i++) {
      const value = values[offset + i];
      if (typeof value === 'number' && value === value) {
        scratch[i] = value;
      } else if (value === null || value === undefined || typeof value === 'number') {
        validity.setNull(i);
        scratch[i] = 0;
      } else {
        throw invalidValue(column, offset + i);
      }
    }
    copyFixedWidth(vector, scratch, length, validity);
  };
}

function int32Encoder(column: ColumnData): ChunkColumnEncoder {
  const scratch = new Int32Array(CHUNK_ROWS);
  const validity = new ValidityMask();
  const values = column.values;
  return (vector, offset, length) => {
    validity.reset(length);
    for (let i = 0; i < length; i++) {
      const value = values[offset + i];
      if (typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) {
        scratch[i] = value;
      } else if (value === null || value === undefined) {
        validity.setNull(i);
        scratch[i] = 0;
      } else {
        throw invalidValue(column, offset + i);
      }
    }
    copyFixedWidth(vector, scratch, length, validity);
  };
}

function boolEncoder(column: ColumnData): ChunkColumnEncoder {
  const scratch = new Uint8Array(CHUNK_ROWS);
  const validity = new ValidityMask();
  const values = column.values;
  return (vector, offset, length) => {
    validity.reset(length);
    for (let i = 0; i < length; i++) {
      const value = values[offset + i];
      if (typeof value === 'boolean') {
        scratch[i] = value ? 1 : 0;
      } else if (value === null || value === undefined) {
        validity.setNull(i);
        scratch[i] = 0;
      } else {
        throw invalidValue(column, offset + i);
      }
    }
    copyFixedWidth(vector, scratch, length, validity);
  };
}

/**
 * Numbers are split into two little-endian 32-bit words instead of going through BigInt: a safe
 * integer converts exactly either way, and a million BigInts per column is what the garbage
 * collector was spending its time on. Only timestamp_ms refuses bigint and string input.
 */
function int64Encoder(column: ColumnData, numbersOnly: boolean): ChunkColumnEncoder {
  const scratch = new BigInt64Array(CHUNK_ROWS);
  const words = new Uint32Array(scratch.buffer);
  const validity = new ValidityMask();
  const values = column.values;
  return (vector, offset, length) => {
    validity.reset(length);
    for (let i = 0; i < length; i++) {
      const value = values[offset + i];
      if (typeof value === 'number' && Number.isSafeInteger(value)) {
        const high = Math.floor(value / TWO_32);
        words[2 * i] = value - high * TWO_32;
        words[2 * i + 1] = high;
      } else if (value === null || value === undefined) {
        validity.setNull(i);
        scratch[i] = 0n;
      } else {
        const big = numbersOnly ? undefined : toInt64(value);
        if (big === undefined) throw invalidValue(column, offset + i);
        scratch[i] = big;
      }
    }
    copyFixedWidth(vector, scratch, length, validity);
  };
}

function toInt64(value: unknown): bigint | undefined {
  let big: bigint;
  if (typeof value === 'bigint') big = value;
  else if (typeof value === 'string' && DECIMAL_INTEGER.test(value)) big = BigInt(value);
  else return undefined;
  return big >= INT64_MIN && big <= INT64_MAX ? big : undefined;
}

/** DuckDB's string_t (duckdb_string_t in the C API): a 4-byte length, then ≤ 12 bytes inline or a prefix and a heap pointer. */
const STRING_T_BYTES = 16;
const INLINE_STRING_BYTES = 12;

/**
 * Strings of up to 12 ASCII characters (protocols, most IPv4 addresses, flags) are laid out as
 * inline string_t's in a scratch buffer and copied with the chunk's one memcpy; only longer or
 * non-ASCII strings cost a native call each, which lets DuckDB put them on the vector's heap.
 */
function utf8Encoder(column: ColumnData): ChunkColumnEncoder {
  const slots = new Uint8Array(CHUNK_ROWS * STRING_T_BYTES);
  const heapRows = new Int32Array(CHUNK_ROWS);
  const validity = new ValidityMask();
  const values = column.values;
  return (vector, offset, length) => {
    validity.reset(length);
    slots.fill(0, 0, length * STRING_T_BYTES);
    let heapCount = 0;
    for (let i = 0; i < length; i++) {
      const value = values[offset + i];
      if (typeof value === 'string') {
        if (!writeInlineAscii(slots, i * STRING_T_BYTES, value)) heapRows[heapCount++] = i;
      } else if (value === null || value === undefined) {
        validity.setNull(i);
      } else {
        throw invalidValue(column, offset + i);
      }
    }
    duckdb.copy_data_to_vector(vector, 0, slots.buffer, 0, length * STRING_T_BYTES);
    for (let h = 0; h < heapCount; h++) duckdb.vector_assign_string_element(vector, heapRows[h], values[offset + heapRows[h]] as string);
    validity.copyTo(vector, length);
  };
}

/** False (and the slot left zeroed) when `text` is too long or not ASCII. */
function writeInlineAscii(slots: Uint8Array, at: number, text: string): boolean {
  const length = text.length;
  if (length > INLINE_STRING_BYTES) return false;
  for (let k = 0; k < length; k++) {
    const code = text.charCodeAt(k);
    if (code > 0x7f) {
      slots.fill(0, at + 4, at + 4 + k);
      return false;
    }
    slots[at + 4 + k] = code;
  }
  // Little-endian length, as everywhere DuckDB ships.
  slots[at] = length;
  return true;
}

function copyFixedWidth(vector: duckdb.Vector, scratch: Float64Array | Int32Array | Uint8Array | BigInt64Array, length: number, validity: ValidityMask): void {
  duckdb.copy_data_to_vector(vector, 0, scratch.buffer as ArrayBuffer, 0, length * scratch.BYTES_PER_ELEMENT);
  validity.copyTo(vector, length);
}

/**
 * DuckDB's validity mask: one bit per row, set = present, in little-endian 64-bit words (so
 * byte i holds rows 8i..8i+7). Always copied, because a chunk DuckDB reuses may still carry the
 * previous chunk's nulls.
 */
class ValidityMask {
  private readonly bytes = new Uint8Array(CHUNK_ROWS / 8);

  reset(length: number): void {
    this.bytes.fill(0xff, 0, wordBytes(length));
  }

  setNull(row: number): void {
    this.bytes[row >> 3] &= ~(1 << (row & 7));
  }

  copyTo(vector: duckdb.Vector, length: number): void {
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, this.bytes.buffer, 0, wordBytes(length));
  }
}

function wordBytes(rows: number): number {
  return Math.ceil(rows / 64) * 8;
}

const EXPECTED: Record<ColumnType, string> = {
  double: 'a number',
  int32: 'an integer number within int32',
  int64: 'a safe-integer number, a bigint or a decimal string within int64',
  timestamp_ms: 'an integer epoch-ms number',
  bool: 'a boolean',
  utf8: 'a string',
};

function invalidValue(column: ColumnData, row: number): ParquetError {
  const value = column.values[row];
  const shown = typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  return new ParquetError('parquet.invalid-table', `column "${column.name}" row ${row}: expected ${EXPECTED[column.type]} or null, got ${typeof value} ${shown}`);
}
