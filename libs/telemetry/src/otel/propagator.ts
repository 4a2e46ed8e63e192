import type { TextMapPropagator } from '@opentelemetry/api';
import {
  CompositePropagator,
  W3CBaggagePropagator,
  W3CTraceContextPropagator,
} from '@opentelemetry/core';

/**
 * W3C only, set explicitly: every hop (and any non-Node consumer of our topics) must agree on
 * `traceparent`/`tracestate`/`baggage`, so an OTEL_PROPAGATORS left in an environment must not
 * change the wire format.
 */
export function w3cPropagator(): TextMapPropagator {
  return new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
  });
}
