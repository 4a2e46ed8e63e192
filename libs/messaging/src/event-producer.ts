import { CompressionTypes, Kafka, Producer } from 'kafkajs';
import { PipelineEventOf, PipelineTopic } from '@flowsentry/contracts';
import { OutgoingMessage } from './outgoing-message';
import { KafkaSettings } from './kafka-settings';
import { pipelineRequests, SerializedEvent } from './pipeline-messages';
import { streamPartitioner } from './stream-partitioner';
import { DEFAULT_MAX_REQUEST_BYTES, chunkBySize, messageBytes } from './request-chunks';

/**
 * Idempotent producer: the broker de-duplicates retried batches, so a network retry cannot
 * put a second copy of an event on a topic. acks=all is implied by idempotence. Large sends go
 * out as consecutive requests under `maxRequestBytes` (see request-chunks.ts).
 */
export class EventProducer {
  private readonly producer: Producer;
  private connected = false;

  constructor(
    kafka: Kafka,
    private readonly settings: KafkaSettings,
    private readonly maxRequestBytes = DEFAULT_MAX_REQUEST_BYTES,
  ) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: streamPartitioner(settings) });
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
    for (const chunk of chunkBySize(messages, messageBytes, this.maxRequestBytes)) {
      await this.producer.send({ topic, messages: chunk, acks: -1, compression });
    }
  }

  /** Emits a pipeline event in CloudEvents structured mode with the current trace context and run id. */
  async emit<T extends PipelineTopic>(topic: T, key: string, event: PipelineEventOf<T>, runId: string): Promise<void> {
    await this.emitSerialized(topic, key, JSON.stringify(event), runId);
  }

  /** For re-emitting an event exactly as first sent (a redelivery must not change a byte). */
  async emitSerialized(topic: PipelineTopic, key: string, value: string, runId: string): Promise<void> {
    await this.emitAllSerialized([{ topic, key, value }], runId);
  }

  /**
   * Several serialized events of one run, possibly to several topics, in order. They share one
   * request when they fit in `maxRequestBytes`, else go out in consecutive requests.
   */
  async emitAllSerialized(events: SerializedEvent[], runId: string): Promise<void> {
    for (const topicMessages of pipelineRequests(this.settings, events, runId, this.maxRequestBytes)) {
      await this.producer.sendBatch({ acks: -1, topicMessages });
    }
  }
}
