import {
  context,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { recordFailure } from './internal-span';
import { extractTraceContext, readRunId, type IncomingKafkaHeaders } from './kafka-headers';
import { ATTR_RUN_ID } from './span-attributes';

const tracer = () => trace.getTracer('@flowsentry/telemetry');

/**
 * Runs a message handler inside a CONSUMER span that continues the producer's trace, records
 * any exception on the span and rethrows it (the caller's retry/DLQ policy decides what next).
 * The run id header becomes `flowsentry.run_id` unless the caller sets it.
 */
export async function withConsumerSpan<T>(
  name: string,
  headers: IncomingKafkaHeaders | undefined,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
  links?: Link[],
): Promise<T> {
  const runId = readRunId(headers);
  const span = tracer().startSpan(
    name,
    {
      kind: SpanKind.CONSUMER,
      attributes: runId === undefined ? attributes : { [ATTR_RUN_ID]: runId, ...attributes },
      links,
    },
    parentContext(headers),
  );
  try {
    return await context.with(trace.setSpan(context.active(), span), () => fn(span));
  } catch (error) {
    recordFailure(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * When the kafkajs instrumentation already opened a span for this message, the active span is
 * in the producer's trace: nest under it so the trace reads producer → receive → handler. When
 * it did not (instrumentation off, or batch handlers), parent on the headers directly.
 */
function parentContext(headers: IncomingKafkaHeaders | undefined): Context {
  const extracted = extractTraceContext(headers);
  const remote = trace.getSpanContext(extracted);
  const active = trace.getSpanContext(context.active());
  if (remote && active && trace.isSpanContextValid(active) && active.traceId === remote.traceId) {
    return context.active();
  }
  return extracted;
}
