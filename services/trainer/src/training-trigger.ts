import { CatalogDataset, compareByEventTime, StreamEnd } from './dataset-catalog';
import { Watermark, watermarkOf } from './event-time-watermark';
import { NewestModel } from './trained-models';
import { OpenRequest } from './training-requests';
import { chooseWindow, rowsOf, TrainingWindow, WindowSettings } from './training-window';

export interface TriggerSettings extends WindowSettings {
  /** SILVER rows before the first model. */
  minRows: number;
  /** Rows of the new regime a drift retrain waits for. */
  retrainMinRows: number;
  /** Event time past the newest model's window that makes a scheduled retrain (ms), 0 = off. */
  scheduleMs: number;
  /** Event time a stream may lag the newest before the watermark stops waiting for it (ms), 0 = never. */
  streamIdleMs: number;
}

export type TrainingTriggerName = 'silver.ready' | 'drift.detected' | 'schedule';

export interface TrainingPlan {
  trigger: TrainingTriggerName;
  window: TrainingWindow;
  /** The decision's event time (epoch ms): the end of the dataset at which the condition first held. */
  until: number;
  /** That dataset. The model follows from it, never from whichever event happened to arrive last. */
  decidedAt: string;
  /** Drift retrains: where the new regime starts, and the open request the model answers (null: raised by this very event). */
  regime?: { since: number; requestId: string | null };
}

export type TriggerDecision = { train: true; plan: TrainingPlan } | { train: false; reason: string };

/** What the trainer knows when a dataset or a drift event arrives. */
export interface TrainingSituation {
  /** Trainable datasets of the feature version in force, on record or in hand; those past the watermark are not decided on. */
  candidates: readonly CatalogDataset[];
  /** Where the candidates are complete in event time (undefined: no stream on record yet). */
  watermark: Watermark | undefined;
  newestModel?: NewestModel;
  openRequest?: OpenRequest;
}

/**
 * When to train, as a function of event time alone, so that the same datasets give the same models
 * whatever order their streams' events interleaved in (a crash, a rebalance, a second transform
 * instance, a replay). Each rule names the dataset at which its condition first holds, walking the
 * datasets in event-time order, and decides only once that dataset's end is at or below the
 * watermark: every dataset ending before it has then arrived, so the window is the same in every
 * run. Until then the rule waits, whatever has already arrived past it.
 * - first model: no version of the name exists and the datasets up to it hold TRAINER_MIN_ROWS rows;
 * - drift: while a retrain request is open, TRAINER_RETRAIN_MIN_ROWS rows lie entirely in the new
 *   regime (min event time ≥ regime start); the model trains on that regime only, so it learns the
 *   traffic that made the old one drift and none of what came before;
 * - schedule (optional): the first dataset ending TRAINER_SCHEDULE_MS of event time past the end of
 *   the newest model's window. Event time, not the wall clock: an idle night trains nothing. While
 *   a drift request is open the schedule waits for the drift retrain instead of training across the
 *   regime change.
 */
export class TrainingTrigger {
  constructor(private readonly settings: TriggerSettings) {}

  /** Where the datasets on record (and the one in hand, if counted in `onRecord`) are complete in event time. */
  watermark(onRecord: readonly StreamEnd[], expected: readonly string[]): Watermark | undefined {
    return watermarkOf(onRecord, expected, this.settings.streamIdleMs);
  }

  afterDataset(s: TrainingSituation): TriggerDecision {
    if (!s.newestModel) return this.firstModel(s);
    if (s.openRequest) return this.afterDrift(s, s.openRequest.regimeSince, s.openRequest.id);
    if (this.settings.scheduleMs > 0) return this.scheduled(s, s.newestModel);
    return wait(`v${s.newestModel.version} exists, no drift retrain is pending and the schedule is off`);
  }

  /** A drift retrain, if the new regime holds enough rows yet. */
  afterDrift(s: Pick<TrainingSituation, 'candidates' | 'watermark'>, regimeSince: number, requestId: string | null): TriggerDecision {
    const regime = inEventTimeOrder(s.candidates.filter((d) => d.minEventTime >= regimeSince));
    const { retrainMinRows } = this.settings;
    const short = `drift retrain waits for ${retrainMinRows} rows since ${iso(regimeSince)}; ${rowsOf(regime)} so far`;
    return this.decide('drift.detected', regime, reaching(regime, retrainMinRows), short, s.watermark, { since: regimeSince, requestId });
  }

  private firstModel(s: TrainingSituation): TriggerDecision {
    const ordered = inEventTimeOrder(s.candidates);
    const { minRows } = this.settings;
    return this.decide('silver.ready', ordered, reaching(ordered, minRows), `the first model waits for ${minRows} rows; ${rowsOf(ordered)} so far`, s.watermark);
  }

  private scheduled(s: TrainingSituation, newest: NewestModel): TriggerDecision {
    if (newest.windowEndMs === null) return wait(`v${newest.version} recorded no window end to schedule from`);
    const due = newest.windowEndMs + this.settings.scheduleMs;
    const ordered = inEventTimeOrder(s.candidates);
    return this.decide('schedule', ordered, ordered.findIndex((d) => d.maxEventTime >= due), `the scheduled retrain is due at event time ${iso(due)}`, s.watermark);
  }

  /**
   * Trains on `ordered` up to its dataset `at` (-1: the condition holds nowhere yet, `short` says
   * why) once the watermark has passed that dataset's end.
   */
  private decide(trigger: TrainingTriggerName, ordered: CatalogDataset[], at: number, short: string, watermark: Watermark | undefined, regime?: TrainingPlan['regime']): TriggerDecision {
    if (at < 0) return wait(short);
    const decidedAt = ordered[at]!;
    if (!watermark || decidedAt.maxEventTime > watermark.at) {
      const idle = watermark?.idle.length ? ` (left out as idle: ${watermark.idle.join(', ')})` : '';
      const holding = watermark ? `stream ${watermark.heldBy || '(unnamed)'} has reached ${iso(watermark.at)}${idle}` : 'no stream is on record';
      return wait(`the ${trigger} training falls at ${decidedAt.datasetId} (${iso(decidedAt.maxEventTime)}) and waits for every stream to pass it; ${holding}`);
    }
    const choice = chooseWindow(ordered.slice(0, at + 1), decidedAt.maxEventTime, this.settings);
    if (!choice.ok) return wait(choice.reason);
    return { train: true, plan: { trigger, window: choice.window, until: decidedAt.maxEventTime, decidedAt: decidedAt.datasetId, ...(regime ? { regime } : {}) } };
  }
}

function inEventTimeOrder(datasets: readonly CatalogDataset[]): CatalogDataset[] {
  return [...datasets].sort(compareByEventTime);
}

/** Index of the first dataset at which the rows up to and including it reach `rows`; -1 if none. */
function reaching(ordered: readonly CatalogDataset[], rows: number): number {
  let sum = 0;
  return ordered.findIndex((d) => (sum += d.rows) >= rows);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function wait(reason: string): TriggerDecision {
  return { train: false, reason };
}
