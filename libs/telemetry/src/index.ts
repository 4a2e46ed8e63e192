export { startTelemetry, currentTelemetry, type TelemetryOptions, type TelemetryHandle } from './otel/start-telemetry';
export { qualifiedServiceName } from './otel/service-name';
export { w3cPropagator } from './otel/propagator';
export { TelemetryFlush } from './otel/telemetry-flush';

export {
  injectTraceHeaders,
  extractTraceContext,
  readRunId,
  linkFrom,
  linksFrom,
  linksFromTraceparents,
  RUN_ID_HEADER,
  type IncomingKafkaHeaders,
  type OutgoingKafkaHeaders,
  type TraceHeaders,
} from './propagation/kafka-headers';
export { withConsumerSpan } from './propagation/consumer-span';
export { currentTraceId, currentTraceparent, withSpan } from './propagation/internal-span';
export * from './propagation/span-attributes';

export { createLogger, type Logger } from './logging/logger';
export { LOGGER } from './logging/logger.token';
export { PinoNestLogger } from './logging/pino-nest-logger';
export { REDACTED_PATHS, SECRET_KEYS } from './logging/redaction';

export { metricsRegistry, labelMetricsWithService } from './metrics/registry';
export { counter, gauge, histogram } from './metrics/metric-factories';
export { phaseTimer, PhaseSink } from './metrics/phase-timer';
export { MetricsController } from './metrics/metrics.controller';

export type { ReadinessCheck } from './health/readiness-check';
export { HealthModule, type HealthModuleOptions } from './health/health.module';
export { ShutdownState } from './health/shutdown-state';
export { READINESS_CHECKS } from './health/health.tokens';

export { TelemetryModule, type TelemetryModuleOptions } from './telemetry.module';

export { startInMemoryTracing, type InMemoryTracing } from './testing/in-memory-tracing';
