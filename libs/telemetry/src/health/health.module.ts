import { Module, type DynamicModule, type InjectionToken, type ModuleMetadata, type Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { DEFAULT_HEALTH_OPTIONS, HEALTH_OPTIONS, READINESS_CHECKS } from './health.tokens';
import type { ReadinessCheck } from './readiness-check';
import { ShutdownState } from './shutdown-state';

export interface HealthModuleOptions {
  /** Per-check timeout in ms (default 2000). */
  timeoutMs?: number;
  /** Time shutdown waits with readiness at 503 (default 0). */
  drainDelayMs?: number;
  /** Modules that provide `checks` when it is a token rather than a list. */
  imports?: ModuleMetadata['imports'];
}

/** `GET /health/live` and `GET /health/ready` (terminus). */
@Module({})
export class HealthModule {
  /**
   * `checks` is either the list itself or a token whose provider yields `ReadinessCheck[]`;
   * use a token when the checks need injected clients (DataSource, Kafka admin, MinIO).
   */
  static register(checks: ReadinessCheck[] | InjectionToken, options: HealthModuleOptions = {}): DynamicModule {
    const checksProvider: Provider = Array.isArray(checks)
      ? { provide: READINESS_CHECKS, useValue: checks }
      : { provide: READINESS_CHECKS, useExisting: checks };
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ errorLogStyle: 'json' }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        checksProvider,
        {
          provide: HEALTH_OPTIONS,
          useValue: {
            timeoutMs: options.timeoutMs ?? DEFAULT_HEALTH_OPTIONS.timeoutMs,
            drainDelayMs: options.drainDelayMs ?? DEFAULT_HEALTH_OPTIONS.drainDelayMs,
          },
        },
        ShutdownState,
      ],
      exports: [ShutdownState],
    };
  }
}
