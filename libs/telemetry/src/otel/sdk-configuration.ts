import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { w3cPropagator } from './propagator';
import { telemetryResource } from './resource';

/**
 * The NodeSDK settings shared by production start-up and the in-memory test harness, so tests
 * exercise the same resource, propagators and instrumentation that services run with.
 */
export function sdkConfiguration(service: string, spanProcessors: SpanProcessor[], instrumentKafka = true): Partial<NodeSDKConfiguration> {
  return {
    resource: telemetryResource(service),
    spanProcessors,
    textMapPropagator: w3cPropagator(),
    instrumentations: instrumentKafka ? [new KafkaJsInstrumentation()] : [],
    // Metrics are scraped from prom-client at /metrics and logs go to stdout as JSON; without
    // these empty lists the SDK would default to pushing both over OTLP to a trace-only Jaeger.
    metricReaders: [],
    logRecordProcessors: [],
  };
}
