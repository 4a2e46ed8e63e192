import { DynamicModule, Module } from '@nestjs/common';
import { TelemetryModule } from '@flowsentry/telemetry';
import { ConnectionsModule, READINESS } from './connections';
import { INGEST_CONFIG, IngestConfig } from './ingest.config';
import { NetworkEventsConsumer } from './network-events.consumer';

@Module({})
export class AppModule {
  static register(config: IngestConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [TelemetryModule.forService({ service: 'ingest', readiness: READINESS, imports: [ConnectionsModule] }), ConnectionsModule],
      providers: [{ provide: INGEST_CONFIG, useValue: config }, NetworkEventsConsumer],
    };
  }
}
