import { CatalogDataset } from './dataset-catalog';
import { TrainingTrigger, TriggerSettings } from './training-trigger';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T00:00:00Z');

/** `count` datasets of `rows` rows, dataset i covering hour `firstHour + i`. */
function hours(count: number, rows = 10_000, firstHour = 0): CatalogDataset[] {
  return Array.from({ length: count }, (_, k) => {
    const i = firstHour + k;
    return {
      datasetId: `d${String(i).padStart(3, '0')}`,
      silverKey: `silver/d${i}.parquet`,
      sha256: 'b'.repeat(64),
      rows,
      featureVersion: 'f1.w1-1m-10m',
      minEventTime: T0 + i * HOUR,
      maxEventTime: T0 + (i + 1) * HOUR - 1,
    };
  });
}
const end = (datasets: CatalogDataset[]) => datasets.at(-1)!.maxEventTime;
const ids = (datasets: CatalogDataset[]) => datasets.map((d) => d.datasetId);

const settings: TriggerSettings = { minRows: 50_000, retrainMinRows: 30_000, scheduleMs: 0, windowRows: 200_000, windowMs: 0, holdoutFraction: 0.2 };

describe('TrainingTrigger', () => {
  const trigger = new TrainingTrigger(settings);

  describe('first model', () => {
    it('waits until the candidates hold TRAINER_MIN_ROWS rows', () => {
      const four = hours(4);
      expect(trigger.afterDataset({ candidates: four, until: end(four) })).toEqual({ train: false, reason: 'the first model waits for 50000 rows; 40000 so far' });
    });

    it('trains on the window once they do, holding out the newest datasets', () => {
      const five = hours(5);
      const decision = trigger.afterDataset({ candidates: five, until: end(five) });
      expect(decision.train).toBe(true);
      if (!decision.train) return;
      expect(decision.plan.trigger).toBe('silver.ready');
      expect(ids(decision.plan.window.training)).toEqual(['d000', 'd001', 'd002', 'd003']);
      expect(ids(decision.plan.window.holdout)).toEqual(['d004']);
    });
  });

  describe('once a model exists', () => {
    const newestModel = { version: '1', windowEndMs: end(hours(5)) };

    it('trains nothing more without drift or a schedule', () => {
      const lots = hours(40);
      expect(trigger.afterDataset({ candidates: lots, until: end(lots), newestModel })).toMatchObject({ train: false, reason: expect.stringMatching(/schedule is off/) });
    });

    it('retrains for an open drift request only once the new regime alone holds TRAINER_RETRAIN_MIN_ROWS rows, and only on it', () => {
      const before = hours(10);
      const openRequest = { id: '7', regimeSince: T0 + 10 * HOUR, eventId: 'drift-1' };
      const twoOfRegime = [...before, ...hours(2, 10_000, 10)];
      expect(trigger.afterDataset({ candidates: twoOfRegime, until: end(twoOfRegime), newestModel, openRequest })).toEqual({
        train: false,
        reason: `drift retrain waits for 30000 rows since ${new Date(T0 + 10 * HOUR).toISOString()}; 20000 so far`,
      });

      const threeOfRegime = [...before, ...hours(3, 10_000, 10)];
      const decision = trigger.afterDataset({ candidates: threeOfRegime, until: end(threeOfRegime), newestModel, openRequest });
      expect(decision).toMatchObject({ train: true, plan: { trigger: 'drift.detected', regime: { since: T0 + 10 * HOUR, requestId: '7' } } });
      if (!decision.train) return;
      expect(ids([...decision.plan.window.training, ...decision.plan.window.holdout])).toEqual(['d010', 'd011', 'd012']);
    });

    it('does not count a dataset that straddles the regime start as new-regime data', () => {
      const candidates = hours(6);
      const openRequest = { id: '1', regimeSince: T0 + 2 * HOUR + 1, eventId: 'drift-1' };
      const decision = new TrainingTrigger({ ...settings, retrainMinRows: 30_000 }).afterDataset({ candidates, until: end(candidates), newestModel, openRequest });
      expect(decision.train).toBe(true);
      if (!decision.train) return;
      expect(ids(decision.plan.window.training)).toEqual(['d003', 'd004']);
    });
  });

  describe('schedule', () => {
    const scheduled = new TrainingTrigger({ ...settings, scheduleMs: 24 * HOUR });
    const newestModel = { version: '3', windowEndMs: T0 + 5 * HOUR };

    it('retrains when the newest data is the interval of event time past the newest model window', () => {
      const early = hours(29);
      expect(scheduled.afterDataset({ candidates: early, until: end(early), newestModel })).toEqual({
        train: false,
        reason: `the scheduled retrain is due at event time ${new Date(T0 + 29 * HOUR).toISOString()}`,
      });
      const due = hours(30);
      expect(scheduled.afterDataset({ candidates: due, until: end(due), newestModel })).toMatchObject({ train: true, plan: { trigger: 'schedule', until: end(due) } });
    });

    it('depends on event time only: the same history decides the same whenever it is replayed', () => {
      const due = hours(30);
      const first = scheduled.afterDataset({ candidates: due, until: end(due), newestModel });
      jest.useFakeTimers({ now: Date.parse('2031-01-01T00:00:00Z') });
      try {
        expect(scheduled.afterDataset({ candidates: due, until: end(due), newestModel })).toEqual(first);
      } finally {
        jest.useRealTimers();
      }
    });

    it('waits for the drift retrain while a drift request is open', () => {
      const due = hours(30);
      const openRequest = { id: '2', regimeSince: T0 + 29 * HOUR, eventId: 'drift-9' };
      expect(scheduled.afterDataset({ candidates: due, until: end(due), newestModel, openRequest })).toMatchObject({ train: false, reason: expect.stringMatching(/drift retrain waits/) });
    });
  });
});
