export type KafkaLogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Set on purpose: a send that runs out of retries fails to its caller, which retries the step (its outputs carry ids consumers dedup on). */
const BOUNDED_RETRIES = 'Limiting retries for the idempotent producer';

/**
 * The level a kafkajs log entry gets in the service's log. kafkajs logs at error each broker
 * response that carries an error, and each failed attempt of a send it is about to retry: a
 * transaction's AddPartitionsToTxn refused with CONCURRENT_TRANSACTIONS while the broker completes
 * the previous commit gives two such lines on a healthy pipeline. Whatever still fails after the
 * retries reaches the caller, which logs it at error itself, so these are warnings: an error line
 * then means something failed for good. kafkajs's warning about bounded producer retries is a
 * choice made here (BOUNDED_RETRIES), not news: debug.
 */
export function kafkaLogLevel(level: KafkaLogLevel, namespace: string, message: string): KafkaLogLevel {
  if (level === 'error' && namespace === 'Connection' && message.startsWith('Response ')) return 'warn';
  if (level === 'error' && namespace === 'Producer' && message.startsWith('Failed to send messages')) return 'warn';
  if (level === 'warn' && namespace === 'Producer' && message.startsWith(BOUNDED_RETRIES)) return 'debug';
  return level;
}
