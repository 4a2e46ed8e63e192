import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { startInMemoryTracing, type InMemoryTracing } from '../testing/in-memory-tracing';
import { withConsumerSpan } from './consumer-span';
import { injectTraceHeaders, linksFrom, RUN_ID_HEADER, type IncomingKafkaHeaders } from './kafka-headers';
import { ATTR_DATASET_ID, ATTR_MESSAGING_BATCH_MESSAGE_COUNT, ATTR_RUN_ID } from './span-attributes';

const tracer = () => trace.getTracer('spec');

/** Sends one message from a fresh producer span and returns what the consumer receives. */
function producedMessage(runId?: string): { headers: IncomingKafkaHeaders; traceId: string; spanId: string } {
  const producer = tracer().startSpan('send');
  const sent = injectTraceHeaders(runId ? { [RUN_ID_HEADER]: runId } : {}, trace.setSpan(context.active(), producer));
  producer.end();
  const headers = Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, Buffer.from(String(v))]));
  return { headers, ...producer.spanContext() };
}

describe('withConsumerSpan', () => {
  let tracing: InMemoryTracing;
  beforeAll(() => {
    tracing = startInMemoryTracing('transform');
  });
  afterEach(() => tracing.reset());
  afterAll(() => tracing.shutdown());

  const span = (name: string) => tracing.finishedSpans().find((s) => s.name === name)!;

  it('runs the handler in a CONSUMER span that is a child of the producer span', async () => {
    const message = producedMessage();

    const result = await withConsumerSpan('process raw.landed', message.headers, { [ATTR_DATASET_ID]: 'ds-1' }, () => {
      expect(trace.getActiveSpan()?.spanContext().traceId).toBe(message.traceId);
      return 'done';
    });

    expect(result).toBe('done');
    const consumer = span('process raw.landed');
    expect(consumer.kind).toBe(SpanKind.CONSUMER);
    expect(consumer.spanContext().traceId).toBe(message.traceId);
    expect(consumer.parentSpanContext?.spanId).toBe(message.spanId);
    expect(consumer.attributes[ATTR_DATASET_ID]).toBe('ds-1');
    expect(consumer.resource.attributes['service.name']).toBe('flowsentry-transform');
  });

  it('tags the span with the run id header unless the caller sets one', async () => {
    const message = producedMessage('run-42');

    await withConsumerSpan('from header', message.headers, {}, () => undefined);
    await withConsumerSpan('explicit', message.headers, { [ATTR_RUN_ID]: 'run-override' }, () => undefined);

    expect(span('from header').attributes[ATTR_RUN_ID]).toBe('run-42');
    expect(span('explicit').attributes[ATTR_RUN_ID]).toBe('run-override');
  });

  it('records a handler error on the span, marks it failed and rethrows it', async () => {
    const message = producedMessage();

    await expect(
      withConsumerSpan('process silver.ready', message.headers, {}, async () => {
        throw new Error('parquet schema mismatch');
      }),
    ).rejects.toThrow('parquet schema mismatch');

    const failed = span('process silver.ready');
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'parquet schema mismatch' });
    expect(failed.events.find((event) => event.name === 'exception')?.attributes).toMatchObject({
      'exception.message': 'parquet schema mismatch',
    });
    expect(failed.ended).toBe(true);
  });

  it('starts a new trace for a message that carries no trace context', async () => {
    await withConsumerSpan('orphan', {}, {}, () => undefined);

    expect(span('orphan').parentSpanContext).toBeUndefined();
  });

  it('gives a fan-in batch span one link per message that carried a trace', async () => {
    const messages = [producedMessage(), producedMessage(), producedMessage()];
    const headers = [...messages.map((m) => m.headers), {}];

    await withConsumerSpan('process network.events batch', undefined, { [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: headers.length }, () => undefined, linksFrom(headers));

    const batch = span('process network.events batch');
    expect(batch.links.map((link) => link.context.spanId)).toEqual(messages.map((m) => m.spanId));
    expect(new Set(batch.links.map((link) => link.context.traceId)).size).toBe(3);
  });

  it('nests under a span the kafkajs instrumentation already opened for the same trace', async () => {
    const message = producedMessage();
    const instrumentationSpan = tracer().startSpan('raw.landed process', { kind: SpanKind.CONSUMER }, trace.setSpanContext(context.active(), {
      traceId: message.traceId,
      spanId: message.spanId,
      traceFlags: 1,
      isRemote: true,
    }));

    await context.with(trace.setSpan(context.active(), instrumentationSpan), () =>
      withConsumerSpan('handle raw.landed', message.headers, {}, () => undefined),
    );
    instrumentationSpan.end();

    expect(span('handle raw.landed').parentSpanContext?.spanId).toBe(instrumentationSpan.spanContext().spanId);
  });
});
