import type { RawEncoding, RawReject } from './raw-lines';

/**
 * The messages between ingest's main thread and its encode workers. Values travel as one
 * transferred buffer plus their bounds (a copy per batch, no per-event structured clone), and
 * the gzip'd object travels back the same way.
 */
export interface EncodeRequest {
  id: number;
  bytes: ArrayBuffer;
  /** Per value: start and length in `bytes`; length -1 stands for a null value. */
  bounds: Int32Array;
}

/** Both answers hand the request's `bytes` back, so the main thread reuses them for a later batch. */
export type EncodeReply =
  | { id: number; ok: true; bytes: ArrayBuffer; accepted: number; rejects: RawReject[]; rawBytes: number; gz: ArrayBuffer; minEventTimeMs?: number; maxEventTimeMs?: number }
  | { id: number; ok: false; bytes: ArrayBuffer; error: string };

export type EncodeWorkerData = RawEncoding;

/**
 * Copies the values into `spare` when it is large enough, else into a new buffer with room to
 * spare: a fresh multi-megabyte buffer per batch showed as garbage-collector time on the main thread.
 */
export function packValues(values: ReadonlyArray<Buffer | null>, spare?: ArrayBuffer): { bytes: ArrayBuffer; bounds: Int32Array } {
  let total = 0;
  for (const value of values) total += value?.length ?? 0;
  const bytes = spare && spare.byteLength >= total ? spare : new ArrayBuffer(Math.ceil(total * 1.25));
  const view = new Uint8Array(bytes);
  const bounds = new Int32Array(values.length * 2);
  let at = 0;
  values.forEach((value, i) => {
    bounds[2 * i] = at;
    bounds[2 * i + 1] = value ? value.length : -1;
    if (value) {
      view.set(value, at);
      at += value.length;
    }
  });
  return { bytes, bounds };
}

export function unpackValues(bytes: ArrayBuffer, bounds: Int32Array): Array<Buffer | null> {
  const values: Array<Buffer | null> = new Array(bounds.length / 2);
  for (let i = 0; i < values.length; i++) {
    const length = bounds[2 * i + 1]!;
    values[i] = length < 0 ? null : Buffer.from(bytes, bounds[2 * i]!, length);
  }
  return values;
}
