import { Controller, Get, Header, Inject } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { failureReason } from './failure-reason';
import { HEALTH_OPTIONS, READINESS_CHECKS, type HealthOptions } from './health.tokens';
import { probe } from './probe';
import type { ReadinessCheck } from './readiness-check';
import { ShutdownState } from './shutdown-state';

const DRAINING = 'shutdown';

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly shutdown: ShutdownState,
    @Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[],
    @Inject(HEALTH_OPTIONS) private readonly options: HealthOptions,
  ) {}

  /** Liveness answers from the event loop alone: a dependency outage must not restart the pod. */
  @Get('live')
  @Header('Cache-Control', 'no-cache, no-store, must-revalidate')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.notDraining(), ...this.checks.map((check) => () => this.checkDependency(check))]);
  }

  private notDraining(): HealthIndicatorResult {
    const session = this.indicators.check(DRAINING);
    return this.shutdown.isDraining ? session.down({ message: 'draining for shutdown' }) : session.up();
  }

  private async checkDependency(check: ReadinessCheck): Promise<HealthIndicatorResult> {
    const session = this.indicators.check(check.name);
    try {
      await probe(check, this.options.timeoutMs);
      return session.up();
    } catch (error) {
      return session.down({ message: failureReason(error) });
    }
  }
}
