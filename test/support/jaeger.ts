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

/** One trace by id, or undefined while Jaeger does not have it (yet). */
export async function getTrace(traceId: string): Promise<JaegerTrace | undefined> {
  const res = await fetch(`${queryUrl()}/api/traces/${traceId}`);
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`jaeger answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { data: JaegerTrace[] }).data?.[0];
}

/** The spans of a trace that have no parent inside it (a connected trace has exactly one). */
export function rootsOf(trace: JaegerTrace): JaegerSpan[] {
  const ids = new Set(trace.spans.map((s) => s.spanID));
  return trace.spans.filter((s) => !s.references.some((r) => r.refType === 'CHILD_OF' && ids.has(r.spanID)));
}
