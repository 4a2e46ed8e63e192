import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceConnections, StepConsumer } from '@flowsentry/runtime';
import { Logger, LOGGER } from '@flowsentry/telemetry';
import { EvaluationHandler } from './evaluation.handler';
import { EvaluatorConfig } from './evaluator.config';

/** evaluator consumes `model.trained` in its own group through the step runtime. */
@Injectable()
export class ModelTrainedConsumer extends StepConsumer {
  constructor(connections: ServiceConnections, @Inject(SERVICE_CONFIG) config: EvaluatorConfig, @Inject(LOGGER) log: Logger, handler: EvaluationHandler) {
    super(connections, { service: 'evaluator', groupId: config.EVALUATOR_GROUP_ID, settings: config }, [handler], log);
  }
}
