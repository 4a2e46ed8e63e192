import { MAX_FUTURE_SKEW_MS } from '@flowsentry/contracts';
import { ATTACKS, AttackName, Episode } from './attacks';
import { Rng, shortHash } from './random';

export interface ScenarioOptions {
  seed: string;
  /** Client hosts in the simulated organisation (servers come on top). */
  hosts: number;
  /** Total flows in the run, normal and attack together. */
  count: number;
  /** Target wall-clock rate (flows/s); with timeScale it fixes how much simulated time the run covers. */
  rate: number;
  /** Simulated seconds per wall-clock second. */
  timeScale: number;
  startMs: number;
  attacks: AttackName[];
  /** Fraction of the simulated run spent inside attack episodes. */
  attackShare: number;
  /** Fraction of the run after which the drifted regime applies; null for no drift. */
  driftAt: number | null;
}

export interface Scenario {
  options: ScenarioOptions;
  /** Prefix of every event id: derived from all options, so ids differ whenever content can. */
  runId: string;
  startMs: number;
  endMs: number;
  driftAtMs: number | null;
  episodes: Episode[];
  /** Expected normal flows; the rest of the count is left to the episodes. */
  backgroundEvents: number;
}

export class ScenarioError extends Error {}

const MIN_TS_MS = Date.UTC(2000, 0, 1);
/** Episodes keep clear of the very start and end so each one has normal traffic around it. */
const EDGE = 0.05;
export const MAX_ATTACK_SHARE = 0.8;
const MAX_ATTACK_EVENTS = 0.5;
/**
 * The background process only produces its count in expectation, so the last timestamps can
 * land a little after the planned end; this margin keeps them inside the accepted range.
 */
const OVERRUN = 0.1;
const HOUR_MS = 3_600_000;

export function plannedSpanMs(count: number, rate: number, timeScale: number): number {
  return (count / rate) * timeScale * 1000;
}

/** Latest simulated time a run may reach and still pass the schema's future-skew check. */
export function latestAllowedEndMs(nowMs: number): number {
  return nowMs + MAX_FUTURE_SKEW_MS - HOUR_MS;
}

/**
 * Default start: now, unless the simulated span would run past what the schema accepts; then
 * the run is placed so that it ends now (a time-scaled run is a replay of the recent past).
 */
export function defaultStartMs(spanMs: number, nowMs: number): number {
  return nowMs + spanMs * (1 + OVERRUN) <= latestAllowedEndMs(nowMs) ? nowMs : Math.round(nowMs - spanMs * (1 + OVERRUN));
}

/**
 * Lays out the run on the simulated timeline: its span, the drift point and one episode per
 * selected attack, placed in random order with random gaps. Everything is derived from the
 * seed, so the plan (and hence every event) is reproducible.
 */
export function planScenario(options: ScenarioOptions, nowMs: number): Scenario {
  const { count, rate, timeScale, startMs, attacks, attackShare, driftAt } = options;
  if (!(count > 0 && Number.isInteger(count))) throw new ScenarioError('count must be a positive integer');
  if (!(rate > 0) || !(timeScale > 0)) throw new ScenarioError('rate and time scale must be positive');
  if (attackShare < 0 || attackShare > MAX_ATTACK_SHARE) throw new ScenarioError(`attack share must be within [0, ${MAX_ATTACK_SHARE}]`);
  if (driftAt !== null && !(driftAt >= 0 && driftAt < 1)) throw new ScenarioError('drift point must be a fraction in [0, 1)');

  const spanMs = plannedSpanMs(count, rate, timeScale);
  const endMs = startMs + spanMs;
  if (startMs < MIN_TS_MS) throw new ScenarioError('start must not be before 2000-01-01');
  if (startMs + spanMs * (1 + OVERRUN) > latestAllowedEndMs(nowMs)) {
    throw new ScenarioError(
      `the run would reach ${new Date(endMs).toISOString()} (simulated), past what NetworkEvent accepts (now + 24 h); start earlier or lower --time-scale`,
    );
  }

  const rng = new Rng(options.seed).fork('scenario');
  const meanRatePerMs = count / spanMs;
  const placed = placeEpisodes(rng, attacks, attackShare, startMs, spanMs, meanRatePerMs);
  const expected = placed.reduce((sum, e) => sum + e.ratePerMs * (e.endMs - e.startMs), 0);
  // Attack flows come on top of normal traffic, which fills what the count leaves. Attacks are
  // thinned if needed so that at least half of every run stays normal, whatever the settings.
  const thinning = Math.min(1, (MAX_ATTACK_EVENTS * count) / Math.max(expected, 1e-9));
  const episodes = placed.map((e) => ({ ...e, ratePerMs: e.ratePerMs * thinning }));
  return {
    options,
    runId: `fs${shortHash(JSON.stringify(options))}`,
    startMs,
    endMs,
    driftAtMs: driftAt === null ? null : startMs + driftAt * spanMs,
    episodes,
    backgroundEvents: count - expected * thinning,
  };
}

function placeEpisodes(rng: Rng, attacks: AttackName[], share: number, startMs: number, spanMs: number, meanRatePerMs: number): Episode[] {
  if (attacks.length === 0 || share === 0) return [];
  const duration = (share * spanMs) / attacks.length;
  const free = (1 - 2 * EDGE) * spanMs - share * spanMs;
  // Gaps from normalised exponentials are a uniform random split of the free time.
  const gapWeights = Array.from({ length: attacks.length + 1 }, () => rng.exponential(1));
  const weightSum = gapWeights.reduce((a, b) => a + b, 0);
  let cursor = startMs + EDGE * spanMs;
  return rng.shuffle(attacks).map((attack, i) => {
    cursor += (gapWeights[i]! / weightSum) * free;
    const kind = ATTACKS[attack];
    const capped = Math.min(kind.naturalRatePerSec / 1000, kind.maxShareOfBackground * meanRatePerMs);
    // Tiny runs cannot afford every attack's minimum number of flows.
    const floorEvents = Math.min(kind.minEvents, (MAX_ATTACK_EVENTS * meanRatePerMs * spanMs) / attacks.length);
    const episode: Episode = { attack, startMs: cursor, endMs: cursor + duration, ratePerMs: Math.max(capped, floorEvents / duration) };
    cursor += duration;
    return episode;
  });
}
