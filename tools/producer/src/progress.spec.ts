import { formatDuration, formatProgress, formatSummary } from './progress';
import type { RunSummary } from './runner';

const stats = { sent: 500, total: 1000, labels: { normal: 450, portscan: 50 }, elapsedMs: 5000, sendMs: 100, generateMs: 200, waitMs: 4000 };

describe('progress output', () => {
  it('shows sent, achieved vs target rate, label mix, elapsed and ETA on one line', () => {
    expect(formatProgress(stats, 100, true)).toBe('sent 500/1000 (50.0%) | 100 ev/s (target 100) | normal 90.0% portscan 10.0% | elapsed 5s eta 5s');
  });

  it('formats durations compactly', () => {
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(65_000)).toBe('1m05s');
    expect(formatDuration(3 * 3_600_000 + 60_000)).toBe('3h01m');
    expect(formatDuration(Infinity)).toBe('?');
  });

  it('summarises counts per label and says when the target rate was not met', () => {
    const summary: RunSummary = { ...stats, sent: 1000, paced: true, targetRate: 5000, achievedRate: 200, rateMet: false, interrupted: false, sendMs: 4500 };
    const text = formatSummary(summary, 'kafka topic network.events');
    expect(text).toMatch(/^done: 1000 events to kafka topic network.events/);
    expect(text).toMatch(/normal\s+450\s+45\.00%/);
    expect(text).toContain('target rate NOT met: achieved 200 ev/s of 5000 ev/s; bottleneck: the sink');
  });
});
