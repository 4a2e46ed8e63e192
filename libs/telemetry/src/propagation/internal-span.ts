import { Attributes, Span, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = () => trace.getTracer('@flowsentry/telemetry');

/** A child span around one step of a handler (write, audit, emit), so Jaeger shows where a batch's time went. */
export async function withSpan<T>(name: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn();
    } catch (error) {
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Trace id of the active span, recorded in audit rows so a run's rows lead to its trace in Jaeger. */
export function currentTraceId(): string | undefined {
  const ctx = trace.getActiveSpan()?.spanContext();
  return ctx && trace.isSpanContextValid(ctx) ? ctx.traceId : undefined;
}

/**
 * The active span as a W3C `traceparent`, to be stored with what the span handled so that a later
 * span that fans it in can link to it; undefined outside a valid span.
 */
export function currentTraceparent(): string | undefined {
  const ctx = trace.getActiveSpan()?.spanContext();
  if (!ctx || !trace.isSpanContextValid(ctx)) return undefined;
  return `00-${ctx.traceId}-${ctx.spanId}-${ctx.traceFlags.toString(16).padStart(2, '0')}`;
}

/** Marks a span failed with the exception attached, as Jaeger shows errors. */
export function recordFailure(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}
