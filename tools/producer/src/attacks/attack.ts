import type { EventSource } from '../event-source';
import type { Inventory } from '../hosts';
import type { Rng } from '../random';

export type AttackName = 'portscan' | 'synflood' | 'bruteforce' | 'exfiltration' | 'beaconing';

/** One planned attack, placed on the simulated timeline by the scenario. */
export interface Episode {
  attack: AttackName;
  startMs: number;
  endMs: number;
  /** Flows per simulated millisecond during the episode. */
  ratePerMs: number;
}

export interface EpisodeContext {
  rng: Rng;
  inventory: Inventory;
  episode: Episode;
}

export interface AttackKind {
  name: AttackName;
  /** How many flows per simulated second the real attack produces. */
  naturalRatePerSec: number;
  /**
   * Ceiling relative to the mean background rate. A time-scaled run thins background traffic
   * (it is a sample of the network), and attacks are thinned the same way beyond this ceiling,
   * so an episode stays visible without swamping the run.
   */
  maxShareOfBackground: number;
  /** Fewer flows than this and the attack's signature is not recognisable at all. */
  minEvents: number;
  start(ctx: EpisodeContext): EventSource;
}

/** Poisson arrivals within an episode: attacks driven by a tool loop, not by a timer. */
export class PoissonArrivals {
  private next: number;

  constructor(
    private readonly rng: Rng,
    private readonly episode: Episode,
  ) {
    this.next = episode.startMs + rng.exponential(episode.ratePerMs);
    if (this.next >= episode.endMs) this.next = Infinity;
  }

  get nextAt(): number {
    return this.next;
  }

  /** Returns the current arrival time and moves to the next one. */
  advance(): number {
    const at = this.next;
    const following = at + this.rng.exponential(this.episode.ratePerMs);
    this.next = following < this.episode.endMs ? following : Infinity;
    return at;
  }
}
