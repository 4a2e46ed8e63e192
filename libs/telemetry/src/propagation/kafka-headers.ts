import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type Link,
  type TextMapGetter,
} from '@opentelemetry/api';

/** Headers as kafkajs delivers them to a consumer. */
export type IncomingKafkaHeaders = Record<string, Buffer | string | (Buffer | string)[] | undefined>;
/** Headers as a producer builds them before send. */
export type OutgoingKafkaHeaders = Record<string, string | Buffer | undefined>;

/**
 * What injection may add; absent when there is no valid span to continue. A type alias, not an
 * interface, so the result still fits `OutgoingKafkaHeaders` and can be handed to kafkajs.
 */
export type TraceHeaders = {
  traceparent?: string;
  tracestate?: string;
  baggage?: string;
};

/** Same value as `Headers.runId` in @flowsentry/contracts; kept here so telemetry stays a leaf lib. */
export const RUN_ID_HEADER = 'x-run-id';

const decode = (value: Buffer | string): string => (typeof value === 'string' ? value : value.toString('utf8'));

/** Kafka header names are case-sensitive bytes; a peer that capitalised them still gets found. */
function headerValue(headers: IncomingKafkaHeaders, key: string): string | string[] | undefined {
  const name = key in headers ? key : Object.keys(headers).find((candidate) => candidate.toLowerCase() === key);
  const raw = name === undefined ? undefined : headers[name];
  if (raw === undefined) return undefined;
  return Array.isArray(raw) ? raw.map(decode) : decode(raw);
}

const kafkaHeaderGetter: TextMapGetter<IncomingKafkaHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => headerValue(headers, key),
};

/**
 * Writes `traceparent`/`tracestate` (and `baggage`) for `ctx` into the outgoing headers. The
 * kafkajs instrumentation does the same on send; writing them explicitly keeps the trace intact
 * if instrumentation is disabled or the producer was loaded before it.
 */
export function injectTraceHeaders<H extends OutgoingKafkaHeaders>(
  headers: H,
  ctx: Context = context.active(),
): H & TraceHeaders {
  propagation.inject(ctx, headers);
  return headers as H & TraceHeaders;
}

/** The producer's context carried by a message, on top of the active one (keeps local baggage). */
export function extractTraceContext(headers: IncomingKafkaHeaders | undefined): Context {
  if (!headers) return context.active();
  return propagation.extract(context.active(), headers, kafkaHeaderGetter);
}

export function readRunId(headers: IncomingKafkaHeaders | undefined): string | undefined {
  if (!headers) return undefined;
  const value = headerValue(headers, RUN_ID_HEADER);
  return Array.isArray(value) ? value[0] : value;
}

/**
 * A span link to the message's producer. Fan-in (many messages into one batch) cannot have
 * several parents, so the batch span links to each message instead (BRIEF §9).
 */
export function linkFrom(headers: IncomingKafkaHeaders | undefined): Link | undefined {
  if (!headers) return undefined;
  // From the root, not the active context: a message without trace headers must not link to the span in hand.
  const spanContext = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers, kafkaHeaderGetter));
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  return { context: spanContext };
}

/** Links to spans stored as `traceparent` strings (see currentTraceparent); missing or invalid ones are skipped. */
export function linksFromTraceparents(traceparents: Iterable<string | null | undefined>): Link[] {
  return linksFrom([...traceparents].map((traceparent) => (traceparent ? { traceparent } : undefined)));
}

/**
 * One link per distinct span the messages of a batch carry (messages without a trace context are
 * skipped): the messages of one producer send share its span, and a span keeps at most 128 links.
 */
export function linksFrom(headersOfMessages: Iterable<IncomingKafkaHeaders | undefined>): Link[] {
  const links = new Map<string, Link>();
  // Thousands of messages share a handful of producer spans: full extraction (a regex per header)
  // runs once per distinct traceparent spelling, not once per message.
  const seen = new Set<string>();
  for (const headers of headersOfMessages) {
    if (!headers) continue;
    const traceparent = headerValue(headers, 'traceparent');
    const spelling = Array.isArray(traceparent) ? traceparent.join(',') : traceparent;
    if (spelling === undefined || seen.has(spelling)) continue;
    seen.add(spelling);
    const link = linkFrom(headers);
    const key = link && `${link.context.traceId}-${link.context.spanId}`;
    if (link && key && !links.has(key)) links.set(key, link);
  }
  return [...links.values()];
}
