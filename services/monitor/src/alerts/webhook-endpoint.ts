/**
 * Where alerts are POSTed. The URL is a credential (Slack and most chat webhooks put the token in
 * the path), so only `origin` (scheme, host, port) may appear in logs and errors.
 */
export interface WebhookEndpoint {
  /** The URL to POST to, without user info (fetch refuses URLs with credentials). */
  readonly url: string;
  readonly origin: string;
  readonly headers: Record<string, string>;
}

export function webhookEndpoint(raw: string): WebhookEndpoint {
  const url = new URL(raw);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // https://user:pass@host/… is a legitimate way to give basic auth; fetch wants it as a header.
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return { url: url.toString(), origin: url.origin, headers };
}

/** Removes the secret parts of the URL from a text that may quote it (an error message from fetch). */
export function withoutSecrets(endpoint: WebhookEndpoint, text: string): string {
  const url = new URL(endpoint.url);
  const secrets = [endpoint.url, `${url.pathname}${url.search}`, url.search].filter((s) => s.length > 1);
  return secrets.reduce((out, secret) => out.split(secret).join('/[redacted]'), text);
}
