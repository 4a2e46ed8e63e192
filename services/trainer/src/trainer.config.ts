import { z } from 'zod';
import { ConfigError, env } from '@flowsentry/config';
import { ANOMALY_ALGORITHMS, LANDMARK_SELECTIONS } from '@flowsentry/ml';
import { loadServiceConfig, stepSettingsShape } from '@flowsentry/runtime';
import { AlgorithmSettings } from './anomaly-detector';
import { TrainingSettings } from './model-training';

const share = (fallback: number, what: string) =>
  z.coerce
    .number()
    .gt(0, `${what} must be above 0`)
    .max(0.5, `${what} must be at most 0.5`)
    .default(fallback);

export const trainerConfigShape = {
  HOST: env.string('127.0.0.1'),
  PORT: env.int(8083, 0, 65535),
  TRAINER_GROUP_ID: env.string('flowsentry-trainer'),
  /** The registry name the trainer versions; it becomes part of object keys, hence the restricted alphabet. */
  TRAINER_MODEL_NAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'must be lower-case letters, digits, ".", "_" or "-" (it becomes an object key)')
    .default('network-flows'),
  /**
   * Rows of SILVER before the first model. The threshold is a quantile of the training scores:
   * at the default alert rate, 50,000 rows put 50 training rows above it, so the threshold rests
   * on a tail of 50 points rather than a handful (at 5,000 rows it would be the 5th most anomalous
   * row, and move with every retrain). The producer's default 100 flows/s fill it in ~8 minutes.
   */
  TRAINER_MIN_ROWS: env.int(50_000, 2),
  /**
   * Most recent SILVER rows a model is built from (whole datasets, holdout included). Recent
   * enough to describe today's traffic, large enough that fill medians and the conn_state
   * vocabulary are stable and that the 20 % holdout (40,000 rows) gives the evaluator ~40
   * expected alerts to judge; training it takes seconds and ~0.5 GB at most.
   */
  TRAINER_WINDOW_ROWS: env.int(200_000, 2),
  /** A window by event-time span instead (ms; 0 = use TRAINER_WINDOW_ROWS), for sites whose volume swings by day. */
  TRAINER_WINDOW_MS: env.int(0, 0),
  /** Newest share of the window held out for the evaluator: the usual 80/20 split, by time, so the judge sees data from after training. */
  TRAINER_HOLDOUT_FRACTION: share(0.2, 'TRAINER_HOLDOUT_FRACTION'),
  /**
   * Share of flows the model flags: the analyst's alert budget. 1 in 1,000 flows is ~36 alerts an
   * hour on a 10 flows/s segment, which a small SOC team triages (and which group into far fewer
   * incidents per source); it is also the lowest rate whose training quantile stays stable at
   * TRAINER_MIN_ROWS (see there). It is the forest's `contamination`, so the ONNX `label = -1`
   * is exactly "alert".
   */
  TRAINER_ALERT_RATE: share(0.001, 'TRAINER_ALERT_RATE'),
  /** Fixed so that retraining the same datasets reproduces the same bytes; change it to draw an independent model (and subsample). */
  TRAINER_SEED: env.int(42, 0, 0xffffffff),
  /**
   * The detector. The Isolation Forest is the production default (docs/ALGORITHMS.md: cheapest to
   * train and score, no scaling, the best ROC-AUC with window features); the others are there to be
   * compared on a site's own traffic.
   */
  TRAINER_ALGORITHM: z.enum(ANOMALY_ALGORITHMS).default('isolation-forest'),
  /** scikit-learn's default: path lengths averaged over 100 trees have converged (Liu et al. 2008, fig. 5). Forest only. */
  TRAINER_TREES: env.int(100, 1, 10_000),
  /** The paper's subsample: small samples isolate anomalies best (less swamping and masking); more rows only grow deeper trees. Forest only. */
  TRAINER_MAX_SAMPLES: env.int(256, 2, 1_000_000),
  /** LOF's k, sklearn's default: enough neighbours that one duplicated flow does not make a dense cluster on its own. */
  TRAINER_LOF_NEIGHBORS: env.int(20, 1, 1_000),
  /**
   * Training rows a LOF keeps, drawn with the seed: the model stores them (38 doubles each, ~3 MB of
   * ONNX at 10,000) and scoring a flow searches all of them, so size and scoring cost grow with it.
   * 10,000 is what docs/ALGORITHMS.md compared; 50,000 keeps the graph's per-batch memory sane.
   */
  TRAINER_LOF_MAX_ROWS: env.int(10_000, 2, 50_000),
  /** ν bounds the share of training rows outside the SVM's boundary; the threshold is set by TRAINER_ALERT_RATE anyway, so ν shapes the boundary and the support-vector count (≥ ν·rows). 0.1 as compared in docs/ALGORITHMS.md. */
  TRAINER_OCSVM_NU: z.coerce.number().gt(0, 'must be above 0').max(1, 'must be at most 1').default(0.1),
  /** RBF γ: `scale` (sklearn's 1 / (columns · variance), on standardised columns ≈ 1/columns) or a positive number. */
  TRAINER_OCSVM_GAMMA: z
    .string()
    .default('scale')
    .refine((v) => v === 'scale' || Number(v) > 0, 'must be "scale" or a positive number')
    .transform((v): 'scale' | number => (v === 'scale' ? 'scale' : Number(v))),
  /** `nystroem` (fixed size and scoring cost, the better SVM in docs/ALGORITHMS.md) or `exact` (libsvm's SMO, O(rows²) to train). */
  TRAINER_OCSVM_SOLVER: z.enum(['nystroem', 'exact']).default('nystroem'),
  /** Training rows the SVM is fitted on, drawn with the seed: bounds the fit (exact: O(rows²) and up to rows support vectors). */
  TRAINER_OCSVM_MAX_ROWS: env.int(10_000, 2, 200_000),
  /** Nyström landmarks: the model's size and per-flow cost (200 as compared in docs/ALGORITHMS.md). */
  TRAINER_OCSVM_COMPONENTS: env.int(200, 1, 2_000),
  /**
   * How Nyström draws its landmarks: `farthest-first` (every training row near a landmark, so a flow far
   * outside the training data scores below all of it) or `uniform` (at random, sklearn's Nystroem).
   */
  TRAINER_OCSVM_LANDMARKS: z.enum(LANDMARK_SELECTIONS).default('farthest-first'),
  /** Production traffic has no labels; `true` leaves labelled attack rows out of training, for experiments on producer data. */
  TRAINER_EXCLUDE_LABELLED: env.bool(false),
  /** Rows of the new regime a drift retrain waits for: no less than the first model had to start from. */
  TRAINER_RETRAIN_MIN_ROWS: env.int(50_000, 2),
  /**
   * Retrain when the newest data is this much event time past the newest model's window (ms; 0 =
   * off). Off by default: drift is the reason to retrain; a schedule retrains blindly.
   */
  TRAINER_SCHEDULE_MS: env.int(0, 0),
  /**
   * Event time a source stream (a network.events partition) may fall behind the newest before the
   * trainer stops waiting for it (ms; 0 = wait for ever). Training decisions wait until every
   * stream has passed them, so a stream that stopped would hold them for ever; six hours is far
   * above any processing lag between live streams, which is what keeps decisions replayable.
   */
  TRAINER_STREAM_IDLE_MS: env.int(21_600_000, 0),
  ...stepSettingsShape,
};

export type TrainerConfig = ReturnType<typeof loadTrainerConfig>;

export function loadTrainerConfig(source: Record<string, string | undefined> = process.env) {
  const config = loadServiceConfig('trainer', trainerConfigShape, source);
  // A row window smaller than a trigger threshold would fire on rows it then cannot hold.
  const problems: string[] = [];
  if (config.TRAINER_WINDOW_MS === 0 && config.TRAINER_WINDOW_ROWS < config.TRAINER_MIN_ROWS) problems.push('TRAINER_WINDOW_ROWS: must be at least TRAINER_MIN_ROWS');
  if (config.TRAINER_WINDOW_MS === 0 && config.TRAINER_WINDOW_ROWS < config.TRAINER_RETRAIN_MIN_ROWS) problems.push('TRAINER_WINDOW_ROWS: must be at least TRAINER_RETRAIN_MIN_ROWS');
  problems.push(...algorithmProblems(config));
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Exact SMO on more rows than this takes minutes and keeps thousands of support vectors. */
export const OCSVM_EXACT_MAX_ROWS = 10_000;

type AlgorithmConfig = Pick<
  TrainerConfig,
  'TRAINER_ALGORITHM' | 'TRAINER_TREES' | 'TRAINER_MAX_SAMPLES' | 'TRAINER_LOF_NEIGHBORS' | 'TRAINER_LOF_MAX_ROWS' | 'TRAINER_OCSVM_NU' | 'TRAINER_OCSVM_GAMMA' | 'TRAINER_OCSVM_SOLVER' | 'TRAINER_OCSVM_MAX_ROWS' | 'TRAINER_OCSVM_COMPONENTS' | 'TRAINER_OCSVM_LANDMARKS'
>;

/** Settings of the chosen algorithm that cannot work together; the other algorithms' settings are not looked at. */
function algorithmProblems(config: AlgorithmConfig): string[] {
  const problems: string[] = [];
  if (config.TRAINER_ALGORITHM === 'local-outlier-factor' && config.TRAINER_LOF_NEIGHBORS >= config.TRAINER_LOF_MAX_ROWS) {
    problems.push('TRAINER_LOF_NEIGHBORS: must be below TRAINER_LOF_MAX_ROWS (a kept row has at most that many others to be its neighbours)');
  }
  if (config.TRAINER_ALGORITHM === 'one-class-svm') {
    if (config.TRAINER_OCSVM_SOLVER === 'exact' && config.TRAINER_OCSVM_MAX_ROWS > OCSVM_EXACT_MAX_ROWS) {
      problems.push(`TRAINER_OCSVM_MAX_ROWS: must be at most ${OCSVM_EXACT_MAX_ROWS} with TRAINER_OCSVM_SOLVER=exact (its training is quadratic in the rows)`);
    }
    if (config.TRAINER_OCSVM_SOLVER === 'nystroem' && config.TRAINER_OCSVM_COMPONENTS > config.TRAINER_OCSVM_MAX_ROWS) {
      problems.push('TRAINER_OCSVM_COMPONENTS: must be at most TRAINER_OCSVM_MAX_ROWS (landmarks are drawn from the training rows)');
    }
  }
  return problems;
}

/** The detector the settings name, with its own knobs only. */
export function algorithmSettingsOf(config: AlgorithmConfig): AlgorithmSettings {
  switch (config.TRAINER_ALGORITHM) {
    case 'isolation-forest':
      return { name: 'isolation-forest', trees: config.TRAINER_TREES, maxSamples: config.TRAINER_MAX_SAMPLES };
    case 'local-outlier-factor':
      return { name: 'local-outlier-factor', neighbors: config.TRAINER_LOF_NEIGHBORS, maxRows: config.TRAINER_LOF_MAX_ROWS };
    case 'one-class-svm':
      return {
        name: 'one-class-svm',
        nu: config.TRAINER_OCSVM_NU,
        gamma: config.TRAINER_OCSVM_GAMMA,
        solver: config.TRAINER_OCSVM_SOLVER,
        maxRows: config.TRAINER_OCSVM_MAX_ROWS,
        components: config.TRAINER_OCSVM_COMPONENTS,
        landmarks: config.TRAINER_OCSVM_LANDMARKS,
      };
  }
}

export function trainingSettingsOf(config: TrainerConfig): TrainingSettings {
  return { algorithm: algorithmSettingsOf(config), seed: config.TRAINER_SEED, alertRate: config.TRAINER_ALERT_RATE, excludeLabelled: config.TRAINER_EXCLUDE_LABELLED };
}
