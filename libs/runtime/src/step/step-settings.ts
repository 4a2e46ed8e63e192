import { env } from '@flowsentry/config';
import { RetryPolicy } from '@flowsentry/messaging';

/**
 * Retry settings every step reads. The default budget (8 attempts, 0.5 s doubling to 30 s, about
 * a minute in all) outlasts a database failover or a MinIO restart, so a transient outage
 * delays events instead of dead-lettering them; a broker outage never dead-letters, because
 * the dead-letter send itself fails and nothing is committed.
 */
export const stepSettingsShape = {
  STEP_MAX_ATTEMPTS: env.int(8, 1, 100),
  STEP_RETRY_INITIAL_MS: env.int(500, 1, 600_000),
  STEP_RETRY_MAX_MS: env.int(30_000, 1, 3_600_000),
};

export interface StepSettings {
  STEP_MAX_ATTEMPTS: number;
  STEP_RETRY_INITIAL_MS: number;
  STEP_RETRY_MAX_MS: number;
}

export function retryPolicyOf(settings: StepSettings): RetryPolicy {
  return { retries: settings.STEP_MAX_ATTEMPTS - 1, initialDelayMs: settings.STEP_RETRY_INITIAL_MS, maxDelayMs: settings.STEP_RETRY_MAX_MS, factor: 2 };
}
