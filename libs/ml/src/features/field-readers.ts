import { FlowRecord, NumericTransform } from './feature-spec';

export function readField(record: FlowRecord, field: string): unknown {
  return (record as Readonly<Record<string, unknown>>)[field];
}

/** The field as a number, or NaN when absent or not a finite number (strings are not coerced). */
export function readNumber(record: FlowRecord, field: string): number {
  const value = readField(record, field);
  return typeof value === 'number' && Number.isFinite(value) ? value : NaN;
}

/** Sum of the fields; NaN if any of them is missing, so a partial sum never passes for a real one. */
export function readSum(record: FlowRecord, fields: readonly string[]): number {
  let sum = 0;
  for (let i = 0; i < fields.length; i++) sum += readNumber(record, fields[i]);
  return sum;
}

const MS_PER_HOUR = 3_600_000;

/** UTC hour of an epoch-ms number or ISO-8601 string, NaN if unparseable. */
export function readHourOfDay(record: FlowRecord, field: string): number {
  const value = readField(record, field);
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) return NaN;
  return ((Math.floor(ms / MS_PER_HOUR) % 24) + 24) % 24;
}

export function applyTransform(value: number, transform: NumericTransform): number {
  return transform === 'log1p' ? Math.log1p(value) : value;
}
