import { ATTACK_NAMES } from './attacks';
import { ScenarioError, ScenarioOptions, defaultStartMs, planScenario } from './scenario';

const NOW = Date.UTC(2025, 5, 1);
const base: ScenarioOptions = { seed: 'plan', hosts: 10, count: 10_000, rate: 100, timeScale: 360, startMs: Date.UTC(2025, 0, 6), attacks: [...ATTACK_NAMES], attackShare: 0.25, driftAt: 0.6 };

describe('planScenario', () => {
  it('spans count / rate seconds of real time, times the time scale', () => {
    const s = planScenario(base, NOW);
    expect(s.endMs - s.startMs).toBe((10_000 / 100) * 360 * 1000);
  });

  it('places one episode per attack, inside the run, without overlaps, for the requested share of time', () => {
    const s = planScenario(base, NOW);
    expect(s.episodes.map((e) => e.attack).sort()).toEqual([...ATTACK_NAMES].sort());
    const sorted = [...s.episodes].sort((a, b) => a.startMs - b.startMs);
    sorted.forEach((e, i) => {
      expect(e.startMs).toBeGreaterThanOrEqual(s.startMs);
      expect(e.endMs).toBeLessThanOrEqual(s.endMs);
      if (i > 0) expect(e.startMs).toBeGreaterThanOrEqual(sorted[i - 1]!.endMs);
    });
    const inAttack = s.episodes.reduce((sum, e) => sum + (e.endMs - e.startMs), 0);
    expect(inAttack / (s.endMs - s.startMs)).toBeCloseTo(0.25, 6);
  });

  it('puts the drift point at the requested fraction of the run', () => {
    const s = planScenario(base, NOW);
    expect(s.driftAtMs).toBe(s.startMs + 0.6 * (s.endMs - s.startMs));
    expect(planScenario({ ...base, driftAt: null }, NOW).driftAtMs).toBeNull();
  });

  it('keeps at least half of the run normal however aggressive the attack settings', () => {
    const s = planScenario({ ...base, attackShare: 0.8, attacks: ['synflood'] }, NOW);
    expect(s.backgroundEvents).toBeGreaterThanOrEqual(0.5 * base.count - 1e-6);
  });

  it('plans no episodes for no attacks or a zero share', () => {
    expect(planScenario({ ...base, attacks: [] }, NOW).episodes).toEqual([]);
    expect(planScenario({ ...base, attackShare: 0 }, NOW).episodes).toEqual([]);
  });

  it('derives the run id from the options, so different options never share event ids', () => {
    expect(planScenario(base, NOW).runId).toBe(planScenario(base, NOW).runId);
    expect(planScenario(base, NOW).runId).not.toBe(planScenario({ ...base, hosts: 11 }, NOW).runId);
  });

  it('refuses runs whose timestamps NetworkEvent would reject', () => {
    expect(() => planScenario({ ...base, startMs: Date.UTC(1999, 11, 31) }, NOW)).toThrow(ScenarioError);
    expect(() => planScenario({ ...base, startMs: NOW, timeScale: 100_000 }, NOW)).toThrow(/now \+ 24 h/);
  });

  it('refuses shares and drift points outside their ranges', () => {
    expect(() => planScenario({ ...base, attackShare: 0.95 }, NOW)).toThrow(ScenarioError);
    expect(() => planScenario({ ...base, driftAt: 1 }, NOW)).toThrow(ScenarioError);
  });
});

describe('defaultStartMs', () => {
  it('starts now when the run fits before now + 24 h', () => {
    expect(defaultStartMs(3_600_000, NOW)).toBe(NOW);
  });

  it('places a long simulated run so that it ends about now', () => {
    const span = 30 * 86_400_000;
    const start = defaultStartMs(span, NOW);
    expect(start + span).toBeLessThanOrEqual(NOW);
    expect(start + span).toBeGreaterThan(NOW - 0.11 * span);
    expect(() => planScenario({ ...base, count: 1000, rate: 1, timeScale: 2592, startMs: start }, NOW)).not.toThrow();
  });
});
