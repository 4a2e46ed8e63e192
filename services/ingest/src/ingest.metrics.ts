import { counter, gauge, histogram } from '@flowsentry/telemetry';

/** Stage KPIs of ingest (brief §9). */
export const ingestMetrics = {
  eventsIn: counter('flowsentry_ingest_events_in_total', 'Messages consumed from network.events'),
  eventsLanded: counter('flowsentry_ingest_events_landed_total', 'Valid events written to RAW'),
  rejected: counter('flowsentry_ingest_events_rejected_total', 'Messages sent to the DLQ', ['reason']),
  batches: counter('flowsentry_ingest_batches_total', 'RAW batches landed', ['trigger']),
  rawBytes: counter('flowsentry_ingest_raw_bytes_total', 'Compressed bytes written to RAW'),
  buffered: gauge('flowsentry_ingest_buffered_events', 'Consumed events waiting in open batches (not yet committed)'),
  batchLatency: histogram('flowsentry_ingest_batch_seconds', 'Time to land one batch (encode, write, audit, emit)', [], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10]),
  phase: histogram('flowsentry_ingest_phase_seconds', 'Where a batch spends its time', ['phase'], [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5]),
  batchSize: histogram('flowsentry_ingest_batch_events', 'Events per landed batch', [], [10, 100, 500, 1000, 5000, 10000, 50000]),
};
