import { ChampionComparison, decide, policyFor } from './promotion-policy';
import { GateResult } from './sanity-gates';

const passed: GateResult[] = [
  { gate: 'engine-agreement', passed: true, detail: '' },
  { gate: 'finite-scores', passed: true, detail: '' },
  { gate: 'alert-rate', passed: true, detail: '' },
];
const failedAlertRate: GateResult[] = [...passed.slice(0, 2), { gate: 'alert-rate', passed: false, detail: 'alert rate on held-out normal rows 4% against a limit of 0.3%' }];
const tolerance = 0.01;

describe('promotion policy', () => {
  it('promotes the first model of a name in auto on the sanity gates alone', () => {
    expect(decide('auto', passed, { kind: 'none' }, tolerance)).toMatchObject({ decision: 'approved', reason: expect.stringMatching(/first model/) });
  });

  it('does not promote a challenger that is worse than the champion on labelled data in auto', () => {
    const worse: ChampionComparison = { kind: 'labelled', version: '1', challenger: 0.81, champion: 0.93 };
    const verdict = decide('auto', passed, worse, tolerance);
    expect(verdict.decision).toBe('rejected');
    expect(verdict.reason).toMatch(/worse than the champion.*ROC-AUC 0\.8100 vs champion v1's 0\.9300/);
  });

  it('promotes a challenger no worse than the champion within the tolerance, and not one just beyond it', () => {
    expect(decide('auto', passed, { kind: 'labelled', version: '1', challenger: 0.905, champion: 0.91 }, tolerance).decision).toBe('approved');
    expect(decide('auto', passed, { kind: 'labelled', version: '1', challenger: 0.95, champion: 0.91 }, tolerance).decision).toBe('approved');
    expect(decide('auto', passed, { kind: 'labelled', version: '1', challenger: 0.899, champion: 0.91 }, tolerance).decision).toBe('rejected');
  });

  it('lets the gates alone decide in auto when neither model can be ranked by labels', () => {
    expect(decide('auto', passed, { kind: 'unlabelled', version: '3' }, tolerance)).toMatchObject({ decision: 'approved', reason: expect.stringMatching(/no labels.*gates decide/) });
  });

  it('asks a person in auto when the champion could not be scored on the held-out rows', () => {
    expect(decide('auto', passed, { kind: 'unscored', version: '2', reason: 'missing-object' }, tolerance)).toMatchObject({ decision: 'pending', reason: expect.stringMatching(/champion v2 could not be scored/) });
  });

  it('rejects on a failed gate under either policy, naming the gate and why', () => {
    for (const policy of ['auto', 'manual'] as const) {
      const verdict = decide(policy, failedAlertRate, { kind: 'none' }, tolerance);
      expect(verdict.decision).toBe('rejected');
      expect(verdict.reason).toMatch(/failed sanity gates: alert-rate \(alert rate on held-out normal rows 4%/);
    }
  });

  it('keeps a model that passes the gates pending in manual, even when it beats the champion', () => {
    const verdict = decide('manual', passed, { kind: 'labelled', version: '1', challenger: 0.99, champion: 0.9 }, tolerance);
    expect(verdict).toMatchObject({ policy: 'manual', decision: 'pending' });
    expect(verdict.reason).toMatch(/waits for a person/);
  });

  it('applies the per-model override, else the default policy', () => {
    const settings = { EVALUATOR_POLICY: 'auto' as const, EVALUATOR_POLICIES: { 'network-flows': 'manual' as const } };
    expect(policyFor('network-flows', settings)).toBe('manual');
    expect(policyFor('dns-flows', settings)).toBe('auto');
  });
});
