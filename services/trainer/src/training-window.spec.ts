import { CatalogDataset } from './dataset-catalog';
import { chooseWindow, TrainingWindow, WindowSettings } from './training-window';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T00:00:00Z');

/** Dataset i covers hour i; rows given per dataset. */
function datasets(rows: number[]): CatalogDataset[] {
  return rows.map((n, i) => ({
    datasetId: `d${String(i).padStart(2, '0')}`,
    silverKey: `silver/date=2026-11-02/d${i}.parquet`,
    sha256: 'a'.repeat(64),
    rows: n,
    featureVersion: 'f1.w1-1m-10m',
    minEventTime: T0 + i * HOUR,
    maxEventTime: T0 + (i + 1) * HOUR - 1,
  }));
}

const ids = (w: TrainingWindow) => ({ training: w.training.map((d) => d.datasetId), holdout: w.holdout.map((d) => d.datasetId) });
const settings = (over: Partial<WindowSettings> = {}): WindowSettings => ({ windowRows: 1000, windowMs: 0, holdoutFraction: 0.2, ...over });
const window = (candidates: CatalogDataset[], s: WindowSettings, until = Infinity) => {
  const choice = chooseWindow(candidates, until, s);
  if (!choice.ok) throw new Error(choice.reason);
  return ids(choice.window);
};

describe('chooseWindow', () => {
  it('takes the newest whole datasets until they hold the window rows, and holds out the newest fifth of them', () => {
    const all = datasets([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100]);
    expect(window(all, settings())).toEqual({ training: ['d02', 'd03', 'd04', 'd05', 'd06', 'd07', 'd08', 'd09'], holdout: ['d10', 'd11'] });
  });

  it('lets the last dataset overshoot the window rows rather than cut it', () => {
    expect(window(datasets([500, 500, 300, 300]), settings({ windowRows: 700 }))).toEqual({ training: ['d01', 'd02'], holdout: ['d03'] });
  });

  it('picks the same datasets whatever order the candidates arrived in', () => {
    const all = datasets([120, 80, 300, 90, 150, 60, 200]);
    const shuffled = [all[3]!, all[0]!, all[6]!, all[2]!, all[5]!, all[1]!, all[4]!];
    expect(window(shuffled, settings())).toEqual(window(all, settings()));
  });

  it('ignores candidates that end after the triggering dataset', () => {
    const all = datasets([100, 100, 100, 100]);
    expect(window(all, settings(), all[2]!.maxEventTime)).toEqual({ training: ['d00', 'd01'], holdout: ['d02'] });
  });

  it('with a time span takes the datasets lying entirely within it of the triggering dataset', () => {
    const all = datasets([100, 100, 100, 100, 100, 100]);
    const until = all[5]!.maxEventTime;
    expect(window(all, settings({ windowMs: 3 * HOUR }), until)).toEqual({ training: ['d03', 'd04'], holdout: ['d05'] });
  });

  it('holds out the datasets whose rows come closest to the fraction, at least one and never all', () => {
    // 20 % of 1,000 = 200: one dataset of 50 is further from it than 50 + 100 + 40.
    expect(window(datasets([400, 410, 40, 100, 50]), settings({ windowRows: 10_000 }))).toEqual({ training: ['d00', 'd01'], holdout: ['d02', 'd03', 'd04'] });
    // One huge newest dataset: it alone is the holdout.
    expect(window(datasets([100, 100, 5000]), settings({ windowRows: 10_000 }))).toEqual({ training: ['d00', 'd01'], holdout: ['d02'] });
    // Two datasets: one of each, whatever the fraction says.
    expect(window(datasets([10, 5000]), settings({ windowRows: 10_000, holdoutFraction: 0.5 }))).toEqual({ training: ['d00'], holdout: ['d01'] });
  });

  it('refuses a window of one dataset: there is nothing to hold out', () => {
    expect(chooseWindow(datasets([50_000]), Infinity, settings())).toEqual({ ok: false, reason: expect.stringMatching(/at least 2/) });
  });
});
