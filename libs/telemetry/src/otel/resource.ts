import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
} from '@opentelemetry/semantic-conventions';
import { qualifiedServiceName } from './service-name';

/**
 * Resource attributes every span of a service carries. Version and environment come from the
 * deployment (Helm sets them) so a trace in Jaeger says which build produced it.
 */
export function telemetryResource(service: string, env: NodeJS.ProcessEnv = process.env): Resource {
  return resourceFromAttributes({
    [ATTR_SERVICE_NAME]: qualifiedServiceName(service),
    [ATTR_SERVICE_VERSION]: env.FLOWSENTRY_VERSION ?? 'dev',
    [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: env.FLOWSENTRY_ENV ?? 'local',
  });
}
