import { DynamicModule, Module } from '@nestjs/common';
import { ConnectionsModule, READINESS, SERVICE_CONFIG, ServiceConnections } from '@flowsentry/runtime';
import { TelemetryModule } from '@flowsentry/telemetry';
import { RawLandedConsumer } from './raw-landed.consumer';
import { featureVersion } from './feature-version';
import { PostgresStreamStore } from './stream-store';
import { TransformConfig } from './transform.config';
import { TransformHandler } from './transform.handler';
import { windowSpecs } from './windows';

@Module({})
export class AppModule {
  static register(config: TransformConfig): DynamicModule {
    const connections = ConnectionsModule.register(config, { bucket: 'silver', table: 'transform_checkpoints' });
    return {
      module: AppModule,
      imports: [TelemetryModule.forService({ service: 'transform', readiness: READINESS, imports: [connections] }), connections],
      providers: [
        {
          provide: TransformHandler,
          inject: [ServiceConnections, SERVICE_CONFIG],
          useFactory: (c: ServiceConnections, cfg: TransformConfig) =>
            new TransformHandler({ objects: c.store, streams: new PostgresStreamStore(c.db, cfg.TRANSFORM_GROUP_ID, featureVersion(windowSpecs(cfg.TRANSFORM_WINDOWS_MS))) }, cfg),
        },
        RawLandedConsumer,
      ],
    };
  }
}
