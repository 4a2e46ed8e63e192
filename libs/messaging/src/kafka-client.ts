import { Kafka, logLevel, LogEntry } from 'kafkajs';
import { KafkaSettings } from './kafka-settings';
import { KafkaLogLevel, kafkaLogLevel } from './kafka-log';

/**
 * The client handle services pass around. Services name this type, never kafkajs's: kafkajs is in
 * maintenance upstream, and a client swap must touch this lib only.
 */
export type KafkaClient = Kafka;

export type KafkaLogSink = (level: KafkaLogLevel, message: string, extra: Record<string, unknown>) => void;

const levels: Record<number, KafkaLogLevel> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/**
 * The one place a kafkajs client is constructed. kafkajs is in maintenance upstream; keeping
 * construction (and every other kafkajs import) inside this lib is what makes a client swap cheap.
 */
export function createKafka(settings: KafkaSettings, log?: KafkaLogSink): KafkaClient {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...extra } = entry.log;
      if (log) log(kafkaLogLevel(levels[entry.level] ?? 'info', entry.namespace, message), `kafka ${entry.namespace}: ${message}`, extra);
    },
  });
}
