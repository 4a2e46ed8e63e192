import { DynamicModule, Module } from '@nestjs/common';
import { ConnectionsModule, READINESS, SERVICE_CONFIG, ServiceConnections } from '@flowsentry/runtime';
import { TelemetryModule } from '@flowsentry/telemetry';
import { RawLandedConsumer } from './raw-landed.consumer';
import { featureVersion } from './feature-version';
import { PostgresStreamStore } from './stream-store';
import { TransformConfig } from './transform.config';
import { TransformHandler } from './transform.handler';
import { windowSpecs } from './windows';
import { SilverWorkers } from './workers/silver-workers';

const SILVER_WORKERS = Symbol('SilverWorkers');

@Module({})
export class AppModule {
  static register(config: TransformConfig): DynamicModule {
    const connections = ConnectionsModule.register(config, { bucket: 'silver', table: 'transform_checkpoints' });
    return {
      module: AppModule,
      imports: [TelemetryModule.forService({ service: 'transform', readiness: READINESS, imports: [connections] }), connections],
      providers: [
        {
          provide: PostgresStreamStore,
          inject: [ServiceConnections, SERVICE_CONFIG],
          useFactory: (c: ServiceConnections, cfg: TransformConfig) => new PostgresStreamStore(c.db, cfg.TRANSFORM_GROUP_ID, featureVersion(windowSpecs(cfg.TRANSFORM_WINDOWS_MS))),
        },
        {
          provide: SILVER_WORKERS,
          inject: [ServiceConnections, PostgresStreamStore, SERVICE_CONFIG],
          useFactory: (c: ServiceConnections, streams: PostgresStreamStore, cfg: TransformConfig) =>
            cfg.TRANSFORM_WORKERS > 0 ? new SilverWorkers(cfg.TRANSFORM_WORKERS, { objects: c.store, streams }, cfg) : null,
        },
        {
          provide: TransformHandler,
          inject: [ServiceConnections, PostgresStreamStore, SILVER_WORKERS, SERVICE_CONFIG],
          useFactory: (c: ServiceConnections, streams: PostgresStreamStore, silver: SilverWorkers | null, cfg: TransformConfig) =>
            new TransformHandler({ objects: c.store, streams, ...(silver ? { silver } : {}) }, cfg),
        },
        RawLandedConsumer,
      ],
    };
  }
}
