import { OutgoingMessage } from './outgoing-message';

/**
 * The broker refuses a record batch above `message.max.bytes` (1 MiB by default), and kafkajs
 * puts everything one request holds for a partition into a single batch. A step that emits a
 * few thousand anomalies for one source IP would hit that limit, and the refusal surfaces as an
 * out-of-order sequence error on the idempotent producer's retry. Sending in requests that stay
 * well under the limit keeps every batch acceptable; sending them one after another, each acked
 * before the next, keeps the order.
 */
export const DEFAULT_MAX_REQUEST_BYTES = 512 * 1024;

/** Bytes a message puts on the wire, near enough for sizing: key, value, header names and values. */
export function messageBytes(message: OutgoingMessage): number {
  let bytes = byteLength(message.key) + byteLength(message.value);
  for (const [name, value] of Object.entries(message.headers ?? {})) bytes += Buffer.byteLength(name) + byteLength(value);
  return bytes;
}

/**
 * Splits messages, in order, into consecutive runs of at most `maxBytes` each. A message larger
 * than `maxBytes` travels alone, so the broker names the problem instead of this function hiding it.
 */
export function chunkBySize<T>(items: T[], sizeOf: (item: T) => number, maxBytes: number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let currentBytes = 0;
  for (const item of items) {
    const bytes = sizeOf(item);
    if (current.length > 0 && currentBytes + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push(item);
    currentBytes += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function byteLength(value: string | Buffer | null | undefined): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
