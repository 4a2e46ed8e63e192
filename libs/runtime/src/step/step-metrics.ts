import { Counter, Gauge, Histogram } from 'prom-client';
import { counter, gauge, histogram } from '@flowsentry/telemetry';

export interface StepMetrics {
  consumed: Counter<'topic'>;
  emitted: Counter<'topic'>;
  failed: Counter<'reason'>;
  deadLettered: Counter<'topic' | 'reason'>;
  redelivered: Counter<'topic'>;
  handlerSeconds: Histogram<'topic'>;
  lag: Gauge<'topic' | 'partition'>;
}

/** The KPIs every step exposes, named like ingest's (`flowsentry_<service>_…`). */
export function stepMetrics(service: string): StepMetrics {
  const p = `flowsentry_${service}`;
  return {
    consumed: counter(`${p}_events_in_total`, 'Pipeline events consumed', ['topic']),
    emitted: counter(`${p}_events_out_total`, 'Pipeline events emitted', ['topic']),
    failed: counter(`${p}_failures_total`, 'Handler attempts that failed (then retried or dead-lettered)', ['reason']),
    deadLettered: counter(`${p}_dead_letters_total`, 'Events given up on and sent to <topic>.dlq', ['topic', 'reason']),
    redelivered: counter(`${p}_redeliveries_total`, 'Events the idempotency guard had already processed', ['topic']),
    handlerSeconds: histogram(`${p}_handler_seconds`, 'Time to handle one event: step logic, audit and emit', ['topic'], [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]),
    lag: gauge(`${p}_consumer_lag`, 'Messages behind the partition high watermark', ['topic', 'partition']),
  };
}
