import { Transport } from '@nestjs/microservices';
import { kafkaTransportOptions } from './nest-transport';

describe('kafkaTransportOptions', () => {
  const options = kafkaTransportOptions({ brokers: ['127.0.0.1:9092'], clientId: 'flowsentry-transform', topicPrefix: '' }, 'flowsentry-transform');

  it('uses NestJS’s Kafka transport with the service’s own consumer group and no postfix', () => {
    expect(options.transport).toBe(Transport.KAFKA);
    expect(options.options?.consumer?.groupId).toBe('flowsentry-transform');
    expect(options.options?.postfixId).toBe('');
    expect(options.options?.client?.brokers).toEqual(['127.0.0.1:9092']);
  });

  it('commits manually, keeps payloads binary for our own decoding, and produces idempotently', () => {
    expect(options.options?.run?.autoCommit).toBe(false);
    expect(options.options?.parser?.keepBinary).toBe(true);
    expect(options.options?.producer).toMatchObject({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    expect(options.options?.consumer?.allowAutoTopicCreation).toBe(false);
  });
});
