import { hostname } from 'node:os';
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
  /**
   * This instance's name within its consumer group, part of its Kafka transactional id. Unset: host
   * name and process id. In a container both survive a restart (the container's or pod's host name,
   * pid 1), so a restarted instance takes over its predecessor's id and aborts the transaction a
   * crash left open at once. Processes on one host get new ids per start; then consumers of the
   * outputs wait up to the transaction timeout (15 s) behind an open transaction of a crashed one.
   */
  STEP_INSTANCE_ID: env.string(''),
};

export interface StepSettings {
  STEP_MAX_ATTEMPTS: number;
  STEP_RETRY_INITIAL_MS: number;
  STEP_RETRY_MAX_MS: number;
  STEP_INSTANCE_ID: string;
}

/** The Kafka transactional id of a step consumer: unique among the live members of its group. */
export function transactionalIdOf(groupId: string, settings: Pick<StepSettings, 'STEP_INSTANCE_ID'>, host = hostname(), pid = process.pid): string {
  return `${groupId}/${settings.STEP_INSTANCE_ID || `${host}-${pid}`}`;
}

export function retryPolicyOf(settings: StepSettings): RetryPolicy {
  return { retries: settings.STEP_MAX_ATTEMPTS - 1, initialDelayMs: settings.STEP_RETRY_INITIAL_MS, maxDelayMs: settings.STEP_RETRY_MAX_MS, factor: 2 };
}
