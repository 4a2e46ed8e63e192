import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { decodeNetworkEvent, eventTimeMs } from '@flowsentry/contracts';
import { ConsumedMessage, DeadLetter, deadLetterOf } from '@flowsentry/messaging';

const gzipAsync = promisify(gzip);
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;

export interface EncodedRawBatch {
  accepted: number;
  deadLetters: DeadLetter[];
  /** Lines of original bytes, newline-terminated; empty when nothing was valid. */
  jsonl: Buffer;
  minEventTimeMs?: number;
  maxEventTimeMs?: number;
}

/**
 * Splits a batch into valid events, kept byte-for-byte as JSONL lines, and dead letters with
 * their reason. The one change to original bytes: a pretty-printed event's CR/LF whitespace
 * becomes spaces, since a raw newline would break JSONL framing (JSON forbids raw newlines
 * inside strings, so only insignificant whitespace is touched).
 */
export function splitBatch(messages: ConsumedMessage[], maxEventBytes: number): Omit<EncodedRawBatch, 'jsonl'> & { lines: Buffer[] } {
  const lines: Buffer[] = [];
  const deadLetters: DeadLetter[] = [];
  let minEventTimeMs: number | undefined;
  let maxEventTimeMs: number | undefined;
  for (const message of messages) {
    const decoded = decodeNetworkEvent(message.value, maxEventBytes);
    if (!decoded.ok) {
      deadLetters.push(deadLetterOf(message, decoded.error.reason, decoded.error.message));
      continue;
    }
    const t = eventTimeMs(decoded.value);
    if (minEventTimeMs === undefined || t < minEventTimeMs) minEventTimeMs = t;
    if (maxEventTimeMs === undefined || t > maxEventTimeMs) maxEventTimeMs = t;
    lines.push(singleLine(message.value!));
  }
  return { accepted: lines.length, deadLetters, lines, minEventTimeMs, maxEventTimeMs };
}

export async function encodeRawBatch(messages: ConsumedMessage[], maxEventBytes: number): Promise<EncodedRawBatch> {
  const { lines, ...rest } = splitBatch(messages, maxEventBytes);
  const parts: Buffer[] = [];
  for (const line of lines) parts.push(line, NEWLINE);
  return { ...rest, jsonl: Buffer.concat(parts) };
}

const NEWLINE = Buffer.from([LF]);

/** Deterministic gzip: Node writes mtime 0 and a fixed OS byte, so equal input gives equal bytes. */
export function gzipRaw(jsonl: Buffer, level: number): Promise<Buffer> {
  return gzipAsync(jsonl, { level });
}

function singleLine(value: Buffer): Buffer {
  if (value.indexOf(LF) === -1 && value.indexOf(CR) === -1) return value;
  const copy = Buffer.from(value);
  for (let i = 0; i < copy.length; i++) if (copy[i] === LF || copy[i] === CR) copy[i] = SPACE;
  return copy;
}
