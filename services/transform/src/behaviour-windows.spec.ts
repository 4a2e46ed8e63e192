import { NetworkEvent } from '@flowsentry/contracts';
import { BehaviourWindows } from './behaviour-windows';
import { windowSpecs } from './windows';

const specs = windowSpecs([60_000, 600_000]);
const T0 = Date.UTC(2026, 10, 30, 9, 0, 0);

function flow(tsMs: number, src: string, dst: string, dstPort = 443): NetworkEvent {
  return { ts: tsMs, sensor_id: 's', src_ip: src, dst_ip: dst, src_port: 50000, dst_port: dstPort, protocol: 'tcp', bytes_in: 400, bytes_out: 600, packets_in: 4, packets_out: 4, duration_ms: 200, conn_state: 'SF' };
}

/** A host that browses irregularly and, in between, checks in with one C2 host every 60 s. */
function infectedHost(): NetworkEvent[] {
  const events: NetworkEvent[] = [];
  let state = 7;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  for (let t = T0; t < T0 + 600_000; t += Math.floor(1_000 + 20_000 * random())) events.push(flow(t, '10.1.0.5', `198.51.100.${1 + Math.floor(random() * 50)}`));
  for (let t = T0 + 30_000; t < T0 + 600_000; t += 60_000) events.push(flow(t, '10.1.0.5', '203.0.113.66'));
  return events.sort((a, b) => (a.ts as number) - (b.ts as number));
}

describe('BehaviourWindows', () => {
  it('adds per-pair columns after the per-source ones, for every window', () => {
    expect(BehaviourWindows.columns(specs).slice(-6)).toEqual(['pair_conn_count_1m', 'pair_iat_mean_s_1m', 'pair_iat_cv_1m', 'pair_conn_count_10m', 'pair_iat_mean_s_10m', 'pair_iat_cv_10m']);
  });

  it('counts a pair’s flows and their gaps apart from the source’s other traffic (hand-computed)', () => {
    const w = BehaviourWindows.create(specs);
    w.observe(flow(T0, 'a', 'x'));
    w.observe(flow(T0 + 5_000, 'a', 'y'));
    w.observe(flow(T0 + 10_000, 'a', 'x'));
    const last = w.observe(flow(T0 + 30_000, 'a', 'x'));

    expect(last.src_conn_count_1m).toBe(4);
    expect(last.pair_conn_count_1m).toBe(3);
    // Gaps to x: 10 s and 20 s → mean 15 s, population std 5 s, CV 1/3.
    expect(last.pair_iat_mean_s_1m).toBe(15);
    expect(last.pair_iat_cv_1m).toBeCloseTo(1 / 3, 12);
  });

  it('shows a beacon hidden in its host’s traffic as a regular pair while the source looks irregular', () => {
    const w = BehaviourWindows.create(specs);
    let beacon = {} as Record<string, number | null>;
    let other = {} as Record<string, number | null>;
    for (const event of infectedHost()) {
      const features = w.observe(event);
      if (event.dst_ip === '203.0.113.66') beacon = features;
      else other = features;
    }

    expect(beacon.pair_conn_count_10m).toBeGreaterThanOrEqual(9);
    expect(beacon.pair_iat_mean_s_10m).toBe(60);
    expect(beacon.pair_iat_cv_10m).toBe(0);
    expect(other.src_iat_cv_10m).toBeGreaterThan(0.4);
  });

  it('continues bit for bit after a snapshot and restore mid-stream', () => {
    const events = infectedHost();
    const straight = BehaviourWindows.create(specs);
    const expected = events.map((e) => straight.observe(e));

    let restored = BehaviourWindows.create(specs);
    const got = events.map((e, i) => {
      if (i % 7 === 3) restored = BehaviourWindows.restore(specs, restored.snapshot());
      return restored.observe(e);
    });

    expect(got).toEqual(expected);
    expect(restored.snapshot().equals(straight.snapshot())).toBe(true);
  });

  it('refuses a snapshot made with other windows', () => {
    const bytes = BehaviourWindows.create(specs).snapshot();
    expect(() => BehaviourWindows.restore(windowSpecs([300_000]), bytes)).toThrow();
  });
});
