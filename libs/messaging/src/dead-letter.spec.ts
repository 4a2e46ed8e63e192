import { toDeadLetterMessage } from './dead-letter';

describe('dead letters', () => {
  it('keep the original key, bytes and headers and say why and where from', () => {
    const value = Buffer.from([0xff, 0x00, 0x7b]);
    const message = toDeadLetterMessage(
      { key: Buffer.from('k'), value, headers: { traceparent: 'tp' }, sourceTopic: 'network.events', partition: 2, offset: '41', reason: 'not-utf8', error: 'message value is not valid UTF-8' },
      'flowsentry-ingest',
      new Date('2026-11-21T00:00:00Z'),
    );
    expect(message.value).toBe(value);
    expect(message.key?.toString()).toBe('k');
    expect(message.headers).toEqual({
      traceparent: 'tp',
      'x-dlq-reason': 'not-utf8',
      'x-dlq-error': 'message value is not valid UTF-8',
      'x-dlq-source-topic': 'network.events',
      'x-dlq-source-partition': '2',
      'x-dlq-source-offset': '41',
      'x-dlq-consumer-group': 'flowsentry-ingest',
      'x-dlq-time': '2026-11-21T00:00:00.000Z',
    });
  });

  it('truncate long error texts', () => {
    const message = toDeadLetterMessage({ key: null, value: null, sourceTopic: 't', partition: 0, offset: '0', reason: 'schema', error: 'x'.repeat(5000) }, 'g');
    expect(String(message.headers!['x-dlq-error']).length).toBe(1000);
    expect(message.value).toEqual(Buffer.alloc(0));
  });
});
