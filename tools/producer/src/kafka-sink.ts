import { SpanKind, trace } from '@opentelemetry/api';
import { Headers, NetworkEvent, Topics } from '@flowsentry/contracts';
import { injectTraceHeaders } from '@flowsentry/telemetry';
import { EventProducer, KafkaSettings, createKafka, kafkaSettingsFromEnv, physicalTopic } from '@flowsentry/messaging';
import type { EventSink } from './sink';

export interface KafkaSinkOptions {
  /** Physical topic; defaults to network.events under FLOWSENTRY_TOPIC_PREFIX. */
  topic?: string;
  clientId?: string;
  settings?: KafkaSettings;
}

/**
 * Sends to `network.events`, keyed by sensor id as the brief prescribes: one sensor's flows stay
 * on one partition, in the order the sensor exported them. Each batch is one producer request;
 * the messaging lib's producer is idempotent, so a retried request does not duplicate events.
 */
const tracer = trace.getTracer('@flowsentry/producer');

export class KafkaEventSink implements EventSink {
  constructor(
    private readonly producer: Pick<EventProducer, 'send' | 'disconnect'>,
    readonly topic: string,
  ) {}

  static async open(options: KafkaSinkOptions = {}): Promise<KafkaEventSink> {
    const settings = options.settings ?? kafkaSettingsFromEnv(options.clientId ?? 'flowsentry-producer');
    const producer = new EventProducer(createKafka(settings), settings);
    await producer.connect();
    return new KafkaEventSink(producer, options.topic ?? physicalTopic(settings, Topics.networkEvents));
  }

  /**
   * One PRODUCER span per batch; its context goes into every message's headers explicitly, so the
   * trace reaches ingest even where the kafkajs instrumentation is off.
   */
  async send(events: NetworkEvent[]): Promise<void> {
    await tracer.startActiveSpan(`${this.topic} send`, { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': this.topic, 'messaging.batch.message_count': events.length } }, async (span) => {
      try {
        await this.producer.send(
          this.topic,
          events.map((event) => ({ key: event.sensor_id, value: JSON.stringify(event), headers: injectTraceHeaders({ [Headers.contentType]: 'application/json' }) })),
        );
      } finally {
        span.end();
      }
    });
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
