import { CatalogDataset, compareByEventTime } from './dataset-catalog';

export interface WindowSettings {
  /** Most recent rows to build from (whole datasets); used when windowMs is 0. */
  windowRows: number;
  /** Event-time span to build from instead (ms), 0 = off. */
  windowMs: number;
  /** Newest share of the window's rows held out for the evaluator. */
  holdoutFraction: number;
}

/** Both parts in event-time order; every holdout dataset is newer than every training dataset. */
export interface TrainingWindow {
  training: CatalogDataset[];
  holdout: CatalogDataset[];
}

export type WindowChoice = { ok: true; window: TrainingWindow } | { ok: false; reason: string };

/**
 * Picks the datasets a model is built from, out of `candidates` (one feature version, all at or
 * before the triggering dataset in event time, so the choice depends on event time and not on
 * the order datasets arrived in), and splits them by time:
 * - the window is the newest whole datasets that together hold TRAINER_WINDOW_ROWS rows (the last
 *   one may overshoot by less than a dataset), or, with a span, those lying entirely within
 *   TRAINER_WINDOW_MS of `until`;
 * - the holdout is the newest datasets of the window whose rows come closest to the holdout
 *   fraction, at least one, leaving at least one to train on. Whole datasets keep lineage simple: a
 *   model names the objects it read, not ranges within them.
 */
export function chooseWindow(candidates: readonly CatalogDataset[], until: number, settings: WindowSettings): WindowChoice {
  const newestFirst = candidates.filter((d) => d.maxEventTime <= until).sort(compareByEventTime).reverse();
  const window: CatalogDataset[] = [];
  let rows = 0;
  for (const dataset of newestFirst) {
    if (settings.windowMs > 0 ? dataset.minEventTime < until - settings.windowMs : rows >= settings.windowRows) break;
    window.push(dataset);
    rows += dataset.rows;
  }
  if (window.length < 2) return { ok: false, reason: `the window holds ${window.length} dataset(s); a time split needs at least 2` };

  const target = settings.holdoutFraction * rows;
  let held = window[0]!.rows;
  let split = 1;
  while (split < window.length - 1 && Math.abs(held + window[split]!.rows - target) < Math.abs(held - target)) held += window[split++]!.rows;
  return { ok: true, window: { training: window.slice(split).reverse(), holdout: window.slice(0, split).reverse() } };
}

export function rowsOf(datasets: readonly CatalogDataset[]): number {
  return datasets.reduce((n, d) => n + d.rows, 0);
}
