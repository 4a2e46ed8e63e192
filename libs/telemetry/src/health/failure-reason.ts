const URL_CREDENTIALS = /\/\/[^\s/@]+@/g;
const SECRET_ASSIGNMENT = /\b(password|passwd|pwd|secret(?:_?key)?|access_?key|token|api_?key)\s*[=:]\s*[^\s,;&]+/gi;
const MAX_LENGTH = 300;

/**
 * The reason a readiness check failed, safe to return from an unauthenticated endpoint: driver
 * errors may quote the connection URL or DSN they were given, credentials included.
 */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message || codeOf(error) || error.name : String(error);
  return message.replace(URL_CREDENTIALS, '//***@').replace(SECRET_ASSIGNMENT, '$1=***').slice(0, MAX_LENGTH);
}

function codeOf(error: Error): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}
