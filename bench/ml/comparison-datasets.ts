import { FeatureMatrix, FeaturePipeline, FeatureRecipe, FlowRecord, NETWORK_EVENT_FEATURES } from '../../libs/ml/src/features';
import { loadLabelledMatrix } from '../../libs/ml/fixtures/forest/parity-fixtures';
import { parityFolds, selectRows } from '../../libs/ml/fixtures/algorithms/algorithm-fixtures';
import { BehaviourWindows } from '../../services/transform/src/behaviour-windows';
import { windowSpecs } from '../../services/transform/src/windows';
import { producerFlows } from './producer-flows';

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

/**
 * The traffic producer's labelled events (every attack kind over a simulated week), in time order:
 * the first half trains, the second half is scored, as a model trained on last week scores this one.
 * Two feature sets: the per-flow NetworkEvent columns, and those plus per-source and per-pair windows
 * (1 min, 10 min) computed by services/transform's BehaviourWindows over the same stream.
 */
export function producerDatasets(events: number): ComparisonDataset[] {
  const flows = producerFlows(events);
  const windows = BehaviourWindows.create(WINDOWS);
  const records: FlowRecord[] = flows.map((event) => ({ ...event, ...windows.observe(event) }) as unknown as FlowRecord);
  const kinds = flows.map((event) => event.label ?? 'normal');
  const labels = Uint8Array.from(kinds, (kind) => (kind === 'normal' ? 0 : 1));
  const half = Math.floor(records.length / 2);
  const testRows = Array.from({ length: records.length - half }, (_, i) => half + i);
  const variants: Array<[string, string, readonly FeatureRecipe[]]> = [
    ['producer-flow', 'per-flow NetworkEvent features', NETWORK_EVENT_FEATURES],
    ['producer-flow+windows', 'per-flow features + per-source/per-pair windows (1m, 10m)', [...NETWORK_EVENT_FEATURES, ...windowRecipes()]],
  ];
  return variants.map(([name, description, recipes]) => {
    const pipeline = FeaturePipeline.fit(records.slice(0, half), recipes);
    const train = pipeline.transform(records.slice(0, half));
    const test = pipeline.transform(records.slice(half));
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
