import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceConnections, StepConsumer } from '@flowsentry/runtime';
import { Logger, LOGGER } from '@flowsentry/telemetry';
import { DriftDetectedHandler } from './drift-detected.handler';
import { SilverReadyHandler } from './silver-ready.handler';
import { TrainerConfig } from './trainer.config';

/**
 * trainer consumes `silver.ready` and `drift.detected` in its own group through the step runtime:
 * one consumer, so the two kinds of event are handled one at a time and a drift request and the
 * dataset that fulfils it never race.
 */
@Injectable()
export class SilverReadyConsumer extends StepConsumer {
  constructor(
    connections: ServiceConnections,
    @Inject(SERVICE_CONFIG) config: TrainerConfig,
    @Inject(LOGGER) log: Logger,
    silverReady: SilverReadyHandler,
    driftDetected: DriftDetectedHandler,
  ) {
    super(connections, { service: 'trainer', groupId: config.TRAINER_GROUP_ID, settings: config }, [silverReady, driftDetected], log);
  }
}
