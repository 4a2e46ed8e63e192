// Imported first by main.ts: the SDK must be running before anything requires kafkajs.
import { startTelemetry } from '@flowsentry/telemetry';

export const telemetry = startTelemetry({ service: 'monitor' });
