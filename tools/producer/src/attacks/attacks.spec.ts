import { NetworkEvent, NetworkEventV1, eventTimeMs } from '@flowsentry/contracts';
import { TrafficGenerator } from '../generator';
import { ScenarioOptions, planScenario } from '../scenario';
import { AttackName } from './attack';
import { ATTACK_NAMES } from '.';

const NOW = Date.UTC(2025, 5, 1);
const START = Date.UTC(2025, 0, 7, 8);

/** A run with one attack taking a fifth of the time: four simulated hours at 3600x. */
function episodeOf(attack: AttackName, over: Partial<ScenarioOptions> = {}): { attack: NetworkEvent[]; all: NetworkEvent[] } {
  const scenario = planScenario(
    { seed: `sig-${attack}`, hosts: 30, count: 8000, rate: 2000, timeScale: 3600, startMs: START, attacks: [attack], attackShare: 0.2, driftAt: null, ...over },
    NOW,
  );
  const all = [...new TrafficGenerator(scenario)];
  return { attack: all.filter((e) => e.label === attack), all };
}

const distinct = <T>(xs: T[]) => new Set(xs).size;

describe.each(ATTACK_NAMES)('%s episode', (name) => {
  const { attack, all } = episodeOf(name);

  it('carries its label and produces enough flows to be recognisable', () => {
    expect(attack.length).toBeGreaterThanOrEqual(12);
    expect(attack.length).toBeLessThan(0.55 * all.length);
  });

  it('validates against NetworkEvent v1', () => {
    for (const e of attack) expect(NetworkEventV1.safeParse(e).success).toBe(true);
  });

  it('validates also when run in real time (short episodes, high rates)', () => {
    const live = episodeOf(name, { timeScale: 1, rate: 200, count: 4000 }).attack;
    expect(live.length).toBeGreaterThan(0);
    for (const e of live) expect(NetworkEventV1.safeParse(e).success).toBe(true);
  });
});

describe('attack signatures', () => {
  it('portscan: one source probes many distinct ports of one target with tiny, never-completed connections', () => {
    const { attack } = episodeOf('portscan');
    expect(distinct(attack.map((e) => e.src_ip))).toBe(1);
    expect(distinct(attack.map((e) => e.dst_ip))).toBe(1);
    expect(distinct(attack.map((e) => e.dst_port))).toBeGreaterThan(0.95 * attack.length);
    for (const e of attack) {
      expect(['S0', 'REJ', 'RSTO']).toContain(e.conn_state);
      expect(e.bytes_out).toBeLessThanOrEqual(120);
      expect(e.bytes_in).toBeLessThanOrEqual(60);
    }
    expect(attack.filter((e) => e.conn_state === 'S0' || e.conn_state === 'REJ').length).toBeGreaterThan(0.8 * attack.length);
  });

  it('synflood: many spoofed sources send lone SYNs to one target port, all S0', () => {
    const { attack } = episodeOf('synflood');
    expect(distinct(attack.map((e) => `${e.dst_ip}:${e.dst_port}`))).toBe(1);
    expect(distinct(attack.map((e) => e.src_ip))).toBeGreaterThan(0.95 * attack.length);
    for (const e of attack) expect(e).toMatchObject({ conn_state: 'S0', tcp_flags: 'S', packets_out: 1, packets_in: 0, bytes_in: 0 });
  });

  it('bruteforce: repeated short connections from one source to the same login port with near-identical sizes', () => {
    const { attack } = episodeOf('bruteforce');
    expect(distinct(attack.map((e) => e.src_ip))).toBe(1);
    expect(distinct(attack.map((e) => e.dst_port))).toBe(1);
    expect([22, 3389]).toContain(attack[0]!.dst_port);
    const failed = attack.filter((e) => ['REJ', 'RSTO', 'RSTR'].includes(e.conn_state!));
    expect(failed.length).toBeGreaterThan(0.4 * attack.length);
    const completed = attack.filter((e) => e.conn_state === 'SF').map((e) => e.bytes_out);
    const mean = completed.reduce((a, b) => a + b, 0) / completed.length;
    const sd = Math.sqrt(completed.reduce((a, b) => a + (b - mean) ** 2, 0) / completed.length);
    expect(sd / mean).toBeLessThan(0.1);
    for (const e of attack) expect(e.duration_ms).toBeLessThan(10_000);
  });

  it('exfiltration: back-to-back long records of an upload to a rare external address, bytes out far above bytes in', () => {
    const { attack, all } = episodeOf('exfiltration');
    expect(distinct(attack.map((e) => e.dst_ip))).toBe(1);
    const dst = attack[0]!.dst_ip;
    expect(all.filter((e) => e.dst_ip === dst && e.label === 'normal')).toHaveLength(0);
    expect(dst.startsWith('10.')).toBe(false);
    expect(attack[0]!.src_ip.startsWith('10.')).toBe(true);
    for (const e of attack) {
      expect(e.duration_ms).toBeGreaterThanOrEqual(30_000);
      expect(e.bytes_out).toBeGreaterThan(20 * e.bytes_in);
      expect(e.bytes_out).toBeGreaterThan(500_000);
    }
    // Several records share a source port: one long connection exported piece by piece.
    expect(distinct(attack.map((e) => e.src_port))).toBeLessThan(attack.length / 3);
    expect(attack.some((e) => e.conn_state === 'S1')).toBe(true);
  });

  it('beaconing: small connections to one external host at a near-constant interval', () => {
    const { attack } = episodeOf('beaconing');
    expect(distinct(attack.map((e) => e.dst_ip))).toBe(1);
    expect(distinct(attack.map((e) => e.src_ip))).toBe(1);
    const times = attack.map(eventTimeMs);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const sd = Math.sqrt(gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / gaps.length);
    expect(sd / mean).toBeLessThan(0.12);
    expect(mean).toBeGreaterThan(55_000);
    expect(mean).toBeLessThan(65_000);
    const small = attack.filter((e) => e.bytes_out < 2000);
    expect(small.length).toBe(attack.length);
  });
});
