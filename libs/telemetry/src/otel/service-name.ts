/** One name joins a service's traces, logs and metrics: `flowsentry-<service>`. */
export function qualifiedServiceName(service: string): string {
  return service.startsWith('flowsentry-') ? service : `flowsentry-${service}`;
}
