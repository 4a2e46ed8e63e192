import { CatalogDataset } from './dataset-catalog';
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
}

export type TrainingTriggerName = 'silver.ready' | 'drift.detected' | 'schedule';

export interface TrainingPlan {
  trigger: TrainingTriggerName;
  window: TrainingWindow;
  /** Event time (epoch ms) of the data the decision was made at: the triggering dataset's end. */
  until: number;
  /** Drift retrains: where the new regime starts, and the open request the model answers (null: raised by this very event). */
  regime?: { since: number; requestId: string | null };
}

export type TriggerDecision = { train: true; plan: TrainingPlan } | { train: false; reason: string };

/** What the trainer knows when a dataset or a drift event arrives. */
export interface TrainingSituation {
  /** Trainable datasets of the feature version in force ending at or before `until`, the triggering one included. */
  candidates: readonly CatalogDataset[];
  until: number;
  newestModel?: NewestModel;
  openRequest?: OpenRequest;
}

/**
 * When to train, as a function of what is on record, so the same history gives the same models:
 * - first model: no version of the name exists and the candidates hold TRAINER_MIN_ROWS rows;
 * - drift: while a retrain request is open, wait until TRAINER_RETRAIN_MIN_ROWS rows lie entirely in
 *   the new regime (min event time ≥ regime start), then train on that regime only, so the new
 *   model learns the traffic that made the old one drift and none of what came before;
 * - schedule (optional): the newest data is TRAINER_SCHEDULE_MS of event time past the end of the
 *   newest model's window. Event time, not the wall clock: a replay of the same SILVER retrains at
 *   the same datasets, and an idle night trains nothing. While a drift request is open the schedule
 *   waits for the drift retrain instead of training across the regime change.
 */
export class TrainingTrigger {
  constructor(private readonly settings: TriggerSettings) {}

  afterDataset(s: TrainingSituation): TriggerDecision {
    if (!s.newestModel) return this.firstModel(s);
    if (s.openRequest) return this.afterDrift(s, s.openRequest.regimeSince, s.openRequest.id);
    if (this.settings.scheduleMs > 0) return this.scheduled(s, s.newestModel);
    return wait(`v${s.newestModel.version} exists, no drift retrain is pending and the schedule is off`);
  }

  /** A drift retrain, if the new regime holds enough rows yet. */
  afterDrift(s: Pick<TrainingSituation, 'candidates' | 'until'>, regimeSince: number, requestId: string | null): TriggerDecision {
    const regime = s.candidates.filter((d) => d.minEventTime >= regimeSince);
    const rows = rowsOf(regime);
    if (rows < this.settings.retrainMinRows) {
      return wait(`drift retrain waits for ${this.settings.retrainMinRows} rows since ${new Date(regimeSince).toISOString()}; ${rows} so far`);
    }
    return this.plan('drift.detected', regime, s.until, { since: regimeSince, requestId });
  }

  private firstModel(s: TrainingSituation): TriggerDecision {
    const rows = rowsOf(s.candidates);
    if (rows < this.settings.minRows) return wait(`the first model waits for ${this.settings.minRows} rows; ${rows} so far`);
    return this.plan('silver.ready', s.candidates, s.until);
  }

  private scheduled(s: TrainingSituation, newest: NewestModel): TriggerDecision {
    if (newest.windowEndMs === null) return wait(`v${newest.version} recorded no window end to schedule from`);
    const due = newest.windowEndMs + this.settings.scheduleMs;
    if (s.until < due) return wait(`the scheduled retrain is due at event time ${new Date(due).toISOString()}`);
    return this.plan('schedule', s.candidates, s.until);
  }

  private plan(trigger: TrainingTriggerName, candidates: readonly CatalogDataset[], until: number, regime?: TrainingPlan['regime']): TriggerDecision {
    const choice = chooseWindow(candidates, until, this.settings);
    if (!choice.ok) return wait(choice.reason);
    return { train: true, plan: { trigger, window: choice.window, until, ...(regime ? { regime } : {}) } };
  }
}

function wait(reason: string): TriggerDecision {
  return { train: false, reason };
}
