/**
 * The keys of a stream's recent SILVER batches, for de-duplication across batches: a key is a
 * duplicate when an earlier batch holding it has events no older than `since` (the new batch's
 * earliest event minus the horizon). Each key sits in at most one batch, because a batch's keys
 * are those of the rows it wrote, and a repeat is not written.
 */
export class DedupIndex {
  private readonly byKey = new Map<number, number>();
  private readonly batches: Array<{ maxTs: number; keys: Float64Array }> = [];
  /** Batches whose newest event is older than this were dropped: a `since` below it cannot be answered. */
  private evictedBefore = -Infinity;

  constructor(readonly loadedSince: number) {}

  /** Whether this index can answer for `since` (else rebuild it from the database). */
  covers(since: number): boolean {
    return since >= Math.max(this.loadedSince, this.evictedBefore);
  }

  has(keyHash: number, since: number): boolean {
    const maxTs = this.byKey.get(keyHash);
    return maxTs !== undefined && maxTs >= since;
  }

  add(keys: Float64Array, maxTs: number): void {
    if (keys.length === 0) return;
    this.batches.push({ maxTs, keys });
    for (let i = 0; i < keys.length; i++) this.byKey.set(keys[i]!, maxTs);
  }

  /** Forgets batches whose newest event is older than `cutoff`: memory stays at about a horizon of keys. */
  evictBefore(cutoff: number): void {
    if (cutoff <= this.evictedBefore) return;
    this.evictedBefore = cutoff;
    let kept = 0;
    for (const batch of this.batches) {
      if (batch.maxTs >= cutoff) {
        this.batches[kept++] = batch;
        continue;
      }
      for (let i = 0; i < batch.keys.length; i++) if (this.byKey.get(batch.keys[i]!) === batch.maxTs) this.byKey.delete(batch.keys[i]!);
    }
    this.batches.length = kept;
  }

  get size(): number {
    return this.byKey.size;
  }
}

export function packKeys(keys: Float64Array): Buffer {
  return Buffer.from(keys.buffer, keys.byteOffset, keys.byteLength);
}

export function unpackKeys(bytes: Buffer): Float64Array {
  // Copied into an aligned buffer: the driver's Buffer may sit at any byte offset of a shared pool.
  const aligned = new Float64Array(bytes.length / 8);
  Buffer.from(aligned.buffer).set(bytes);
  return aligned;
}
