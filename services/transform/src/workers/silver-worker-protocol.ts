import { FlowsentryError, RawLandedData } from '@flowsentry/contracts';
import type { SilverBatch, SilverSettings } from '../silver-builder';
import type { StreamReads } from '../stream-store';

/**
 * The messages between transform's main thread and its SILVER workers. A worker builds batches
 * and owns the window and de-duplication state of the streams sent to it; every read it needs
 * (RAW objects, the stream's recorded state, the consumer heartbeat) is a call answered by the
 * main thread, which keeps the service's only connections. Bytes travel as transferred buffers.
 */
export interface SilverWorkerData {
  settings: SilverSettings;
}

/** What a worker may ask the main thread for, named after the methods that answer it. */
export type InputCall = 'get' | 'heartbeat' | keyof StreamReads;

export type ToWorker =
  | { kind: 'build'; job: number; raw: RawLandedData; assignment: number; follows?: string }
  | { kind: 'answer'; call: number; ok: true; value: unknown }
  | { kind: 'answer'; call: number; ok: false; error: WireError };

export type FromWorker =
  | { kind: 'call'; call: number; job: number; method: InputCall; args: unknown[] }
  | { kind: 'built'; job: number; batch: SilverBatch }
  | { kind: 'failed'; job: number; error: WireError };

/** An error as it crosses threads: what the step runtime and the storage checks decide on (code, retriable). */
export interface WireError {
  message: string;
  code?: string;
  /** Set for a FlowsentryError: whether a retry can help (the runtime dead-letters one that cannot). */
  retriable?: boolean;
}

export function toWire(error: unknown): WireError {
  if (error instanceof FlowsentryError) return { message: error.message, code: error.code, retriable: error.retriable };
  const code = (error as { code?: unknown } | null)?.code;
  return { message: error instanceof Error ? error.message : String(error), ...(typeof code === 'string' ? { code } : {}) };
}

/** The error again on this side: a FlowsentryError keeps its code and verdict, anything else its `code` (MinIO's NoSuchKey). */
export function fromWire(wire: WireError): Error {
  if (wire.retriable !== undefined && wire.code !== undefined) return new FlowsentryError(wire.code, wire.message, wire.retriable);
  return Object.assign(new Error(wire.message), wire.code !== undefined ? { code: wire.code } : {});
}
