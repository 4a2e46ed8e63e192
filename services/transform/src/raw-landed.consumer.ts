import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG, ServiceConnections, StepConsumer } from '@flowsentry/runtime';
import { Logger, LOGGER } from '@flowsentry/telemetry';
import { TransformConfig } from './transform.config';
import { TransformHandler } from './transform.handler';

/** transform consumes `raw.landed` in its own group through the step runtime. */
@Injectable()
export class RawLandedConsumer extends StepConsumer {
  constructor(connections: ServiceConnections, @Inject(SERVICE_CONFIG) config: TransformConfig, @Inject(LOGGER) log: Logger, handler: TransformHandler) {
    super(connections, { service: 'transform', groupId: config.TRANSFORM_GROUP_ID, settings: config, concurrentPartitions: config.TRANSFORM_CONCURRENT_PARTITIONS }, [handler], log);
  }
}
