import { ConsumedMessage, DeadLetter, deadLetterOf } from '@flowsentry/messaging';
import { encodeRawLines, gzipRaw, RawEncoding, RawReject } from './raw-lines';

/** A batch ready to write: the RAW object's bytes and the messages that go to the DLQ instead. */
export interface EncodedRawBatch {
  accepted: number;
  deadLetters: DeadLetter[];
  /** The gzip'd JSONL object; empty when nothing was valid. */
  gz: Buffer;
  /** Uncompressed JSONL size. */
  rawBytes: number;
  minEventTimeMs?: number;
  maxEventTimeMs?: number;
}

/** Validates and compresses batches; on the main thread or in worker threads (`raw-encode-workers.ts`). */
export interface RawBatchEncoder {
  /** Resolves once the encoder can take batches: workers that cannot load fail the start, not the first batch. */
  start(): Promise<void>;
  encode(messages: ConsumedMessage[]): Promise<EncodedRawBatch>;
  close(): Promise<void>;
}

/** Rejected values back to the messages they came from, for the DLQ. */
export function deadLettersOf(messages: ConsumedMessage[], rejects: RawReject[]): DeadLetter[] {
  return rejects.map((reject) => deadLetterOf(messages[reject.index]!, reject.reason, reject.message));
}

/** Encodes on the main thread (INGEST_ENCODE_WORKERS=0): validation there, gzip on libuv's pool. */
export class InlineRawBatchEncoder implements RawBatchEncoder {
  constructor(private readonly encoding: RawEncoding) {}

  async start(): Promise<void> {}

  async encode(messages: ConsumedMessage[]): Promise<EncodedRawBatch> {
    const lines = encodeRawLines(messages.map((m) => m.value), this.encoding.maxEventBytes);
    const gz = lines.accepted > 0 ? await gzipRaw(lines.jsonl, this.encoding.gzipLevel) : Buffer.alloc(0);
    return { accepted: lines.accepted, deadLetters: deadLettersOf(messages, lines.rejects), gz, rawBytes: lines.jsonl.length, minEventTimeMs: lines.minEventTimeMs, maxEventTimeMs: lines.maxEventTimeMs };
  }

  async close(): Promise<void> {}
}

