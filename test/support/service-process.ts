import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually } from './eventually';
import { stackEnv, StackRole } from './stack-env';

export interface RunningService {
  proc: ChildProcess;
  port: number;
  logs(): string;
  /** Its /metrics exposition (Prometheus text). */
  metrics(): Promise<string>;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

const repoRoot = join(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a built service (`services/<name>/dist/main.js`) as its own OS process and waits for /health/ready. */
export async function startService(
  name: StackRole,
  overrides: Record<string, string>,
  readyTimeoutMs = 60_000,
  probe: 'ready' | 'live' = 'ready',
  /** Flags for node itself, e.g. `--cpu-prof` (which NODE_OPTIONS does not allow). */
  nodeArgs: string[] = [],
): Promise<RunningService> {
  const port = await freePort();
  const proc = spawn(process.execPath, [...nodeArgs, join(repoRoot, 'services', name, 'dist', 'main.js')], {
    env: { PATH: process.env.PATH ?? '', ...stackEnv(name), PORT: String(port), LOG_LEVEL: 'info', ...overrides },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (chunk) => (output += chunk));
  proc.stderr!.on('data', (chunk) => (output += chunk));
  keepLog(name, port, proc);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  let ended = false;
  void exited.then(() => (ended = true));
  const service: RunningService = { proc, port, logs: () => output, metrics: () => scrapeMetrics(port), exited, kill: (signal) => proc.kill(signal) };
  try {
    // A process that exits during start-up (a configuration error) fails at once, not after the timeout.
    const died = exited.then(({ code, signal }) => Promise.reject(new Error(`${name} exited during start-up (${signal ?? `code ${code}`})`)));
    died.catch(() => undefined);
    await Promise.race([
      eventually(
        async () => {
          if (ended) return false;
          const res = await fetch(`http://127.0.0.1:${port}/health/${probe}`).catch(() => undefined);
          return res?.status === 200;
        },
        `${name} to become ${probe}`,
        readyTimeoutMs,
      ),
      died,
    ]);
  } catch (err) {
    proc.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- ${name} output ---\n${output.slice(-3000)}`);
  }
  return service;
}

/**
 * With TEST_SERVICE_LOG_DIR set, every service's output is also kept in `<dir>/<name>-<port>.log`,
 * so a failed end-to-end run can be read afterwards, process by process.
 */
function keepLog(name: string, port: number, proc: ChildProcess): void {
  const dir = process.env.TEST_SERVICE_LOG_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = createWriteStream(join(dir, `${name}-${port}.log`));
  proc.stdout!.pipe(file, { end: false });
  proc.stderr!.pipe(file, { end: false });
  proc.once('exit', () => file.end());
}

/**
 * GET /metrics, sent again when the connection was lost before an answer: fetch reuses the socket
 * of the readiness probe, and when that idle socket reaches the server's keep-alive timeout just as
 * the request leaves, the server closes it unanswered ("other side closed"). A scrape is idempotent.
 */
async function scrapeMetrics(port: number, attempts = 3): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    } catch (err) {
      if (attempt >= attempts) throw err;
    }
  }
}
