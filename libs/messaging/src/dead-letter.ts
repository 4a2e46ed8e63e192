import { Headers, LogicalTopic } from '@flowsentry/contracts';
import { ConsumedMessage } from './consumed-message';
import { EventProducer } from './event-producer';
import { KafkaSettings, physicalTopic } from './kafka-settings';
import { OutgoingMessage } from './outgoing-message';

export interface DeadLetter {
  /** The original key and bytes, untouched, so the message can be repaired and re-sent. */
  key: Buffer | null;
  value: Buffer | null;
  headers?: Record<string, Buffer | string | undefined>;
  sourceTopic: string;
  partition: number;
  offset: string;
  reason: string;
  error: string;
}

/** A message given up on, kept byte for byte, with why. */
export function deadLetterOf(message: ConsumedMessage, reason: string, error: string): DeadLetter {
  return { key: message.key, value: message.value, headers: message.headers, sourceTopic: message.topic, partition: message.partition, offset: message.offset, reason, error };
}

/** Longest error text carried in a header: the DLQ is for triage, not for stack traces. */
const MAX_ERROR_CHARS = 1000;

/**
 * Turns rejected messages into DLQ records: original bytes plus headers naming why and where
 * they came from (brief §3). Original headers are kept (trace context included) so a DLQ
 * consumer can follow the message back to its producer's trace.
 */
export function toDeadLetterMessage(letter: DeadLetter, consumerGroup: string, now = new Date()): OutgoingMessage {
  return {
    key: letter.key,
    value: letter.value ?? Buffer.alloc(0),
    headers: {
      ...letter.headers,
      [Headers.dlqReason]: letter.reason,
      [Headers.dlqError]: letter.error.slice(0, MAX_ERROR_CHARS),
      [Headers.dlqSourceTopic]: letter.sourceTopic,
      [Headers.dlqSourcePartition]: String(letter.partition),
      [Headers.dlqSourceOffset]: letter.offset,
      [Headers.dlqConsumerGroup]: consumerGroup,
      [Headers.dlqTime]: now.toISOString(),
    },
  };
}

/** Publishes one consumer group's dead letters to one dead-letter topic (`<topic>.dlq`). */
export class DeadLetterPublisher {
  private readonly topic: string;

  constructor(
    private readonly producer: EventProducer,
    settings: KafkaSettings,
    private readonly consumerGroup: string,
    deadLetterTopic: LogicalTopic,
  ) {
    this.topic = physicalTopic(settings, deadLetterTopic);
  }

  async publish(letters: DeadLetter[]): Promise<void> {
    await this.producer.send(
      this.topic,
      letters.map((letter) => toDeadLetterMessage(letter, this.consumerGroup)),
    );
  }
}
