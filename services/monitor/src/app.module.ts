import { DynamicModule, Module } from '@nestjs/common';
import { ModelRegistry } from '@flowsentry/audit';
import { ConnectionsModule, READINESS, ServiceConnections } from '@flowsentry/runtime';
import { TelemetryModule } from '@flowsentry/telemetry';
import { ALERT_SINK, AlertSink, AlertsModule } from './alerts';
import { ChampionChangedHandler } from './champion-changed.handler';
import { ChampionModels } from './champion-models';
import { MonitorConfig } from './monitor.config';
import { MonitorState, PostgresMonitorState } from './monitor-state';
import { SilverReadyConsumer } from './silver-ready.consumer';
import { SilverReadyHandler } from './silver-ready.handler';

const MONITOR_STATE = 'monitor.state';

@Module({})
export class AppModule {
  static register(config: MonitorConfig): DynamicModule {
    const connections = ConnectionsModule.register(config, { bucket: 'monitor', table: 'monitor_champions' });
    const modelName = config.MONITOR_MODEL_NAME;
    return {
      module: AppModule,
      imports: [TelemetryModule.forService({ service: 'monitor', readiness: READINESS, imports: [connections] }), connections, AlertsModule.register(config, connections)],
      providers: [
        { provide: ModelRegistry, inject: [ServiceConnections], useFactory: (c: ServiceConnections) => new ModelRegistry(c.db) },
        { provide: MONITOR_STATE, inject: [ServiceConnections], useFactory: (c: ServiceConnections): MonitorState => new PostgresMonitorState(c.db, config.MONITOR_GROUP_ID, modelName) },
        { provide: ChampionModels, inject: [ServiceConnections], useFactory: (c: ServiceConnections) => new ChampionModels(c.store, { threads: config.MONITOR_SCORING_THREADS }) },
        {
          provide: ChampionChangedHandler,
          inject: [MONITOR_STATE, ModelRegistry, ChampionModels],
          useFactory: (state: MonitorState, registry: ModelRegistry, champions: ChampionModels) => new ChampionChangedHandler({ state, registry, champions }, modelName),
        },
        {
          provide: SilverReadyHandler,
          inject: [ServiceConnections, MONITOR_STATE, ModelRegistry, ChampionModels, ALERT_SINK],
          useFactory: (c: ServiceConnections, state: MonitorState, registry: ModelRegistry, champions: ChampionModels, alerts: AlertSink) =>
            new SilverReadyHandler(
              { objects: c.store, state, registry, champions, alerts },
              {
                modelName,
                violationAlertMin: config.MONITOR_VIOLATION_ALERT_MIN,
                drift: {
                  driftShare: config.MONITOR_DRIFT_SHARE,
                  scorePsi: config.MONITOR_SCORE_PSI,
                  minRows: config.MONITOR_MIN_ROWS,
                  consecutive: config.MONITOR_DRIFT_CONSECUTIVE,
                  cooldownMs: config.MONITOR_DRIFT_COOLDOWN_MS,
                },
              },
            ),
        },
        SilverReadyConsumer,
      ],
    };
  }
}
