import { WebhookEndpoint, withoutSecrets } from './webhook-endpoint';

/** What one POST told us: delivered, worth trying again, or refused for good. */
export type PostResult =
  | { outcome: 'delivered'; status: number }
  | { outcome: 'retry'; reason: string; retryAfterMs?: number }
  | { outcome: 'rejected'; reason: string }
  | { outcome: 'aborted' };

/**
 * 408 and 429 are the receiver asking for later; 5xx is the receiver's own trouble. Any other
 * non-2xx (404 for a revoked webhook, 400 for a payload it refuses, a redirect) will not change on
 * a retry.
 */
function retriableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Retry-After in seconds or as an HTTP date (RFC 9110 §10.2.3). */
function retryAfterMs(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** POSTs one serialised alert. Never throws: every failure is classified, with secrets removed from its text. */
export async function postAlert(endpoint: WebhookEndpoint, body: string, timeoutMs: number, shutdown: AbortSignal): Promise<PostResult> {
  if (shutdown.aborted) return { outcome: 'aborted' };
  const deadline = abortAfter(timeoutMs, shutdown);
  try {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: endpoint.headers,
      body,
      // A redirect would be followed as a GET without the body; say so instead of "delivering" nothing.
      redirect: 'manual',
      signal: deadline.signal,
    });
    // The body is not needed; reading none would keep the connection busy until it is collected.
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { outcome: 'delivered', status: response.status };
    const reason = `HTTP ${response.status}`;
    if (!retriableStatus(response.status)) return { outcome: 'rejected', reason };
    return { outcome: 'retry', reason, retryAfterMs: retryAfterMs(response.headers.get('retry-after'), Date.now()) };
  } catch (err) {
    if (shutdown.aborted) return { outcome: 'aborted' };
    return { outcome: 'retry', reason: withoutSecrets(endpoint, describeFetchError(err, timeoutMs)) };
  } finally {
    deadline.clear();
  }
}

/**
 * A signal that aborts after `timeoutMs` or at shutdown. Not `AbortSignal.any([shutdown,
 * AbortSignal.timeout(ms)])`: on Node 20 the timeout signal inside it can be garbage-collected
 * before it fires, and a receiver that never answers then holds the delivery loop until undici's
 * own five-minute header timeout (seen in the monitor, which allocates a lot; see the spec).
 */
function abortAfter(timeoutMs: number, shutdown: AbortSignal): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);
  const onShutdown = () => controller.abort(shutdown.reason);
  shutdown.addEventListener('abort', onShutdown, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      shutdown.removeEventListener('abort', onShutdown);
    },
  };
}

/** fetch reports "fetch failed" and hides the useful part (ECONNREFUSED, a reset) in `cause`. */
function describeFetchError(err: unknown, timeoutMs: number): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  if (error?.name === 'TimeoutError') return `no answer within ${timeoutMs} ms`;
  const cause = error?.cause?.code ?? error?.cause?.message;
  return cause ? `${error.message}: ${cause}` : String(error?.message ?? err);
}
