import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConnectionSettings } from './service-config';
import { ReadinessTargets, ServiceConnections } from './service-connections';

/** Injection tokens: the service's validated config object and its readiness checks. */
export const SERVICE_CONFIG = 'flowsentry.service.config';
export const READINESS = 'flowsentry.service.readiness';

/** Closes the clients after everything else shut down (consumers drain before this runs). */
@Injectable()
class ConnectionsCloser implements OnApplicationShutdown {
  constructor(private readonly connections: ServiceConnections) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connections.close();
  }
}

/** Provides one ServiceConnections per process, its readiness checks and the service's config. */
@Module({})
export class ConnectionsModule {
  static register(config: ConnectionSettings, readiness: ReadinessTargets): DynamicModule {
    return {
      module: ConnectionsModule,
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: ServiceConnections, useFactory: () => new ServiceConnections(config) },
        { provide: READINESS, useFactory: (c: ServiceConnections) => c.readiness(readiness), inject: [ServiceConnections] },
        ConnectionsCloser,
      ],
      exports: [ServiceConnections, READINESS, SERVICE_CONFIG],
    };
  }
}
