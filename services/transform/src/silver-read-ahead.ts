import { RawLandedData, rawLandedKey } from '@flowsentry/contracts';
import { SilverBatch, SilverBuild } from './silver-builder';
import { StreamReads } from './stream-store';

/** A batch built ahead of its turn: for which event, on the state after which batch. */
interface Ahead {
  eventId: string;
  follows: string;
  /** Settles to undefined when the read-ahead failed: the batch is then built in its turn. */
  batch: Promise<SilverBatch | undefined>;
}

export type ReadAheadOutcome = 'used' | 'discarded';

/**
 * Builds a stream's next batch while the one before it is stored, recorded and emitted, so the
 * building (CPU) of batch n + 1 overlaps the waits (MinIO, PostgreSQL, Kafka) of batch n instead of
 * following them. The read-ahead starts from the state batch n left in memory; it is used only if,
 * when batch n + 1's turn comes, the database confirms that batch n is the last recorded batch
 * before it. Otherwise (batch n failed, was dead-lettered, or the stream moved here from another
 * instance) it is dropped and the batch built in its turn from the recorded state, so what is
 * written is the same either way. At most one read-ahead per stream is in flight.
 */
export class SilverReadAhead {
  private readonly ahead = new Map<string, Ahead>();

  constructor(
    private readonly silver: SilverBuild,
    private readonly streams: Pick<StreamReads, 'lastBatchBefore'>,
    private readonly onOutcome: (outcome: ReadAheadOutcome) => void = () => undefined,
  ) {}

  /** The batch for `raw`, handled under group assignment `assignment`: its read-ahead when one was made for `eventId` and still holds, else built now. */
  async batchFor(eventId: string, raw: RawLandedData, assignment: number, heartbeat: () => Promise<void>): Promise<SilverBatch> {
    const stream = streamOf(raw);
    const ahead = this.ahead.get(stream);
    if (ahead) {
      this.ahead.delete(stream);
      // Settled before anything else is built for the stream: a stream's builds never overlap.
      const batch = await ahead.batch;
      if (batch && ahead.eventId === eventId && (await this.streams.lastBatchBefore(stream, raw.source.firstOffset)) === ahead.follows) {
        this.onOutcome('used');
        return batch;
      }
      this.onOutcome('discarded');
    }
    return this.silver.build(raw, heartbeat, assignment);
  }

  /** Starts building `next` on the state the build of `built` left in memory; at most one per stream. */
  readAhead(built: RawLandedData, next: { id: string; data: RawLandedData }, assignment: number, heartbeat: () => Promise<void>): void {
    const stream = streamOf(built);
    if (streamOf(next.data) !== stream || this.ahead.has(stream)) return;
    const follows = built.source.lastOffset;
    this.ahead.set(stream, { eventId: next.id, follows, batch: this.silver.build(next.data, heartbeat, assignment, follows).catch(() => undefined) });
  }
}

function streamOf(raw: RawLandedData): string {
  return rawLandedKey(raw.source.topic, raw.source.partition);
}
