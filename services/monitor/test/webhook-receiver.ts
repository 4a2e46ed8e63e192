import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export interface ReceivedAlert {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> & { text?: string; kind?: string; key?: string; details?: Record<string, unknown> };
}

/** How the receiver answers its n-th request (0-based): a status (with headers), or never. */
export type ReceiverAnswer = number | { status: number; headers?: Record<string, string> } | 'hang';

/**
 * A real webhook receiver on 127.0.0.1 and a free port (node:http), recording what it is sent;
 * `answer` scripts outages, errors and rate limits. The path carries a token, like Slack's.
 */
export class WebhookReceiver {
  /** Every request answered (whatever the status), in arrival order. */
  readonly received: ReceivedAlert[] = [];
  /** Every request, hanging ones included. */
  requests = 0;
  answer: (n: number, request: ReceivedAlert) => ReceiverAnswer = () => 200;
  private readonly server: Server;

  private constructor() {
    this.server = createServer((req, res) => void this.onRequest(req, res));
  }

  static start(answer?: WebhookReceiver['answer']): Promise<WebhookReceiver> {
    return WebhookReceiver.startOn(0, answer);
  }

  /** On a given port: a receiver coming back where a stopped one was. */
  static async startOn(port: number, answer?: WebhookReceiver['answer']): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    if (answer) receiver.answer = answer;
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(port, '127.0.0.1', resolve);
    });
    return receiver;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  url(token = 'T0001/B0001/s3cr3t-webhook-token'): string {
    return `${this.origin}/services/${token}`;
  }

  /** Resolves once `count` alerts were received (and answered, whatever the answer). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedAlert[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`webhook receiver got ${this.received.length} of ${count} alerts within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.received;
  }

  /** Stops listening and cuts every open connection, hanging ones included. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const alert: ReceivedAlert = { path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : {} };
    const answer = this.answer(this.requests++, alert);
    if (answer === 'hang') return;
    const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
    this.received.push(alert);
    res.writeHead(status, headers).end(status < 300 ? 'ok' : 'no');
  }
}
