import { DynamicModule, Module } from '@nestjs/common';
import { ServiceConnections } from '@flowsentry/runtime';
import { Logger, LOGGER } from '@flowsentry/telemetry';
import { ALERT_SINK, AlertSink } from './alert';
import { AlertSettings } from './alert-settings';
import { StepFailureWatcher } from './step-failure-watcher';
import { WebhookAlertSink } from './webhook-alert-sink';

/** What the alerts need from the monitor's config: their own settings and the group the DLQ watcher's is named after. */
export type AlertsModuleSettings = AlertSettings & { MONITOR_GROUP_ID: string };

/**
 * Provides ALERT_SINK (the webhook sink) to the monitor's handlers and runs the DLQ watcher for
 * the process's lifetime. `connections` is the ConnectionsModule the app module registered: the
 * same module object, so the watcher shares the process's Kafka client. LOGGER comes from the
 * (global) TelemetryModule.
 */
@Module({})
export class AlertsModule {
  static register(settings: AlertsModuleSettings, connections: DynamicModule): DynamicModule {
    return {
      module: AlertsModule,
      imports: [connections],
      providers: [
        { provide: ALERT_SINK, inject: [LOGGER], useFactory: (log: Logger) => new WebhookAlertSink(settings, log) },
        {
          provide: StepFailureWatcher,
          inject: [ServiceConnections, ALERT_SINK, LOGGER],
          useFactory: (connections: ServiceConnections, sink: AlertSink, log: Logger) =>
            new StepFailureWatcher(connections.kafka, connections.kafkaSettings, sink, log, { groupId: `${settings.MONITOR_GROUP_ID}-dlq` }),
        },
      ],
      exports: [ALERT_SINK],
    };
  }
}
