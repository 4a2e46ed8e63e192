import { trace } from '@opentelemetry/api';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { currentTelemetry, startTelemetry } from './start-telemetry';

interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

/** A stand-in collector: accepts OTLP/HTTP posts and keeps them for assertions. */
async function otlpReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');
const START_TELEMETRY = JSON.stringify(join(__dirname, 'start-telemetry.ts'));

/**
 * Runs a script in a fresh Node process. The OTLP exporter loads `http` through a dynamic
 * import that jest's VM sandbox refuses, and signal handling needs a process of its own.
 */
async function runChild(script: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }> {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, OTEL_SDK_DISABLED: 'false' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const [code, signal] = await once(child, 'exit');
  return { code, signal, stdout: stdout.trim() };
}

const signalListeners = () => [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];

describe('startTelemetry', () => {
  const savedDisabled = process.env.OTEL_SDK_DISABLED;
  afterEach(() => {
    if (savedDisabled === undefined) delete process.env.OTEL_SDK_DISABLED;
    else process.env.OTEL_SDK_DISABLED = savedDisabled;
  });

  it('starts nothing and touches no signal handling when enabled is false', async () => {
    const before = signalListeners();
    const handle = startTelemetry({ service: 'ingest', enabled: false });

    expect(signalListeners()).toEqual(before);
    expect(currentTelemetry()).toBeUndefined();
    expect(trace.getTracer('spec').startSpan('noop').isRecording()).toBe(false);
    await expect(handle.shutdown()).resolves.toBeUndefined();
  });

  it('starts nothing when OTEL_SDK_DISABLED=true', () => {
    process.env.OTEL_SDK_DISABLED = 'true';
    startTelemetry({ service: 'ingest' });

    expect(currentTelemetry()).toBeUndefined();
    expect(trace.getTracer('spec').startSpan('noop').isRecording()).toBe(false);
  });

  it('flushes spans of flowsentry-<service> as OTLP protobuf to <endpoint>/v1/traces on shutdown, then releases the signals', async () => {
    const collector = await otlpReceiver();
    try {
      const { stdout } = await runChild(`
        const { startTelemetry, currentTelemetry } = require(${START_TELEMETRY});
        const signals = () => [process.listenerCount('SIGTERM'), process.listenerCount('SIGINT')];
        const before = signals();
        const handle = startTelemetry({ service: 'ingest', otlpEndpoint: ${JSON.stringify(collector.url + '/')} });
        const during = signals();
        const startedOnce = startTelemetry({ service: 'ingest' }) === handle;
        require('@opentelemetry/api').trace.getTracer('child').startSpan('write raw batch').end();
        handle.shutdown().then(() => handle.shutdown()).then(() => console.log(JSON.stringify({
          before, during, after: signals(), startedOnce, released: currentTelemetry() === undefined,
        })));
      `);

      expect(JSON.parse(stdout)).toEqual({ before: [0, 0], during: [1, 1], after: [0, 0], startedOnce: true, released: true });
      expect(collector.received).toHaveLength(1);
      const [post] = collector.received;
      expect(post.path).toBe('/v1/traces');
      expect(post.contentType).toBe('application/x-protobuf');
      // Protobuf stores strings as raw UTF-8, so resource and span names are visible in the bytes.
      expect(post.body.includes('flowsentry-ingest')).toBe(true);
      expect(post.body.includes('write raw batch')).toBe(true);
    } finally {
      collector.server.close();
    }
  }, 20_000);

  it('on SIGTERM with no other handler, flushes spans and lets the signal end the process without calling exit', async () => {
    const collector = await otlpReceiver();
    try {
      const { code, signal } = await runChild(`
        const { startTelemetry } = require(${START_TELEMETRY});
        startTelemetry({ service: 'trainer', otlpEndpoint: ${JSON.stringify(collector.url)} });
        require('@opentelemetry/api').trace.getTracer('child').startSpan('fit isolation forest').end();
        process.kill(process.pid, 'SIGTERM');
        setTimeout(() => {}, 10000);
      `);

      expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
      expect(collector.received.some((post) => post.body.includes('fit isolation forest'))).toBe(true);
    } finally {
      collector.server.close();
    }
  }, 20_000);

  it('leaves the flush to the application when it handles SIGTERM itself (Nest shutdown hooks)', async () => {
    const collector = await otlpReceiver();
    try {
      const { stdout, code } = await runChild(`
        const { startTelemetry, currentTelemetry } = require(${START_TELEMETRY});
        const handle = startTelemetry({ service: 'monitor', otlpEndpoint: ${JSON.stringify(collector.url)} });
        require('@opentelemetry/api').trace.getTracer('child').startSpan('score batch').end();
        process.on('SIGTERM', () => setTimeout(() => {
          const stillRunning = currentTelemetry() === handle;
          handle.shutdown().then(() => { console.log(JSON.stringify({ stillRunning })); process.exitCode = 0; });
        }, 200));
        process.kill(process.pid, 'SIGTERM');
      `);

      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ stillRunning: true });
      expect(collector.received.some((post) => post.body.includes('score batch'))).toBe(true);
    } finally {
      collector.server.close();
    }
  }, 20_000);
});
