import { counter, gauge, histogram } from './metric-factories';
import { metricsRegistry } from './registry';

describe('metric factories', () => {
  it('return the already registered metric when a module is built twice', () => {
    const first = counter('spec_events_in_total', 'Events read', ['topic']);
    const second = counter('spec_events_in_total', 'Events read', ['topic']);

    expect(second).toBe(first);
    expect(histogram('spec_batch_seconds', 'Batch latency', [], [0.1, 1])).toBe(histogram('spec_batch_seconds', 'Batch latency', [], [0.1, 1]));
    expect(gauge('spec_lag', 'Consumer lag', ['partition'])).toBe(gauge('spec_lag', 'Consumer lag', ['partition']));
  });

  it('refuse a second metric of the same name with another type or label set', () => {
    counter('spec_conflict_total', 'A counter', ['topic']);

    expect(() => gauge('spec_conflict_total', 'A gauge', ['topic'])).toThrow(/spec_conflict_total/);
    expect(() => counter('spec_conflict_total', 'A counter', ['stage'])).toThrow(/spec_conflict_total/);
  });

  it('register on the process registry, which also collects default process metrics', async () => {
    counter('spec_rejected_total', 'Events rejected', ['reason']).inc({ reason: 'schema' }, 2);

    const exposition = await metricsRegistry.metrics();
    expect(exposition).toContain('spec_rejected_total{reason="schema"} 2');
    expect(exposition).toContain('process_cpu_user_seconds_total');
  });
});
