// Imported first by main.ts: the SDK must patch kafkajs before anything requires it.
import { startTelemetry } from '@flowsentry/telemetry';

export const telemetry = startTelemetry({ service: 'ingest' });
