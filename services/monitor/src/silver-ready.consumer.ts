import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceConnections, StepConsumer } from '@flowsentry/runtime';
import { Logger, LOGGER } from '@flowsentry/telemetry';
import { ChampionChangedHandler } from './champion-changed.handler';
import { MonitorConfig } from './monitor.config';
import { SilverReadyHandler } from './silver-ready.handler';

/**
 * monitor consumes `silver.ready` and `champion.changed` in its own group through the step
 * runtime: one consumer, so batches and champion moves are handled one at a time and a batch is
 * never scored while the champion it reads is being replaced.
 */
@Injectable()
export class SilverReadyConsumer extends StepConsumer {
  constructor(
    connections: ServiceConnections,
    @Inject(SERVICE_CONFIG) config: MonitorConfig,
    @Inject(LOGGER) log: Logger,
    silverReady: SilverReadyHandler,
    championChanged: ChampionChangedHandler,
  ) {
    super(connections, { service: 'monitor', groupId: config.MONITOR_GROUP_ID, settings: config }, [silverReady, championChanged], log);
  }
}
