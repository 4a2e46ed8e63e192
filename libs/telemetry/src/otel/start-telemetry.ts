import { diag } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { otlpTracesUrl } from './otlp-endpoint';
import { sdkConfiguration } from './sdk-configuration';

export interface TelemetryOptions {
  /** Short service name (`ingest`); the resource gets `flowsentry-<service>`. */
  service: string;
  /** Base OTLP/HTTP URL; defaults to OTEL_EXPORTER_OTLP_ENDPOINT, then http://127.0.0.1:4318. */
  otlpEndpoint?: string;
  /** `false` (or OTEL_SDK_DISABLED=true) starts nothing and returns a no-op handle. */
  enabled?: boolean;
  /**
   * Per-message kafkajs spans (default on). A high-volume batch consumer turns them off: it opens
   * one span per batch with links to its messages and propagates context explicitly, and a span
   * per message would cost more than the work it describes.
   */
  instrumentKafka?: boolean;
}

export interface TelemetryHandle {
  /** Flushes buffered spans and stops the SDK. Safe to call more than once. */
  shutdown(): Promise<void>;
}

// A dead collector must not hold a terminating pod past its grace period.
const EXPORT_TIMEOUT_MS = 5_000;
const FLUSH_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];
const NOOP_HANDLE: TelemetryHandle = { shutdown: async () => undefined };

let current: TelemetryHandle | undefined;

/** The handle of the SDK this process started, for shutdown hooks that did not start it. */
export function currentTelemetry(): TelemetryHandle | undefined {
  return current;
}

/**
 * Starts tracing for one service. It must run before kafkajs or NestJS is first required,
 * because KafkaJsInstrumentation patches kafkajs as it loads: services put
 * `import './telemetry';` on the first line of main.ts, and that file calls this. The SDK's
 * globals can be registered once per process, so a second call returns the running handle.
 */
export function startTelemetry(options: TelemetryOptions): TelemetryHandle {
  if (current) return current;
  if (options.enabled === false || isDisabledByEnv()) return NOOP_HANDLE;

  const exporter = new OTLPTraceExporter({ url: otlpTracesUrl(options.otlpEndpoint), timeoutMillis: EXPORT_TIMEOUT_MS });
  const processor = new BatchSpanProcessor(exporter, { exportTimeoutMillis: EXPORT_TIMEOUT_MS });
  const sdk = new NodeSDK(sdkConfiguration(options.service, [processor], options.instrumentKafka ?? true));
  sdk.start();

  let stopping: Promise<void> | undefined;
  const onSignal = (signal: NodeJS.Signals): void => flushOnSignal(signal, handle);
  const handle: TelemetryHandle = {
    shutdown() {
      stopping ??= (async () => {
        for (const signal of FLUSH_SIGNALS) process.removeListener(signal, onSignal);
        try {
          await sdk.shutdown();
        } catch (error) {
          diag.warn('flowsentry telemetry: span flush on shutdown failed', error);
        } finally {
          if (current === handle) current = undefined;
        }
      })();
      return stopping;
    },
  };
  for (const signal of FLUSH_SIGNALS) process.once(signal, onSignal);
  current = handle;
  return handle;
}

/**
 * Any listener on a signal replaces Node's default "terminate", so this one must never swallow
 * it. When the application also listens (Nest's enableShutdownHooks) it owns the exit and
 * flushes through TelemetryModule once it has drained, so spans of the drain are kept; when
 * nobody else listens, flush and then re-raise so the process dies exactly as it would have.
 */
function flushOnSignal(signal: NodeJS.Signals, handle: TelemetryHandle): void {
  if (process.listenerCount(signal) > 0) return;
  void handle.shutdown().finally(() => process.kill(process.pid, signal));
}

function isDisabledByEnv(): boolean {
  return process.env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
}
