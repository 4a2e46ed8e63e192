import { context, propagation, trace } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { sdkConfiguration } from '../otel/sdk-configuration';

export interface InMemoryTracing {
  exporter: InMemorySpanExporter;
  /** Spans ended so far, in the order they ended. */
  finishedSpans(): ReadableSpan[];
  reset(): void;
  shutdown(): Promise<void>;
}

/**
 * The production SDK configuration with spans kept in memory, for specs that assert on real
 * spans. Simple (not batch) processing makes a span visible as soon as it ends.
 */
export function startInMemoryTracing(service = 'test'): InMemoryTracing {
  const exporter = new InMemorySpanExporter();
  const sdk = new NodeSDK({
    ...sdkConfiguration(service, [new SimpleSpanProcessor(exporter)]),
    // Host and process detectors add nothing a spec asserts on and cost start-up time.
    autoDetectResources: false,
  });
  sdk.start();
  return {
    exporter,
    finishedSpans: () => exporter.getFinishedSpans(),
    reset: () => exporter.reset(),
    async shutdown() {
      await sdk.shutdown();
      // Globals are registered once per API instance; clearing them lets a later spec start again.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
