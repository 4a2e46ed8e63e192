import { BatchEvidence, DriftRuleSettings, DriftState, DriftVerdict, judgeDrift, NO_DRIFT, severityOf } from './drift-rule';

const HOUR = 3_600_000;
const settings: DriftRuleSettings = { driftShare: 0.5, scorePsi: 0.2, minRows: 500, consecutive: 3, cooldownMs: 6 * HOUR };
const T0 = Date.parse('2026-11-20T00:00:00Z');

/** A batch of stream p0 every ten minutes of event time. */
const batch = (n: number, evidence: Partial<BatchEvidence> = {}): BatchEvidence => ({ datasetId: `d${n}`, stream: 'p0', rows: 2000, eventTimeMs: T0 + n * 600_000, driftShare: 0.1, scorePsi: 0.02, ...evidence });
const drifted = (n: number, evidence: Partial<BatchEvidence> = {}) => batch(n, { driftShare: 0.8, ...evidence });
type Raise = Extract<DriftVerdict, { kind: 'raise' }>;

/** Feeds batches through the rule as the handler does (the state each verdict leaves is what the next batch reads). */
function run(batches: BatchEvidence[], from: DriftState = NO_DRIFT): DriftVerdict[] {
  let state = from;
  return batches.map((b) => {
    const verdict = judgeDrift(state, b, settings);
    state = verdict.state;
    return verdict;
  });
}

describe('the drift.detected rule', () => {
  it('raises once the third consecutive batch of a stream drifts, naming the streak, the stream and the measure that crossed', () => {
    const verdicts = run([drifted(1), drifted(2), drifted(3)]);
    expect(verdicts.map((v) => v.kind)).toEqual(['drifting', 'drifting', 'raise']);
    const raised = verdicts[2] as Raise;
    expect(raised.datasets).toEqual(['d1', 'd2', 'd3']);
    expect(raised.reason).toBe('3 consecutive drifted batches of stream p0; the last: 80% of features drifted (threshold 50%)');
    expect(raised.state).toEqual({ streams: {}, raisedAtMs: T0 + 3 * 600_000, raisedDataset: 'd3' });
  });

  it('counts score drift alone: a shifted score distribution with no single feature over its threshold', () => {
    expect(run([1, 2, 3].map((n) => batch(n, { scorePsi: 0.25 }))).at(-1)!.kind).toBe('raise');
  });

  it('a stable batch breaks its stream’s streak; small batches neither extend nor break it', () => {
    expect(run([drifted(1), drifted(2), batch(3), drifted(4), drifted(5)]).map((v) => v.kind)).toEqual(['drifting', 'drifting', 'stable', 'drifting', 'drifting']);
    const verdicts = run([drifted(1), drifted(2), batch(3, { rows: 120, driftShare: 0 }), drifted(4)]);
    expect(verdicts.map((v) => v.kind)).toEqual(['drifting', 'drifting', 'too-small', 'raise']);
  });

  it('counts each source stream apart: a stream that did not change does not hide the shift of one that did', () => {
    // The perimeter stream drifts, the core stream does not; their batches interleave.
    const verdicts = run([drifted(1), batch(2, { stream: 'p1' }), drifted(3), batch(4, { stream: 'p1' }), drifted(5)]);
    expect(verdicts.map((v) => v.kind)).toEqual(['drifting', 'stable', 'drifting', 'stable', 'raise']);
    // Nor do two streams' single drifted batches add up to a streak.
    expect(run([drifted(1), drifted(2, { stream: 'p1' }), batch(3), drifted(4, { stream: 'p1' })]).map((v) => v.kind)).toEqual(['drifting', 'drifting', 'stable', 'drifting']);
  });

  it('a batch that was not judged (too few rows for the tests) is no evidence of drift', () => {
    expect(run([1, 2, 3].map((n) => batch(n, { driftShare: null, scorePsi: null }))).map((v) => v.kind)).toEqual(['stable', 'stable', 'stable']);
  });

  it('one shift gives one drift.detected: sustained drift stays silent through the cool-down, counted in event time', () => {
    const shift = Array.from({ length: 30 }, (_, i) => drifted(i + 1, { stream: i % 2 ? 'p0' : 'p1' })); // five hours, both streams
    const kinds = run(shift).map((v) => v.kind);
    expect(kinds.filter((k) => k === 'raise')).toHaveLength(1);
    expect(kinds.slice(6).every((k) => k === 'drifting' || k === 'cooling-down')).toBe(true);
  });

  it('raises again for the same champion once the cool-down of event time has passed and the drift persists', () => {
    const verdicts = run(Array.from({ length: 40 }, (_, i) => drifted(i + 1)));
    const raises = verdicts.flatMap((v, i) => (v.kind === 'raise' ? [i + 1] : []));
    // Raised at batch 3; silent for 6 h (36 batches of 10 min); the first drifted batch after that raises again.
    expect(raises).toEqual([3, 39]);
    const cooling = verdicts[10] as Extract<DriftVerdict, { kind: 'cooling-down' }>;
    expect(cooling.until).toBe(T0 + 3 * 600_000 + 6 * HOUR);
  });

  it('a batch older than the last drift.detected (late, on another partition) is inside the cool-down', () => {
    const [, , raised] = run([drifted(10), drifted(11), drifted(12)]);
    const late = run([drifted(1, { stream: 'p1' }), drifted(2, { stream: 'p1' }), drifted(3, { stream: 'p1' })], raised!.state);
    expect(late.at(-1)!.kind).toBe('cooling-down');
  });

  it('a new champion starts over with no drift on record, so its first shift raises after its own streak', () => {
    const [, , raised] = run([drifted(1), drifted(2), drifted(3)]);
    expect(raised!.kind).toBe('raise');
    // The champion.changed handler stores NO_DRIFT for the new champion: no cool-down carried over.
    expect(run([drifted(4), drifted(5), drifted(6)], NO_DRIFT).at(-1)!.kind).toBe('raise');
    expect(run([drifted(4), drifted(5), drifted(6)], raised!.state).at(-1)!.kind).toBe('cooling-down');
  });

  it('grades severity by how far past its threshold the raising batch is', () => {
    expect([1, 1.39, 1.4, 1.99, 2, 5].map(severityOf)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
    const severityAt = (evidence: Partial<BatchEvidence>) => (run([1, 2, 3].map((n) => batch(n, evidence))).at(-1) as Raise).severity;
    expect(severityAt({ driftShare: 0.55 })).toBe('low');
    expect(severityAt({ driftShare: 0.8 })).toBe('medium');
    expect(severityAt({ driftShare: 1 })).toBe('high');
    expect(severityAt({ scorePsi: 0.45 })).toBe('high');
  });
});
