const LOCAL_COLLECTOR = 'http://127.0.0.1:4318';

/** OTLP/HTTP traces URL: explicit option, then the standard env var, then the local Jaeger. */
export function otlpTracesUrl(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = explicit ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? LOCAL_COLLECTOR;
  return `${base.replace(/\/+$/, '')}/v1/traces`;
}
