/** Injection token for the service's pino `Logger` (see TelemetryModule). */
export const LOGGER = 'flowsentry.telemetry.logger';
