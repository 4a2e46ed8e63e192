import { Module, type DynamicModule, type InjectionToken } from '@nestjs/common';
import { HealthModule, type HealthModuleOptions } from './health/health.module';
import type { ReadinessCheck } from './health/readiness-check';
import { createLogger, type Logger } from './logging/logger';
import { LOGGER } from './logging/logger.token';
import { PinoNestLogger } from './logging/pino-nest-logger';
import { MetricsController } from './metrics/metrics.controller';
import { labelMetricsWithService } from './metrics/registry';
import { TelemetryFlush } from './otel/telemetry-flush';

export interface TelemetryModuleOptions extends HealthModuleOptions {
  /** Short service name (`ingest`). */
  service: string;
  /** What /health/ready waits for: a list, or a token providing one (see HealthModule). */
  readiness: ReadinessCheck[] | InjectionToken;
}

/**
 * Everything a service exposes about itself: /metrics, /health/live, /health/ready, the
 * `LOGGER` and a span flush at the end of Nest's shutdown. Global, so handlers in feature
 * modules inject `LOGGER` without importing it.
 */
@Module({})
export class TelemetryModule {
  static forService({ service, readiness, ...healthOptions }: TelemetryModuleOptions): DynamicModule {
    labelMetricsWithService(service);
    return {
      module: TelemetryModule,
      global: true,
      imports: [HealthModule.register(readiness, healthOptions)],
      controllers: [MetricsController],
      providers: [
        { provide: LOGGER, useFactory: (): Logger => createLogger(service) },
        { provide: PinoNestLogger, useFactory: (logger: Logger) => new PinoNestLogger(logger), inject: [LOGGER] },
        TelemetryFlush,
      ],
      exports: [LOGGER, PinoNestLogger, HealthModule],
    };
  }
}
