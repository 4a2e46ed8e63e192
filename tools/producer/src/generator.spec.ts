import { NetworkEvent, NetworkEventV1, eventTimeMs } from '@flowsentry/contracts';
import { ATTACK_NAMES } from './attacks';
import { TrafficGenerator } from './generator';
import { ScenarioOptions, planScenario } from './scenario';

const NOW = Date.UTC(2025, 5, 1);
/** A Monday, so the first simulated day is a working day. */
const MONDAY = Date.UTC(2025, 0, 6);

function options(over: Partial<ScenarioOptions> = {}): ScenarioOptions {
  return { seed: 'spec', hosts: 30, count: 5000, rate: 100, timeScale: 60, startMs: MONDAY, attacks: [...ATTACK_NAMES], attackShare: 0.2, driftAt: null, ...over };
}

function generate(over: Partial<ScenarioOptions> = {}): NetworkEvent[] {
  return [...new TrafficGenerator(planScenario(options(over), NOW))];
}

describe('TrafficGenerator', () => {
  it('produces exactly the requested number of events', () => {
    expect(generate({ count: 1234 })).toHaveLength(1234);
  });

  it('repeats the identical sequence, ids included, for the same seed and options', () => {
    expect(generate({ count: 3000 })).toEqual(generate({ count: 3000 }));
  });

  it('produces a different sequence for a different seed', () => {
    const a = generate({ count: 500 });
    const b = generate({ count: 500, seed: 'another' });
    expect(a.map((e) => [e.ts, e.src_ip, e.bytes_in])).not.toEqual(b.map((e) => [e.ts, e.src_ip, e.bytes_in]));
    expect(new Set(a.map((e) => e.event_id)).has(b[0]!.event_id)).toBe(false);
  });

  it('gives every event a unique id', () => {
    const events = generate({ count: 20_000 });
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
  });

  it('emits events in timestamp order, starting at the simulated start', () => {
    const events = generate();
    const times = events.map(eventTimeMs);
    expect(times[0]).toBeGreaterThanOrEqual(MONDAY);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
  });

  it('validates every event against NetworkEvent v1 across all profiles, attacks and the drift phase', () => {
    const events = [
      ...generate({ count: 40_000, timeScale: 2000, driftAt: 0.5 }),
      ...generate({ count: 10_000, timeScale: 1, seed: 'live', attackShare: 0.5 }),
      ...generate({ count: 5_000, hosts: 1, seed: 'tiny-org', attacks: [] }),
    ];
    const failures = events.filter((e) => !NetworkEventV1.safeParse(e).success);
    expect(failures.slice(0, 3)).toEqual([]);
    const labels = new Set(events.map((e) => e.label));
    expect([...labels].sort()).toEqual([...ATTACK_NAMES, 'normal'].sort());
    const apps = new Set(events.map((e) => e.app_proto));
    for (const app of ['ssl', 'http', 'dns', 'ntp', 'smtp', 'ldap', 'smb', 'krb', 'ssh', 'postgresql', 'rdp', 'quic']) expect(apps).toContain(app);
  }, 60_000);

  it('labels normal traffic "normal" and only attack flows with attack names', () => {
    const scenario = planScenario(options(), NOW);
    const events = [...new TrafficGenerator(scenario)];
    for (const e of events.filter((x) => x.label !== 'normal')) {
      const episode = scenario.episodes.find((ep) => ep.attack === e.label)!;
      const t = eventTimeMs(e);
      expect(t).toBeGreaterThanOrEqual(Math.floor(episode.startMs));
      expect(t).toBeLessThan(episode.endMs);
    }
    expect(events.filter((e) => e.label === 'normal').length / events.length).toBeGreaterThan(0.5);
  });

  it('keeps counters consistent with protocol and outcome', () => {
    const inconsistent = generate({ count: 20_000, driftAt: 0.5 }).filter(
      (e) =>
        (e.protocol === 'udp' && e.tcp_flags !== undefined) ||
        (e.protocol === 'tcp' && !/^[UAPRSF]+$/.test(e.tcp_flags ?? '')) ||
        (e.conn_state === 'S0' && (e.bytes_in !== 0 || e.packets_in !== 0)) ||
        e.bytes_out < 28 * e.packets_out ||
        e.bytes_in < 28 * e.packets_in ||
        (e.packets_in === 0 && e.bytes_in !== 0),
    );
    expect(inconsistent.slice(0, 3)).toEqual([]);
  }, 60_000);

  it('keys events by one of a few sensors: edge for traffic crossing the perimeter, core otherwise', () => {
    const events = generate({ count: 3000 });
    const sensors = new Set(events.map((e) => e.sensor_id));
    expect([...sensors].sort()).toEqual(['branch-core-01', 'edge-fw-01', 'hq-core-01']);
    for (const e of events) {
      const crossesEdge = !e.src_ip.startsWith('10.') || !e.dst_ip.startsWith('10.');
      expect(e.sensor_id === 'edge-fw-01').toBe(crossesEdge);
    }
  });
});
