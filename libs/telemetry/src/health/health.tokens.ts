export const READINESS_CHECKS = 'flowsentry.telemetry.readiness-checks';
export const HEALTH_OPTIONS = 'flowsentry.telemetry.health-options';

export interface HealthOptions {
  /** A check slower than this counts as failed (ms). */
  timeoutMs: number;
  /** How long shutdown waits with /health/ready at 503 so load balancers stop routing (ms). */
  drainDelayMs: number;
}

export const DEFAULT_HEALTH_OPTIONS: HealthOptions = { timeoutMs: 2_000, drainDelayMs: 0 };
