/** What we hand to a producer; Buffer values pass through byte-for-byte (DLQ keeps originals). */
export interface OutgoingMessage {
  key: string | Buffer | null;
  value: string | Buffer;
  headers?: Record<string, string | Buffer | undefined>;
  partition?: number;
}
