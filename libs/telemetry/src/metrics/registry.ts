import { collectDefaultMetrics, Registry } from 'prom-client';
import { qualifiedServiceName } from '../otel/service-name';

/**
 * The process's only metrics registry. A private registry (not prom-client's global one) means
 * a dependency that registers its own metrics cannot collide with ours or leak into /metrics.
 */
export const metricsRegistry = new Registry();

collectDefaultMetrics({ register: metricsRegistry });

/**
 * Labels every series with `service="flowsentry-<service>"`, the same value as the traces'
 * service.name and the logs' `service`. Default labels apply at scrape time, so metrics
 * created before this call get the label too.
 */
export function labelMetricsWithService(service: string): void {
  metricsRegistry.setDefaultLabels({ service: qualifiedServiceName(service) });
}
