import { mulberry32 } from '@flowsentry/ml';
import { CatalogDataset, StreamEnd, streamOfDataset } from './dataset-catalog';
import { Watermark } from './event-time-watermark';
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
/** Every stream has passed `at`. */
const upTo = (at: number): Watermark => ({ at, heldBy: 'it.network.events/0', idle: [] });

const settings: TriggerSettings = { minRows: 50_000, retrainMinRows: 30_000, scheduleMs: 0, streamIdleMs: 0, windowRows: 200_000, windowMs: 0, holdoutFraction: 0.2 };

describe('TrainingTrigger', () => {
  const trigger = new TrainingTrigger(settings);

  describe('first model', () => {
    it('waits until the candidates hold TRAINER_MIN_ROWS rows', () => {
      const four = hours(4);
      expect(trigger.afterDataset({ candidates: four, watermark: upTo(end(four)) })).toEqual({ train: false, reason: 'the first model waits for 50000 rows; 40000 so far' });
    });

    it('trains on the window once they do, holding out the newest datasets', () => {
      const five = hours(5);
      const decision = trigger.afterDataset({ candidates: five, watermark: upTo(end(five)) });
      expect(decision.train).toBe(true);
      if (!decision.train) return;
      expect(decision.plan.trigger).toBe('silver.ready');
      expect(ids(decision.plan.window.training)).toEqual(['d000', 'd001', 'd002', 'd003']);
      expect(ids(decision.plan.window.holdout)).toEqual(['d004']);
    });
  });

  describe('event time, not arrival', () => {
    it('decides at the dataset where the rows are first reached, not at the newest one on record', () => {
      const eight = hours(8);
      const decision = trigger.afterDataset({ candidates: eight, watermark: upTo(end(eight)) });
      expect(decision).toMatchObject({ train: true, plan: { until: end(hours(5)), decidedAt: 'd004' } });
      if (!decision.train) return;
      expect(ids([...decision.plan.window.training, ...decision.plan.window.holdout])).toEqual(['d000', 'd001', 'd002', 'd003', 'd004']);
    });

    it('waits until every stream has passed that dataset, naming the stream it waits for', () => {
      const five = hours(5);
      const behind: Watermark = { at: end(hours(4)), heldBy: 'it.network.events/2', idle: [] };
      expect(trigger.afterDataset({ candidates: five, watermark: behind })).toEqual({
        train: false,
        reason: `the silver.ready training falls at d004 (${new Date(end(five)).toISOString()}) and waits for every stream to pass it; stream it.network.events/2 has reached ${new Date(behind.at).toISOString()}`,
      });
      expect(trigger.afterDataset({ candidates: five, watermark: undefined })).toMatchObject({ train: false, reason: expect.stringMatching(/no stream is on record$/) });
    });

    it('takes the same decision whichever order two streams\' datasets arrive in', () => {
      // Two partitions, one busy and one quiet, each cut into datasets of its own sizes and spans.
      const stream = (partition: number, spans: Array<[number, number, number]>): CatalogDataset[] =>
        spans.map(([fromMin, toMin, rows], i) => ({
          datasetId: `it.network.events-p${partition}-${i * 1000}-${i * 1000 + rows - 1}.f1.w1-1m-10m`,
          silverKey: `silver/p${partition}-${i}.parquet`,
          sha256: 'b'.repeat(64),
          rows,
          featureVersion: 'f1.w1-1m-10m',
          minEventTime: T0 + fromMin * 60_000,
          maxEventTime: T0 + toMin * 60_000,
        }));
      const busy = stream(0, [[0, 50, 12_000], [50, 95, 12_000], [95, 140, 12_000], [140, 190, 12_000], [190, 240, 12_000], [240, 280, 12_000]]);
      const quiet = stream(1, [[0, 130, 9_000], [130, 260, 9_000], [260, 300, 3_000]]);
      const rng = mulberry32(7);
      const plans = new Set<string>();
      for (let run = 0; run < 40; run++) {
        // One interleaving: each stream's own datasets stay in order, as silver.ready's key keeps them.
        const queues = [[...busy], [...quiet]];
        const arrived: CatalogDataset[] = [];
        let plan: string | undefined;
        while (!plan && queues.some((q) => q.length > 0)) {
          const open = queues.filter((q) => q.length > 0);
          arrived.push(open[Math.floor(rng() * open.length)]!.shift()!);
          const ends = new Map<string, StreamEnd>();
          for (const d of arrived) {
            const stream = streamOfDataset(d.datasetId);
            const known = ends.get(stream);
            ends.set(stream, { stream, start: Math.min(known?.start ?? Infinity, d.minEventTime), end: Math.max(known?.end ?? 0, d.maxEventTime) });
          }
          const watermark = trigger.watermark([...ends.values()], ['it.network.events/0', 'it.network.events/1']);
          const decision = trigger.afterDataset({ candidates: arrived.filter((d) => d.maxEventTime <= watermark!.at), watermark });
          if (decision.train) plan = JSON.stringify({ at: decision.plan.decidedAt, training: ids(decision.plan.window.training), holdout: ids(decision.plan.window.holdout) });
        }
        plans.add(plan ?? 'none');
      }
      expect([...plans]).toHaveLength(1);
      const [only] = plans;
      // 50,000 rows are first reached at the busy stream's 4th dataset (48,000 + the quiet one's 9,000).
      expect(JSON.parse(only!)).toMatchObject({ at: busy[3]!.datasetId });
    });
  });

  describe('once a model exists', () => {
    const newestModel = { version: '1', windowEndMs: end(hours(5)) };

    it('trains nothing more without drift or a schedule', () => {
      const lots = hours(40);
      expect(trigger.afterDataset({ candidates: lots, watermark: upTo(end(lots)), newestModel })).toMatchObject({ train: false, reason: expect.stringMatching(/schedule is off/) });
    });

    it('retrains for an open drift request only once the new regime alone holds TRAINER_RETRAIN_MIN_ROWS rows, and only on it', () => {
      const before = hours(10);
      const openRequest = { id: '7', regimeSince: T0 + 10 * HOUR, eventId: 'drift-1' };
      const twoOfRegime = [...before, ...hours(2, 10_000, 10)];
      expect(trigger.afterDataset({ candidates: twoOfRegime, watermark: upTo(end(twoOfRegime)), newestModel, openRequest })).toEqual({
        train: false,
        reason: `drift retrain waits for 30000 rows since ${new Date(T0 + 10 * HOUR).toISOString()}; 20000 so far`,
      });

      const threeOfRegime = [...before, ...hours(3, 10_000, 10)];
      const decision = trigger.afterDataset({ candidates: threeOfRegime, watermark: upTo(end(threeOfRegime)), newestModel, openRequest });
      expect(decision).toMatchObject({ train: true, plan: { trigger: 'drift.detected', regime: { since: T0 + 10 * HOUR, requestId: '7' } } });
      if (!decision.train) return;
      expect(ids([...decision.plan.window.training, ...decision.plan.window.holdout])).toEqual(['d010', 'd011', 'd012']);
    });

    it('does not count a dataset that straddles the regime start as new-regime data', () => {
      const candidates = hours(6);
      const openRequest = { id: '1', regimeSince: T0 + 2 * HOUR + 1, eventId: 'drift-1' };
      const decision = new TrainingTrigger({ ...settings, retrainMinRows: 30_000 }).afterDataset({ candidates, watermark: upTo(end(candidates)), newestModel, openRequest });
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
      expect(scheduled.afterDataset({ candidates: early, watermark: upTo(end(early)), newestModel })).toEqual({
        train: false,
        reason: `the scheduled retrain is due at event time ${new Date(T0 + 29 * HOUR).toISOString()}`,
      });
      const due = hours(30);
      expect(scheduled.afterDataset({ candidates: due, watermark: upTo(end(due)), newestModel })).toMatchObject({ train: true, plan: { trigger: 'schedule', until: end(due), decidedAt: 'd029' } });
    });

    it('depends on event time only: the same history decides the same whenever it is replayed', () => {
      const due = hours(30);
      const first = scheduled.afterDataset({ candidates: due, watermark: upTo(end(due)), newestModel });
      jest.useFakeTimers({ now: Date.parse('2031-01-01T00:00:00Z') });
      try {
        expect(scheduled.afterDataset({ candidates: due, watermark: upTo(end(due)), newestModel })).toEqual(first);
      } finally {
        jest.useRealTimers();
      }
    });

    it('waits for the drift retrain while a drift request is open', () => {
      const due = hours(30);
      const openRequest = { id: '2', regimeSince: T0 + 29 * HOUR, eventId: 'drift-9' };
      expect(scheduled.afterDataset({ candidates: due, watermark: upTo(end(due)), newestModel, openRequest })).toMatchObject({ train: false, reason: expect.stringMatching(/drift retrain waits/) });
    });
  });
});
