import { DynamicModule, Module } from '@nestjs/common';
import { TelemetryModule } from '@flowsentry/telemetry';
import { ConnectionsModule, READINESS } from './connections';
import { IngestConfig } from './ingest.config';
import { NetworkEventsConsumer } from './network-events.consumer';

@Module({})
export class AppModule {
  static register(config: IngestConfig): DynamicModule {
    const connections = ConnectionsModule.register(config);
    return {
      module: AppModule,
      imports: [TelemetryModule.forService({ service: 'ingest', readiness: READINESS, imports: [connections] }), connections],
      providers: [NetworkEventsConsumer],
    };
  }
}
