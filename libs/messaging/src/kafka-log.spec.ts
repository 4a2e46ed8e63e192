import { kafkaLogLevel } from './kafka-log';

describe('kafkaLogLevel', () => {
  it('makes warnings of the two lines kafkajs logs for a transaction step the broker refuses while it completes the previous commit', () => {
    // As logged by a transform instance on the local stack (CONCURRENT_TRANSACTIONS, retried and sent).
    expect(kafkaLogLevel('error', 'Connection', 'Response AddPartitionsToTxn(key: 24, version: 1)')).toBe('warn');
    expect(kafkaLogLevel('error', 'Producer', 'Failed to send messages: The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing')).toBe('warn');
  });

  it('keeps errors that are not a retried response or attempt, and every other level, as kafkajs gave them', () => {
    expect(kafkaLogLevel('error', 'Consumer', 'Crash: KafkaJSNumberOfRetriesExceeded: Connection timeout')).toBe('error');
    expect(kafkaLogLevel('error', 'Connection', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092')).toBe('error');
    expect(kafkaLogLevel('warn', 'ConsumerGroup', 'Consumer rebalancing group')).toBe('warn');
    expect(kafkaLogLevel('info', 'Consumer', 'Starting')).toBe('info');
  });

  it('files the warning about bounded idempotent-producer retries, which is a deliberate setting, under debug', () => {
    expect(kafkaLogLevel('warn', 'Producer', 'Limiting retries for the idempotent producer may invalidate EoS guarantees')).toBe('debug');
  });
});
