import { EventSource, NORMAL_LABEL, TimedFlow } from './event-source';
import type { Host, Inventory } from './hosts';
import { PROFILES } from './profiles';
import { Categorical, Rng } from './random';
import { BASELINE, DRIFTED } from './regime';
import { humanActivity } from './rhythm';
import { chooseProfile } from './traffic-mix';

const SLOT_MS = 5 * 60_000;
const WEEK_MS = 7 * 24 * 3_600_000;
/** A Sunday 00:00 UTC, so that slot-of-week indices line up with UTC weekdays. */
const WEEK_ORIGIN = Date.UTC(1970, 0, 4);

interface Slot {
  /** Sum of every host's flow intensity (relative units) in this slot of the week. */
  intensity: number;
  hostPicker: Categorical;
}

export interface BackgroundPlan {
  startMs: number;
  endMs: number;
  /** Flows this source should produce, in expectation, between startMs and endMs. */
  expectedEvents: number;
  driftAtMs: number | null;
}

/**
 * Normal traffic as a non-homogeneous Poisson process: flows start independently, at a rate
 * that follows the sum of every host's activity (heavy users count more, people follow the
 * clock, machines do not). Arrival times are drawn by inverting the integrated rate over
 * five-minute slots, which is exact for a piecewise-constant rate and needs no rejection.
 * The rate is scaled so the run holds the requested number of flows; the daily rhythm
 * decides *when* within the run they fall.
 */
export class BackgroundTraffic implements EventSource {
  private readonly slots = new Map<number, Slot>();
  private readonly ratePerIntensityMs: number;
  private next: number;

  constructor(
    private readonly rng: Rng,
    private readonly inventory: Inventory,
    private readonly plan: BackgroundPlan,
  ) {
    const integral = this.integratedIntensity(plan.startMs, plan.endMs);
    this.ratePerIntensityMs = integral > 0 ? plan.expectedEvents / integral : 0;
    this.next = this.ratePerIntensityMs > 0 ? this.arrivalAfter(plan.startMs) : Infinity;
  }

  get nextAt(): number {
    return this.next;
  }

  take(): TimedFlow {
    const timeMs = this.next;
    this.next = this.arrivalAfter(timeMs);
    const host = this.inventory.hosts[this.slotAt(timeMs).hostPicker.sample(this.rng)]!;
    const regime = this.plan.driftAtMs !== null && timeMs >= this.plan.driftAtMs ? DRIFTED : BASELINE;
    const profile = chooseProfile(this.rng, host, humanActivity(timeMs, hoursOf(host)), regime);
    const flow = PROFILES[profile].flow({ rng: this.rng, host, inventory: this.inventory, regime, timeMs });
    return { timeMs, label: NORMAL_LABEL, flow };
  }

  private arrivalAfter(fromMs: number): number {
    let remaining = this.rng.exponential(1);
    let t = fromMs;
    for (;;) {
      const slotEnd = (Math.floor((t - WEEK_ORIGIN) / SLOT_MS) + 1) * SLOT_MS + WEEK_ORIGIN;
      const rate = this.ratePerIntensityMs * this.slotAt(t).intensity;
      const mass = rate * (slotEnd - t);
      if (remaining < mass) return t + remaining / rate;
      remaining -= mass;
      t = slotEnd;
    }
  }

  private integratedIntensity(fromMs: number, toMs: number): number {
    let total = 0;
    for (let t = fromMs; t < toMs; ) {
      const slotEnd = Math.min(toMs, (Math.floor((t - WEEK_ORIGIN) / SLOT_MS) + 1) * SLOT_MS + WEEK_ORIGIN);
      total += this.slotAt(t).intensity * (slotEnd - t);
      t = slotEnd;
    }
    return total;
  }

  private slotAt(timeMs: number): Slot {
    const index = Math.floor((((timeMs - WEEK_ORIGIN) % WEEK_MS) + WEEK_MS) % WEEK_MS / SLOT_MS);
    let slot = this.slots.get(index);
    if (!slot) {
      const midpoint = WEEK_ORIGIN + index * SLOT_MS + SLOT_MS / 2;
      const weights = this.inventory.hosts.map((h) => h.activity * (h.machineShare + (1 - h.machineShare) * humanActivity(midpoint, hoursOf(h))));
      slot = { intensity: weights.reduce((a, b) => a + b, 0), hostPicker: new Categorical(weights) };
      this.slots.set(index, slot);
    }
    return slot;
  }
}

function hoursOf(host: Host): { start: number; end: number } {
  return { start: host.workStart, end: host.workEnd };
}
