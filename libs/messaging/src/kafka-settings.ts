import { env, loadConfig } from '@flowsentry/config';
import { LogicalTopic, topicName } from '@flowsentry/contracts';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
}

export function kafkaSettingsFromEnv(clientId: string, source: Record<string, string | undefined> = process.env): KafkaSettings {
  const cfg = loadConfig({ KAFKA_BROKERS: env.list('127.0.0.1:9092'), FLOWSENTRY_TOPIC_PREFIX: env.string('') }, source);
  return { brokers: cfg.KAFKA_BROKERS, clientId, topicPrefix: cfg.FLOWSENTRY_TOPIC_PREFIX };
}

/** Physical topic name in this deployment. */
export function physicalTopic(settings: Pick<KafkaSettings, 'topicPrefix'>, logical: LogicalTopic): string {
  return topicName(logical, settings.topicPrefix);
}
