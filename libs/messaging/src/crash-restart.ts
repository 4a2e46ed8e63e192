import { Consumer } from 'kafkajs';

export interface CrashRestartOptions {
  /** Connects, subscribes and runs the consumer again. */
  start(): Promise<void>;
  /** True once the consumer is draining or closed: a crash then is the end. */
  stopped(): boolean;
  pauseMs: number;
  onError?: (error: unknown, context: string) => void;
}

/**
 * kafkajs restarts a crashed consumer only when the error is retriable. After any other crash
 * (seen around a broker restart) the consumer would stay stopped while the process looks healthy,
 * so it is started again after a pause, and again after that while the start fails, until it runs
 * or is stopped. Returns a function that cancels a pending restart.
 */
export function restartAfterCrashes(consumer: Pick<Consumer, 'on' | 'events'>, options: CrashRestartOptions): () => void {
  let timer: NodeJS.Timeout | undefined;
  const restart = (error: unknown): void => {
    if (options.stopped()) return;
    options.onError?.(error, 'the consumer crashed and kafkajs will not restart it; restarting it');
    timer = setTimeout(() => {
      timer = undefined;
      if (!options.stopped()) options.start().catch(restart);
    }, options.pauseMs);
  };
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) restart(payload.error);
  });
  return () => clearTimeout(timer);
}
