import { z } from 'zod';
import { AuditSettings, auditSettingsFromEnv } from '@flowsentry/audit';
import { ConfigError, loadConfig } from '@flowsentry/config';
import { KafkaSettings, kafkaSettingsFromEnv } from '@flowsentry/messaging';
import { StorageSettings, storageSettingsFromEnv } from '@flowsentry/storage';

/** What every service needs besides its own settings: where Kafka, MinIO and PostgreSQL are. */
export interface ConnectionSettings {
  service: string;
  kafka: KafkaSettings;
  storage: StorageSettings;
  audit: AuditSettings;
}

export type ServiceConfig<S extends z.ZodRawShape> = z.infer<z.ZodObject<S>> & ConnectionSettings;

/**
 * Everything a service reads from its environment, validated before anything starts; problems
 * from every part (the service's own variables, Kafka, MinIO, PostgreSQL) are reported together
 * in one ConfigError, so an operator fixes a deployment in one go.
 */
export function loadServiceConfig<S extends z.ZodRawShape>(service: string, shape: S, source: Record<string, string | undefined> = process.env): ServiceConfig<S> {
  const problems: string[] = [];
  const attempt = <T>(load: () => T): T | undefined => {
    try {
      return load();
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems);
      return undefined;
    }
  };
  const own = attempt(() => loadConfig(shape, source));
  const kafka = attempt(() => kafkaSettingsFromEnv(`flowsentry-${service}`, source));
  const storage = attempt(() => storageSettingsFromEnv(source));
  const audit = attempt(() => auditSettingsFromEnv(source));
  if (!own || !kafka || !storage || !audit) throw new ConfigError(problems);
  return { ...own, service, kafka, storage, audit };
}
