import { isRetriable } from '@flowsentry/contracts';

export interface RetryPolicy {
  retries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 5, initialDelayMs: 200, maxDelayMs: 10_000, factor: 2 };

export class RetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(`gave up after ${attempts} attempts: ${lastError instanceof Error ? lastError.message : String(lastError)}`);
    this.name = 'RetriesExhaustedError';
  }
}

/** Exponential backoff with full jitter, so many consumers failing together do not retry in lockstep. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** attempt);
  return Math.round(ceiling * (0.5 + random() / 2));
}

export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  hooks: { onRetry?: (attempt: number, error: unknown, delayMs: number) => void; sleep?: (ms: number) => Promise<void>; random?: () => number } = {},
): Promise<T> {
  const sleep = hooks.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let lastError: unknown;
  for (let attempt = 0; attempt <= policy.retries; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      // Failures that carry a decision (FlowsentryError, e.g. PoisonMessageError) say whether trying again can help.
      if (!isRetriable(err)) throw err;
      lastError = err;
      if (attempt === policy.retries) break;
      const delay = backoffDelay(policy, attempt, hooks.random);
      hooks.onRetry?.(attempt + 1, err, delay);
      await sleep(delay);
    }
  }
  throw new RetriesExhaustedError(policy.retries + 1, lastError);
}
