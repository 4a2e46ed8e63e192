import { CompressionTypes, Kafka, Producer } from 'kafkajs';
import { CLOUDEVENTS_CONTENT_TYPE, Headers, PipelineEventOf, PipelineTopic } from '@flowsentry/contracts';
import { injectTraceHeaders } from '@flowsentry/telemetry';
import { OutgoingMessage } from './outgoing-message';
import { KafkaSettings, physicalTopic } from './kafka-settings';

/**
 * Idempotent producer: the broker de-duplicates retried batches, so a network retry cannot
 * put a second copy of an event on a topic. acks=all is implied by idempotence.
 */
export class EventProducer {
  private readonly producer: Producer;
  private connected = false;

  constructor(
    kafka: Kafka,
    private readonly settings: KafkaSettings,
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }

  /** Sends raw messages to a physical topic name and resolves once the broker acknowledged all. */
  async send(topic: string, messages: OutgoingMessage[], compression = CompressionTypes.None): Promise<void> {
    if (messages.length === 0) return;
    await this.producer.send({ topic, messages, acks: -1, compression });
  }

  /** Emits a pipeline event in CloudEvents structured mode with the current trace context and run id. */
  async emit<T extends PipelineTopic>(topic: T, key: string, event: PipelineEventOf<T>, runId: string): Promise<void> {
    await this.emitSerialized(topic, key, JSON.stringify(event), runId);
  }

  /** For re-emitting an event exactly as first sent (a redelivery must not change a byte). */
  async emitSerialized(topic: PipelineTopic, key: string, value: string, runId: string): Promise<void> {
    await this.emitAllSerialized([{ topic, key, value }], runId);
  }

  /** Several serialized events of one run, possibly to several topics, in one request to the broker. */
  async emitAllSerialized(events: Array<{ topic: PipelineTopic; key: string; value: string }>, runId: string): Promise<void> {
    if (events.length === 0) return;
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const event of events) {
      const headers: Record<string, string | Buffer | undefined> = { [Headers.runId]: runId, [Headers.contentType]: CLOUDEVENTS_CONTENT_TYPE };
      injectTraceHeaders(headers);
      const topic = physicalTopic(this.settings, event.topic);
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), { key: event.key, value: event.value, headers }]);
    }
    await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }
}
