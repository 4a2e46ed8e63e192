// Imported first by main.ts: the SDK must be running before anything requires kafkajs.
import { startTelemetry } from '@flowsentry/telemetry';

// Ingest traces per batch (a span continuing the first event's trace, linking the rest), not per message.
export const telemetry = startTelemetry({ service: 'ingest', instrumentKafka: false });
