/**
 * Keeps a consumer's group membership alive while one handler runs longer than the session
 * timeout (training a model, writing a large object): without heartbeats the coordinator
 * would evict the member and hand its partitions to another, which would redo the work.
 */
export async function withHeartbeat<T>(heartbeat: () => Promise<void>, work: () => Promise<T>, intervalMs = 3000): Promise<T> {
  let beating: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    // One beat at a time; a failed beat is not fatal here, the next one or the handler's own error decides.
    beating = beating.then(heartbeat).catch(() => undefined);
  }, intervalMs);
  timer.unref?.();
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await beating;
  }
}
