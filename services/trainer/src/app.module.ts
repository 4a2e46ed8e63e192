import { DynamicModule, Module } from '@nestjs/common';
import { Topics } from '@flowsentry/contracts';
import { physicalTopic, TopicAdmin } from '@flowsentry/messaging';
import { ConnectionsModule, READINESS, ServiceConnections } from '@flowsentry/runtime';
import { Logger, LOGGER, TelemetryModule } from '@flowsentry/telemetry';
import { PostgresDatasetCatalog } from './dataset-catalog';
import { DriftDetectedHandler } from './drift-detected.handler';
import { ModelTrainer } from './model-trainer';
import { SilverReadyConsumer } from './silver-ready.consumer';
import { SilverReadyHandler } from './silver-ready.handler';
import { TopicPartitionStreams } from './source-streams';
import { RegistryTrainedModels } from './trained-models';
import { TrainerConfig, trainingSettingsOf } from './trainer.config';
import { TrainerState } from './trainer-state';
import { PostgresTrainingRequests } from './training-requests';
import { TrainingTrigger } from './training-trigger';

const TRAINER_STATE = 'trainer.state';

@Module({})
export class AppModule {
  static register(config: TrainerConfig): DynamicModule {
    const connections = ConnectionsModule.register(config, { bucket: 'models', table: 'training_datasets' });
    const trigger = new TrainingTrigger({
      minRows: config.TRAINER_MIN_ROWS,
      retrainMinRows: config.TRAINER_RETRAIN_MIN_ROWS,
      scheduleMs: config.TRAINER_SCHEDULE_MS,
      streamIdleMs: config.TRAINER_STREAM_IDLE_MS,
      windowRows: config.TRAINER_WINDOW_ROWS,
      windowMs: config.TRAINER_WINDOW_MS,
      holdoutFraction: config.TRAINER_HOLDOUT_FRACTION,
    });
    const training = trainingSettingsOf(config);
    const modelName = config.TRAINER_MODEL_NAME;
    return {
      module: AppModule,
      imports: [TelemetryModule.forService({ service: 'trainer', readiness: READINESS, imports: [connections] }), connections],
      providers: [
        {
          provide: TRAINER_STATE,
          inject: [ServiceConnections],
          useFactory: (c: ServiceConnections): TrainerState => ({
            catalog: new PostgresDatasetCatalog(c.db, PostgresDatasetCatalog.scopeOf(config.kafka.topicPrefix)),
            sources: new TopicPartitionStreams(new TopicAdmin(c.kafka), physicalTopic(config.kafka, Topics.networkEvents)),
            requests: new PostgresTrainingRequests(c.db),
            models: new RegistryTrainedModels(c.db),
          }),
        },
        {
          provide: ModelTrainer,
          inject: [ServiceConnections, TRAINER_STATE, LOGGER],
          useFactory: (c: ServiceConnections, state: TrainerState, log: Logger) => new ModelTrainer({ objects: c.store, models: state.models, log }, { modelName, training }),
        },
        {
          provide: SilverReadyHandler,
          inject: [TRAINER_STATE, ModelTrainer],
          useFactory: (state: TrainerState, trainer: ModelTrainer) => new SilverReadyHandler(state, trigger, trainer, modelName),
        },
        {
          provide: DriftDetectedHandler,
          inject: [TRAINER_STATE, ModelTrainer],
          useFactory: (state: TrainerState, trainer: ModelTrainer) => new DriftDetectedHandler(state, trigger, trainer, modelName),
        },
        SilverReadyConsumer,
      ],
    };
  }
}
