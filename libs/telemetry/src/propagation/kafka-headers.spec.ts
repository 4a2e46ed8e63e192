import { context, trace } from '@opentelemetry/api';
import { startInMemoryTracing, type InMemoryTracing } from '../testing/in-memory-tracing';
import {
  extractTraceContext,
  injectTraceHeaders,
  linkFrom,
  linksFrom,
  linksFromTraceparents,
  readRunId,
  RUN_ID_HEADER,
  type IncomingKafkaHeaders,
  type OutgoingKafkaHeaders,
} from './kafka-headers';
import { currentTraceparent } from './internal-span';

/** What kafkajs hands a consumer: every header value as a Buffer. */
const asDelivered = (headers: OutgoingKafkaHeaders): IncomingKafkaHeaders =>
  Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, value === undefined ? value : Buffer.from(value)]));

describe('Kafka trace headers', () => {
  let tracing: InMemoryTracing;
  beforeAll(() => {
    tracing = startInMemoryTracing();
  });
  afterAll(() => tracing.shutdown());

  it('carries the producer span across a hop: extract yields the same trace id and the producer span as parent', () => {
    const producer = trace.getTracer('spec').startSpan('send raw.landed');
    const headers = injectTraceHeaders({ [RUN_ID_HEADER]: 'run-1' }, trace.setSpan(context.active(), producer));
    producer.end();

    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const extracted = trace.getSpanContext(extractTraceContext(asDelivered(headers)));
    expect(extracted).toMatchObject({
      traceId: producer.spanContext().traceId,
      spanId: producer.spanContext().spanId,
      isRemote: true,
    });
  });

  it('injects the active context when none is given and returns the same headers object', () => {
    const span = trace.getTracer('spec').startSpan('send');
    const headers: OutgoingKafkaHeaders = {};
    const returned = context.with(trace.setSpan(context.active(), span), () => injectTraceHeaders(headers));
    span.end();

    expect(returned).toBe(headers);
    expect(headers.traceparent).toContain(span.spanContext().traceId);
  });

  it('writes no traceparent when there is no span to continue', () => {
    expect(injectTraceHeaders({}).traceparent).toBeUndefined();
  });

  it('keeps tracestate across the hop', () => {
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const ctx = extractTraceContext({ traceparent: Buffer.from(traceparent), tracestate: Buffer.from('vendor=abc') });

    expect(injectTraceHeaders({}, ctx)).toMatchObject({ traceparent, tracestate: 'vendor=abc' });
  });

  it('returns the active context for a message without headers', () => {
    expect(extractTraceContext(undefined)).toBe(context.active());
    expect(trace.getSpanContext(extractTraceContext({}))).toBeUndefined();
  });

  it('reads the run id whether kafkajs delivers it as a Buffer, a string or repeated', () => {
    expect(readRunId({ [RUN_ID_HEADER]: Buffer.from('run-7') })).toBe('run-7');
    expect(readRunId({ [RUN_ID_HEADER]: 'run-8' })).toBe('run-8');
    expect(readRunId({ [RUN_ID_HEADER]: [Buffer.from('run-9'), 'run-10'] })).toBe('run-9');
    expect(readRunId({})).toBeUndefined();
    expect(readRunId(undefined)).toBeUndefined();
  });

  it('links to the producer of a message, and to nothing for a message without trace headers', () => {
    const producer = trace.getTracer('spec').startSpan('send');
    const headers = asDelivered(injectTraceHeaders({}, trace.setSpan(context.active(), producer)));
    producer.end();

    expect(linkFrom(headers)?.context).toMatchObject({
      traceId: producer.spanContext().traceId,
      spanId: producer.spanContext().spanId,
    });
    expect(linkFrom({})).toBeUndefined();
    expect(linkFrom(undefined)).toBeUndefined();
    expect(linksFrom([headers, {}, undefined])).toHaveLength(1);
    // Messages of one send share its span: one link for all of them.
    expect(linksFrom([headers, headers, { ...headers }])).toHaveLength(1);
    // Inside a span, a message without trace headers still links to nothing (not to the span in hand).
    const batch = trace.getTracer('spec').startSpan('batch');
    context.with(trace.setSpan(context.active(), batch), () => {
      expect(linkFrom({})).toBeUndefined();
      expect(linksFrom([{}, undefined])).toEqual([]);
    });
    batch.end();
  });

  it('stores the active span as a traceparent that links back to it later, and skips what is missing or malformed', () => {
    expect(currentTraceparent()).toBeUndefined();
    const recorder = trace.getTracer('spec').startSpan('trainer.training');
    const stored = context.with(trace.setSpan(context.active(), recorder), () => currentTraceparent());
    recorder.end();

    expect(stored).toBe(`00-${recorder.spanContext().traceId}-${recorder.spanContext().spanId}-01`);
    const links = linksFromTraceparents([stored, undefined, null, 'not-a-traceparent']);
    expect(links.map((link) => link.context)).toEqual([expect.objectContaining({ traceId: recorder.spanContext().traceId, spanId: recorder.spanContext().spanId })]);
  });
});
