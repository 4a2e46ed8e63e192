/** Where Jaeger's UI is, for links to a run's trace: JAEGER_QUERY_URL (the stack's env sets it), else the local default. */
export function jaegerUrl(): string {
  return (process.env.JAEGER_QUERY_URL ?? 'http://127.0.0.1:16686').replace(/\/+$/, '');
}
