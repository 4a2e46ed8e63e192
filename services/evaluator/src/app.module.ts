import { DynamicModule, Module } from '@nestjs/common';
import { ModelRegistry } from '@flowsentry/audit';
import { ConnectionsModule, READINESS, SERVICE_CONFIG, ServiceConnections } from '@flowsentry/runtime';
import { TelemetryModule } from '@flowsentry/telemetry';
import { BearerTokenGuard, REGISTRY_API_TOKEN } from './bearer-token.guard';
import { ChampionAnnouncer } from './champion-announcer';
import { EvaluationHandler } from './evaluation.handler';
import { EvaluatorConfig } from './evaluator.config';
import { ModelTrainedConsumer } from './model-trained.consumer';
import { RegistryController } from './registry.controller';

@Module({})
export class AppModule {
  static register(config: EvaluatorConfig): DynamicModule {
    const connections = ConnectionsModule.register(config, { bucket: 'eval', table: 'model_alias_history' });
    return {
      module: AppModule,
      imports: [TelemetryModule.forService({ service: 'evaluator', readiness: READINESS, imports: [connections] }), connections],
      controllers: [RegistryController],
      providers: [
        { provide: ModelRegistry, inject: [ServiceConnections], useFactory: (c: ServiceConnections) => new ModelRegistry(c.db) },
        { provide: REGISTRY_API_TOKEN, useValue: config.REGISTRY_API_TOKEN },
        {
          provide: EvaluationHandler,
          inject: [ServiceConnections, ModelRegistry, SERVICE_CONFIG],
          useFactory: (c: ServiceConnections, registry: ModelRegistry, cfg: EvaluatorConfig) => new EvaluationHandler({ objects: c.store, registry }, cfg),
        },
        BearerTokenGuard,
        ModelTrainedConsumer,
        ChampionAnnouncer,
      ],
    };
  }
}
