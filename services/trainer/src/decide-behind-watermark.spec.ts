import { decideBehindWatermark } from './decide-behind-watermark';
import { TrainingTrigger, TriggerDecision } from './training-trigger';

const trigger = new TrainingTrigger({ minRows: 2, retrainMinRows: 2, scheduleMs: 0, streamIdleMs: 0, windowRows: 10, windowMs: 0, holdoutFraction: 0.2 });
const onRecord = [{ stream: 'n/0', start: 100, end: 500 }];
const train = { train: true } as TriggerDecision;

describe('decideBehindWatermark', () => {
  function sources(streams: string[]) {
    const asked = { count: 0 };
    return { asked, list: async () => (asked.count++, streams) };
  }

  it('does not ask the broker while the streams on record already say wait', async () => {
    const broker = sources(['n/0', 'n/1']);
    const decision = await decideBehindWatermark(trigger, onRecord, broker, () => ({ train: false, reason: 'not yet' }));
    expect(decision).toEqual({ train: false, reason: 'not yet' });
    expect(broker.asked.count).toBe(0);
  });

  it('decides again counting the partitions that hold data, so one with no dataset on record yet holds the decision', async () => {
    const broker = sources(['n/0', 'n/1']);
    const seen: Array<number | undefined> = [];
    const decision = await decideBehindWatermark(trigger, onRecord, broker, (watermark) => {
      seen.push(watermark?.at);
      return watermark && watermark.at >= 500 ? train : { train: false, reason: `held by ${watermark?.heldBy}` };
    });
    expect(seen).toEqual([500, 99]);
    expect(decision).toEqual({ train: false, reason: 'held by n/1' });
    expect(broker.asked.count).toBe(1);
  });

  it('trains when every partition holding data is on record', async () => {
    const decision = await decideBehindWatermark(trigger, onRecord, sources(['n/0']), (watermark) => (watermark && watermark.at >= 500 ? train : { train: false, reason: 'no' }));
    expect(decision).toBe(train);
  });
});
