import { PoisonMessageError } from '@flowsentry/contracts';
import { backoffDelay, RetriesExhaustedError, withRetry } from './retry';

const policy = { retries: 3, initialDelayMs: 100, maxDelayMs: 350, factor: 2 };
const noSleep = { sleep: async () => undefined };

describe('withRetry', () => {
  it('retries a transient failure and returns the eventual result', async () => {
    let calls = 0;
    const result = await withRetry(async () => {
      calls++;
      if (calls < 3) throw new Error('broker not available');
      return 'ok';
    }, policy, noSleep);
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('gives up after the bounded number of attempts with the last error', async () => {
    const attempt = jest.fn(async () => {
      throw new Error('still down');
    });
    await expect(withRetry(attempt, policy, noSleep)).rejects.toThrow(RetriesExhaustedError);
    await expect(withRetry(attempt, policy, noSleep)).rejects.toThrow(/gave up after 4 attempts: still down/);
  });

  it('does not retry a non-retriable error', async () => {
    const attempt = jest.fn(async () => {
      throw new PoisonMessageError('schema', 'bad schema');
    });
    await expect(withRetry(attempt, policy, noSleep)).rejects.toBeInstanceOf(PoisonMessageError);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('backs off exponentially with jitter, capped at the maximum delay', () => {
    expect(backoffDelay(policy, 0, () => 1)).toBe(100);
    expect(backoffDelay(policy, 1, () => 1)).toBe(200);
    expect(backoffDelay(policy, 5, () => 1)).toBe(350);
    expect(backoffDelay(policy, 1, () => 0)).toBe(100);
  });
});
