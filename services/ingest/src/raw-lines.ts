import { gzip, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { decodeNetworkEvent, DecodeFailureReason } from '@flowsentry/contracts';

const gzipAsync = promisify(gzip);
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const NEWLINE = Buffer.from([LF]);

/** How RAW objects are made: the event size limit and the gzip level. */
export interface RawEncoding {
  maxEventBytes: number;
  gzipLevel: number;
}

/** A message value that is not a valid NetworkEvent: its position in the batch and why. */
export interface RawReject {
  index: number;
  reason: DecodeFailureReason;
  message: string;
}

export interface RawLines {
  accepted: number;
  rejects: RawReject[];
  /** Lines of original bytes, newline-terminated; empty when nothing was valid. */
  jsonl: Buffer;
  minEventTimeMs?: number;
  maxEventTimeMs?: number;
}

/**
 * Splits message values into valid events, kept byte-for-byte as JSONL lines, and rejects with
 * their reason. The one change to original bytes: a pretty-printed event's CR/LF whitespace
 * becomes spaces, since a raw newline would break JSONL framing (JSON forbids raw newlines
 * inside strings, so only insignificant whitespace is touched). Pure, and free of Kafka imports: a worker thread loads only this.
 */
export function encodeRawLines(values: ReadonlyArray<Buffer | null>, maxEventBytes: number): RawLines {
  const parts: Buffer[] = [];
  const rejects: RawReject[] = [];
  let minEventTimeMs: number | undefined;
  let maxEventTimeMs: number | undefined;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    const decoded = decodeNetworkEvent(value, maxEventBytes);
    if (!decoded.ok) {
      rejects.push({ index, reason: decoded.error.reason, message: decoded.error.message });
      continue;
    }
    const t = decoded.eventTimeMs;
    if (minEventTimeMs === undefined || t < minEventTimeMs) minEventTimeMs = t;
    if (maxEventTimeMs === undefined || t > maxEventTimeMs) maxEventTimeMs = t;
    parts.push(singleLine(value), NEWLINE);
  }
  return { accepted: parts.length / 2, rejects, jsonl: Buffer.concat(parts), minEventTimeMs, maxEventTimeMs };
}

/** Deterministic gzip: Node writes mtime 0 and a fixed OS byte, so equal input gives equal bytes. */
export function gzipRaw(jsonl: Buffer, level: number): Promise<Buffer> {
  return gzipAsync(jsonl, { level });
}

/** The same bytes as gzipRaw, for a worker thread that has nothing else to do meanwhile. */
export function gzipRawSync(jsonl: Buffer, level: number): Buffer {
  return gzipSync(jsonl, { level });
}

function singleLine(value: Buffer): Buffer {
  if (value.indexOf(LF) === -1 && value.indexOf(CR) === -1) return value;
  const copy = Buffer.from(value);
  for (let i = 0; i < copy.length; i++) if (copy[i] === LF || copy[i] === CR) copy[i] = SPACE;
  return copy;
}
