/** Kafka header names that cross every hop. */
export const Headers = {
  traceparent: 'traceparent',
  tracestate: 'tracestate',
  runId: 'x-run-id',
  contentType: 'content-type',
  dlqReason: 'x-dlq-reason',
  dlqError: 'x-dlq-error',
  dlqSourceTopic: 'x-dlq-source-topic',
  dlqSourcePartition: 'x-dlq-source-partition',
  dlqSourceOffset: 'x-dlq-source-offset',
  dlqConsumerGroup: 'x-dlq-consumer-group',
  dlqTime: 'x-dlq-time',
} as const;
