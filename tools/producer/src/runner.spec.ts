import type { NetworkEvent } from '@flowsentry/contracts';
import { runProducer } from './runner';
import type { EventSink } from './sink';

function events(n: number, label = 'normal'): NetworkEvent[] {
  return Array.from({ length: n }, (_, i) => ({
    event_id: `e${i}`,
    ts: '2025-01-01T00:00:00.000Z',
    sensor_id: 's',
    src_ip: '10.0.0.1',
    dst_ip: '10.0.0.2',
    src_port: 1,
    dst_port: 2,
    protocol: 'tcp' as const,
    bytes_in: 0,
    bytes_out: 0,
    packets_in: 0,
    packets_out: 0,
    duration_ms: 0,
    label: i % 10 === 0 ? 'portscan' : label,
  }));
}

/** A simulated clock: sleeping and sending advance it, nothing waits for real. */
function harness(sendCostMs = 0) {
  let now = 0;
  const batches: number[] = [];
  const sink: EventSink = {
    send: async (batch) => {
      batches.push(batch.length);
      now += sendCostMs;
    },
    close: async () => undefined,
  };
  return { sink, batches, clock: () => now, sleep: async (ms: number) => void (now += ms) };
}

describe('runProducer', () => {
  it('sends everything at the target rate and reports it met', async () => {
    const h = harness();
    const summary = await runProducer({ events: events(1000), sink: h.sink, total: 1000, rate: 200, batch: 500, paced: true, clock: h.clock, sleep: h.sleep });
    expect(summary.sent).toBe(1000);
    expect(summary.elapsedMs).toBeCloseTo(5000, 0);
    expect(summary.achievedRate).toBeCloseTo(200, 0);
    expect(summary.rateMet).toBe(true);
    expect(summary.labels).toEqual({ normal: 900, portscan: 100 });
  });

  it('keeps batches small at low rates so events are not held back', async () => {
    const h = harness();
    await runProducer({ events: events(100), sink: h.sink, total: 100, rate: 20, batch: 500, paced: true, clock: h.clock, sleep: h.sleep });
    expect(Math.max(...h.batches)).toBe(4);
  });

  it('uses full batches when unpaced, and never sleeps', async () => {
    const h = harness();
    const summary = await runProducer({ events: events(1200), sink: h.sink, total: 1200, rate: 10, batch: 500, paced: false, clock: h.clock, sleep: h.sleep });
    expect(h.batches).toEqual([500, 500, 200]);
    expect(summary.waitMs).toBe(0);
    expect(summary.rateMet).toBe(true);
  });

  it('reports the target rate as not met when the sink is too slow', async () => {
    const h = harness(100); // 100 ms per send of at most 500 events => at most 5000 ev/s
    const summary = await runProducer({ events: events(20_000), sink: h.sink, total: 20_000, rate: 10_000, batch: 500, paced: true, clock: h.clock, sleep: h.sleep });
    expect(summary.rateMet).toBe(false);
    expect(summary.achievedRate).toBeLessThan(6000);
  });

  it('stops early when aborted and says it was interrupted', async () => {
    const h = harness();
    const abort = new AbortController();
    const sink: EventSink = { send: async (b) => { await h.sink.send(b); abort.abort(); }, close: h.sink.close };
    const summary = await runProducer({ events: events(1000), sink, total: 1000, rate: 100, batch: 10, paced: true, clock: h.clock, sleep: h.sleep, signal: abort.signal });
    expect(summary.sent).toBe(10);
    expect(summary.interrupted).toBe(true);
  });

  it('reports progress periodically while it runs', async () => {
    const h = harness();
    const seen: number[] = [];
    await runProducer({ events: events(1000), sink: h.sink, total: 1000, rate: 100, batch: 500, paced: true, clock: h.clock, sleep: h.sleep, onProgress: (s) => seen.push(s.sent), progressEveryMs: 1000 });
    expect(seen.length).toBeGreaterThanOrEqual(8);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
  });
});
