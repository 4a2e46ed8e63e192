import { DynamicModule, Module } from '@nestjs/common';
import { ConnectionsModule, READINESS } from '@flowsentry/runtime';
import { TelemetryModule } from '@flowsentry/telemetry';
import { IngestConfig } from './ingest.config';
import { NetworkEventsConsumer } from './network-events.consumer';

@Module({})
export class AppModule {
  static register(config: IngestConfig): DynamicModule {
    // Readiness reads the table ingest plans batches in, so a missing migration or grant fails readiness, not the first batch.
    const connections = ConnectionsModule.register(config, { bucket: 'raw', table: 'ingestion_batches' });
    return {
      module: AppModule,
      imports: [TelemetryModule.forService({ service: 'ingest', readiness: READINESS, imports: [connections] }), connections],
      providers: [NetworkEventsConsumer],
    };
  }
}
