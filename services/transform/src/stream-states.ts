import { ObjectStore } from '@flowsentry/storage';
import { cleanLines } from './clean-flows';
import { DedupIndex } from './dedup-index';
import { readRawLines } from './raw-batch-reader';
import { StreamReads } from './stream-store';
import { BehaviourWindows } from './behaviour-windows';
import { WindowSpec } from './windows';

/** What transform carries from one batch of a stream to the next. */
export interface StreamState {
  /** Last offset of the batch this state follows (`-1` before the stream's first batch). */
  position: string;
  windows: BehaviourWindows;
  dedup: DedupIndex;
  /** Batches since the windows were last checkpointed. */
  sinceCheckpoint: number;
  /** The consumer group assignment (StepContext.assignment) under which the state was last advanced. */
  assignment: number;
}

const START = '-1';

/**
 * The state of each stream this instance processes, kept in memory between batches and rebuilt
 * from the database whenever it cannot be trusted: at start, after any rebalance (another
 * instance may have handled the stream meanwhile), after a failed attempt (its state ran ahead of
 * what was committed) and for an out-of-order batch. Rebuilding is: the latest window checkpoint
 * before the batch, then the batches recorded after it replayed from their RAW objects (only the
 * rows they wrote, in order), and the de-duplication keys of the horizon. Because every batch's
 * features are a function of that history, a rebuilt state gives the same bytes as one that never
 * left memory.
 */
export class StreamStates {
  private readonly states = new Map<string, StreamState>();

  constructor(
    private readonly store: StreamReads,
    private readonly objects: Pick<ObjectStore, 'get'>,
    private readonly windows: WindowSpec[],
    private readonly keyHash: (key: string) => number,
  ) {}

  /**
   * The state right before the batch starting at `firstOffset`, for de-duplication back to `since`,
   * when handled under group assignment `assignment`. The state in memory is used only if it was
   * kept under the same assignment: a state read ahead past a batch that was then dead-lettered
   * stands at an offset the database may later agree with, once another instance has recorded the
   * batches since without that one; only a rebalance lets another instance do so.
   */
  async before(stream: string, firstOffset: string, since: number, assignment: number, heartbeat: () => Promise<void>): Promise<{ state: StreamState; rebuilt: boolean }> {
    const position = (await this.store.lastBatchBefore(stream, firstOffset)) ?? START;
    const cached = this.states.get(stream);
    // Taken out while in use: a failed attempt must not leave a half-advanced state behind.
    this.states.delete(stream);
    if (cached && cached.assignment === assignment && cached.position === position && cached.dedup.covers(since)) return { state: cached, rebuilt: false };
    return { state: await this.rebuild(stream, firstOffset, position, since, heartbeat), rebuilt: true };
  }

  /**
   * For a read-ahead: the state in memory, taken out, if it stands right after the batch ending at
   * `position`, which is built but not yet committed. Never rebuilt: the database does not hold
   * that batch yet, so a rebuild would leave it out.
   */
  following(stream: string, position: string, since: number): StreamState {
    const cached = this.states.get(stream);
    if (!cached || cached.position !== position || !cached.dedup.covers(since)) {
      throw new Error(`no state of ${stream} after offset ${position} in memory to read ahead on (it is at ${cached?.position ?? 'none'})`);
    }
    this.states.delete(stream);
    return cached;
  }

  /** Puts the state advanced under `assignment` back; the next batch uses it only if the database agrees it was committed. */
  keep(stream: string, state: StreamState, assignment: number): void {
    state.assignment = assignment;
    this.states.set(stream, state);
  }

  private async rebuild(stream: string, firstOffset: string, position: string, since: number, heartbeat: () => Promise<void>): Promise<StreamState> {
    const checkpoint = await this.store.checkpointBefore(stream, firstOffset);
    const windows = checkpoint ? BehaviourWindows.restore(this.windows, checkpoint.state) : BehaviourWindows.create(this.windows);
    const replay = await this.store.batchesBetween(stream, checkpoint?.lastOffset, firstOffset);
    // Replayed flows only advance the windows: their features were written by the batch that owned them.
    const discarded = new Float64Array(windows.width);
    for (const batch of replay) {
      const written = new Set(batch.keys);
      const done = new Set<number>();
      for (const flow of cleanLines(await readRawLines(this.objects, { objectKey: batch.rawRef, sha256: batch.rawSha256 })).flows) {
        const hash = this.keyHash(flow.eventKey);
        if (!written.has(hash) || done.has(hash)) continue;
        done.add(hash);
        windows.observeInto(flow.event, flow.tsMs, discarded, 0);
      }
      await heartbeat();
    }
    const dedup = new DedupIndex(since);
    for (const batch of await this.store.keysSince(stream, firstOffset, since)) dedup.add(batch.keys, batch.maxTs);
    return { position, windows, dedup, sinceCheckpoint: replay.length, assignment: -1 };
  }
}
