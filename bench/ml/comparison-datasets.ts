import { FeatureMatrix, FeaturePipeline, FeatureRecipe, FlowRecord, NETWORK_EVENT_FEATURES } from '../../libs/ml/src/features';
import { loadLabelledMatrix } from '../../libs/ml/fixtures/forest/parity-fixtures';
import { parityFolds, selectRows } from '../../libs/ml/fixtures/algorithms/algorithm-fixtures';
import { BehaviourWindows } from '../../services/transform/src/behaviour-windows';
import { windowSpecs } from '../../services/transform/src/windows';
import type { NetworkEvent } from '@flowsentry/contracts';
import { ATTACK_NAMES, planScenario, Scenario, shortHash, TrafficGenerator } from '../../tools/producer/src';

/**
 * The data the algorithm comparison runs on. A task is one train/test split; a data set's metrics are
 * taken over the test rows of all its tasks together (each row scored once, by a model that did not see it).
 */
export interface ComparisonTask {
  readonly dataset: string;
  readonly fold: number;
  readonly train: FeatureMatrix;
  readonly test: FeatureMatrix;
  /** Row of the data set each test row is. */
  readonly testRows: readonly number[];
}

export interface ComparisonDataset {
  readonly name: string;
  readonly description: string;
  readonly rows: number;
  readonly cols: number;
  /** 1 = anomaly, per data set row. */
  readonly labels: Uint8Array;
  /** The attack kind of each row ('normal' for the rest), producer traffic only. */
  readonly kinds: readonly string[] | null;
  readonly tasks: readonly ComparisonTask[];
  /** Timings and model sizes are reported for these (the large ones). */
  readonly timed: boolean;
}

const WINDOWS = windowSpecs([60_000, 600_000]);

/**
 * Per-source window columns as the trainer reads them from SILVER (services/trainer/src/model-features.ts):
 * counts through log1p, shares, gaps and coefficients of variation as they are, a missing value (no gap
 * yet) filled with the training median.
 */
function windowRecipes(): FeatureRecipe[] {
  return BehaviourWindows.columns(WINDOWS).map((column) => {
    const counted = /conn_count|distinct/.test(column);
    return { kind: 'numeric', name: counted ? `log1p_${column}` : column, field: column, transform: counted ? 'log1p' : 'identity' };
  });
}

const PRODUCER_SEED = 'flowsentry-bench';
const PRODUCER_START_MS = Date.UTC(2025, 0, 6); // a Monday
const WEEK_MS = 7 * 86_400_000;

/**
 * Two consecutive simulated weeks of one organisation, with every attack kind the producer has in each week:
 * `events` flows in all, half per week. The producer places one episode per attack kind somewhere in a run, so a
 * row split of a single run leaves some kinds out of the scored half. Here each week is planned on its own
 * (planScenario, every attack, 10% attack share, a week-specific placement seed) and the two plans are joined into
 * one scenario: one inventory (same hosts), one continuous background process (no repeated stretch of traffic), ten
 * episodes with their own random streams. Fixed seeds and start: every run produces the same events.
 */
export function twoWeekProducerFlows(events: number): { flows: NetworkEvent[]; scoredFromMs: number } {
  const rate = 100;
  const week = (label: string, count: number, startMs: number): Scenario =>
    planScenario(
      {
        seed: `${PRODUCER_SEED}/${label}`,
        hosts: 40,
        count,
        rate,
        timeScale: WEEK_MS / 1000 / (count / rate),
        startMs,
        attacks: [...ATTACK_NAMES],
        attackShare: 0.1,
        driftAt: null,
      },
      Date.now(),
    );
  const first = week('week-1', Math.floor(events / 2), PRODUCER_START_MS);
  const second = week('week-2', events - Math.floor(events / 2), PRODUCER_START_MS + WEEK_MS);
  const options = { ...first.options, seed: PRODUCER_SEED, count: events, timeScale: (2 * WEEK_MS) / 1000 / (events / rate) };
  const scenario: Scenario = {
    options,
    runId: `fs${shortHash(JSON.stringify([options, first.options, second.options]))}`,
    startMs: first.startMs,
    endMs: second.endMs,
    driftAtMs: null,
    episodes: [...first.episodes, ...second.episodes],
    backgroundEvents: first.backgroundEvents + second.backgroundEvents,
  };
  return { flows: [...new TrafficGenerator(scenario)], scoredFromMs: second.startMs };
}

/**
 * The traffic producer's labelled events over two simulated weeks (twoWeekProducerFlows), in time order: week 1
 * trains (unsupervised, attacks included, labels unused), week 2 is scored, as a model trained on last week scores
 * this one. Both weeks hold every attack kind, each in its own episode. Two feature sets: the per-flow NetworkEvent
 * columns, and those plus per-source and per-pair windows (1 min, 10 min) computed by services/transform's
 * BehaviourWindows over the one continuous stream (causal: a row's windows see only earlier flows).
 */
export function producerDatasets(events: number): ComparisonDataset[] {
  const { flows, scoredFromMs } = twoWeekProducerFlows(events);
  const windows = BehaviourWindows.create(WINDOWS);
  const records: FlowRecord[] = flows.map((event) => ({ ...event, ...windows.observe(event) }) as unknown as FlowRecord);
  const kinds = flows.map((event) => event.label ?? 'normal');
  const labels = Uint8Array.from(kinds, (kind) => (kind === 'normal' ? 0 : 1));
  // Events come in time order: the first one stamped in week 2 starts the scored rows.
  const firstScored = flows.findIndex((event) => new Date(event.ts).getTime() >= scoredFromMs);
  const split = firstScored < 0 ? flows.length : firstScored;
  const testRows = Array.from({ length: records.length - split }, (_, i) => split + i);
  const missing = ATTACK_NAMES.filter((kind) => !testRows.some((row) => kinds[row] === kind));
  if (missing.length > 0) throw new Error(`the scored week has no ${missing.join(', ')} events`);
  const variants: Array<[string, string, readonly FeatureRecipe[]]> = [
    ['producer-flow', 'per-flow NetworkEvent features', NETWORK_EVENT_FEATURES],
    ['producer-flow+windows', 'per-flow features + per-source/per-pair windows (1m, 10m)', [...NETWORK_EVENT_FEATURES, ...windowRecipes()]],
  ];
  return variants.map(([name, description, recipes]) => {
    const pipeline = FeaturePipeline.fit(records.slice(0, split), recipes);
    const train = pipeline.transform(records.slice(0, split));
    const test = pipeline.transform(records.slice(split));
    return { name, description: `${description}, ${train.cols} columns`, rows: records.length, cols: train.cols, labels, kinds, tasks: [{ dataset: name, fold: 0, train, test, testRows }], timed: true };
  });
}

/** The Isolation Forest paper's data sets (the parity fixtures), two folds by row parity. */
export function publicDatasets(): ComparisonDataset[] {
  return ['breastw', 'ionosphere', 'pima', 'satellite', 'shuttle'].map((name) => {
    const { matrix, labels } = loadLabelledMatrix(name);
    const tasks = parityFolds(matrix.rows).map((fold, i) => ({ dataset: name, fold: i, train: selectRows(matrix, fold.train), test: selectRows(matrix, fold.test), testRows: fold.test }));
    return { name, description: `mlbench ${name}, two folds`, rows: matrix.rows, cols: matrix.cols, labels, kinds: null, tasks, timed: false };
  });
}
