import { Kafka } from 'kafkajs';
import { ConsumedMessage } from './consumed-message';
import { toConsumed } from './micro-batch-consumer';

export interface ReadOptions {
  /** Stop once this many messages were read. */
  count?: number;
  /** Stop after this long without reaching `count` (or, without `count`, after the topic went quiet this long). */
  timeoutMs: number;
  idleMs?: number;
}

/**
 * Reads a topic from the beginning under a throw-away group (nothing is committed), for
 * tools that inspect topics (status, DLQ triage) and for integration tests.
 */
export async function readTopic(kafka: Kafka, topic: string, options: ReadOptions): Promise<ConsumedMessage[]> {
  const consumer = kafka.consumer({ groupId: `flowsentry-reader-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`, allowAutoTopicCreation: false });
  const messages: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve) => {
      const deadline = setTimeout(resolve, options.timeoutMs);
      let idle: NodeJS.Timeout | undefined;
      const armIdle = () => {
        if (options.count !== undefined || !options.idleMs) return;
        clearTimeout(idle);
        idle = setTimeout(finish, options.idleMs);
      };
      const finish = () => {
        clearTimeout(deadline);
        clearTimeout(idle);
        resolve();
      };
      armIdle();
      void consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic: t, partition, message }) => {
          messages.push(toConsumed(t, partition, message));
          armIdle();
          if (options.count !== undefined && messages.length >= options.count) finish();
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
