import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import { qualifiedServiceName } from '../otel/service-name';
import { REDACTED_PATHS, REDACTION_CENSOR } from './redaction';
import { traceFields } from './trace-mixin';

export type Logger = PinoLogger;

/**
 * JSON logger for one service. `destination` defaults to stdout; specs pass a stream to read
 * the lines back.
 */
export function createLogger(
  service: string,
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination?: DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: qualifiedServiceName(service) },
    mixin: traceFields,
    redact: { paths: REDACTED_PATHS, censor: REDACTION_CENSOR },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Level names rather than pino's numbers, so log queries read `level="error"`.
    formatters: { level: (label) => ({ level: label }) },
  };
  return destination ? pino(options, destination) : pino(options);
}
