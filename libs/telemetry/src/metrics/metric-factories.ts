import { Counter, Gauge, Histogram, type Metric } from 'prom-client';
import { metricsRegistry } from './registry';

type MetricClass<M> = new (...args: never[]) => M;

/**
 * Metrics are module-level singletons keyed by name: building a Nest module twice (specs, or two
 * handlers sharing a KPI) must return the existing metric, not throw prom-client's
 * "already registered". A same-named metric of another type or label set is a real conflict.
 */
function existing<M extends Metric>(name: string, type: MetricClass<M>, labelNames: readonly string[]): M | undefined {
  const metric = metricsRegistry.getSingleMetric(name);
  if (!metric) return undefined;
  const registeredLabels = (metric as unknown as { labelNames: string[] }).labelNames ?? [];
  const sameLabels =
    registeredLabels.length === labelNames.length && labelNames.every((label) => registeredLabels.includes(label));
  if (!(metric instanceof type) || !sameLabels) {
    throw new Error(`metric ${name} is already registered with a different type or labels`);
  }
  return metric;
}

export function counter<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
  return (
    existing<Counter<L>>(name, Counter, labelNames) ??
    new Counter<L>({ name, help, labelNames, registers: [metricsRegistry] })
  );
}

export function gauge<L extends string = string>(name: string, help: string, labelNames: readonly L[] = []): Gauge<L> {
  return existing<Gauge<L>>(name, Gauge, labelNames) ?? new Gauge<L>({ name, help, labelNames, registers: [metricsRegistry] });
}

/** `buckets` in the metric's unit (seconds for latencies); prom-client's defaults otherwise. */
export function histogram<L extends string = string>(
  name: string,
  help: string,
  labelNames: readonly L[] = [],
  buckets?: number[],
): Histogram<L> {
  return (
    existing<Histogram<L>>(name, Histogram, labelNames) ??
    new Histogram<L>({ name, help, labelNames, registers: [metricsRegistry], ...(buckets ? { buckets } : {}) })
  );
}
