import { rawBatchRef } from './object-keys';
import { formatRef, parseRef } from './layers';

describe('RAW object keys', () => {
  it('derive from topic, partition, offset range and the first message day only', () => {
    const ts = Date.UTC(2026, 10, 21, 23, 59, 59);
    const ref = rawBatchRef('network.events', 2, '100', '199', ts);
    expect(formatRef(ref)).toBe('raw/date=2026-11-21/network.events/p2-100-199.jsonl.gz');
    expect(rawBatchRef('network.events', 2, '100', '199', ts)).toEqual(ref);
  });

  it('parse back from their printed form and reject unknown layers', () => {
    expect(parseRef('raw/date=2026-11-21/x.jsonl.gz')).toEqual({ layer: 'raw', key: 'date=2026-11-21/x.jsonl.gz' });
    expect(() => parseRef('gold/x')).toThrow(/layer one of raw, silver/);
    expect(() => parseRef('raw/')).toThrow();
  });
});
