import { KafkaOptions, Transport } from '@nestjs/microservices';
import { KafkaSettings } from './kafka-settings';

/**
 * Options for NestJS's Kafka transport (`Transport.KAFKA`) as every flowsentry service uses it:
 * an explicit consumer group per service (so scaling out is adding replicas), manual commits
 * (a handler's offset is committed only after its artifact, audit rows and output event),
 * binary values kept as Buffers (schema validation happens in our decoder, with DLQ on failure),
 * and an idempotent producer.
 */
export function kafkaTransportOptions(settings: KafkaSettings, groupId: string): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      client: { clientId: settings.clientId, brokers: settings.brokers, retry: { initialRetryTime: 200, retries: 8 } },
      consumer: { groupId, allowAutoTopicCreation: false, sessionTimeout: 30_000, heartbeatInterval: 3_000 },
      run: { autoCommit: false },
      subscribe: { fromBeginning: true },
      producer: { idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false },
      parser: { keepBinary: true },
      postfixId: '',
    },
  };
}
