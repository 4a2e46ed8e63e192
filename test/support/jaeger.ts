import { stackEnv } from './stack-env';

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  references: Array<{ refType: string; spanID: string; traceID: string }>;
  tags: Array<{ key: string; value: unknown }>;
}
export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string }>;
}

const queryUrl = () => stackEnv('owner').JAEGER_QUERY_URL ?? 'http://127.0.0.1:16686';

/** Traces of `service` whose spans carry the given tag, through Jaeger's HTTP query API. */
export async function findTraces(service: string, tags: Record<string, string>, operation?: string): Promise<JaegerTrace[]> {
  const params = new URLSearchParams({ service, tags: JSON.stringify(tags), limit: '20', lookback: '1h' });
  if (operation) params.set('operation', operation);
  const res = await fetch(`${queryUrl()}/api/traces?${params}`);
  if (!res.ok) throw new Error(`jaeger answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: JaegerTrace[] }).data ?? [];
}

export function serviceOf(trace: JaegerTrace, span: JaegerSpan): string {
  return trace.processes[span.processID]!.serviceName;
}
