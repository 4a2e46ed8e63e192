import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { stackEnv } from './stack-env';

const repoRoot = join(__dirname, '..', '..');

/** Kafka's own console producer: bytes exactly as given, one message per line. */
export function runConsoleProducer(topic: string, lines: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const env = stackEnv('owner');
    const proc = spawn('bash', [join(repoRoot, 'tools/stack/kafka-tool'), 'console-producer', '--bootstrap-server', env.KAFKA_BROKERS!, '--topic', topic], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr.on('data', (c) => (err += c));
    proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`console producer exited ${code}: ${err}`))));
    proc.stdin.end(lines.join('\n') + '\n');
  });
}

/** The traffic producer (tools/producer), built, as a separate process. */
export function runTrafficProducer(prefix: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [join(repoRoot, 'tools/producer/dist/cli.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...stackEnv('cli'), FLOWSENTRY_TOPIC_PREFIX: prefix },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    proc.stderr.on('data', (c) => (err += c));
    proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`producer exited ${code}: ${err}`))));
  });
}

/** The operator CLI (tools/cli), built; resolves with its output. */
export function runCli(prefix: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [join(repoRoot, 'tools/cli/dist/cli.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', ...stackEnv('cli'), FLOWSENTRY_TOPIC_PREFIX: prefix },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    proc.stdout.on('data', (c) => (out += c));
    proc.stderr.on('data', (c) => (out += c));
    proc.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`cli exited ${code}: ${out}`))));
  });
}

/** Sum of a Prometheus metric over all its label sets (e.g. batches by trigger), or over those that carry every label given. */
export function metricValue(exposition: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  const lines = exposition.split('\n').filter((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && wanted.every((pair) => l.includes(pair)));
  if (lines.length === 0) throw new Error(`metric ${name} not exposed`);
  return lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** `tools/stack/stack.sh restart <server>`: one server of the local stack down and up again; resolves once it answers. */
export function restartStackServer(server: 'kafka' | 'minio' | 'postgres' | 'jaeger'): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn('bash', [join(repoRoot, 'tools/stack/stack.sh'), 'restart', server], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    proc.stderr.on('data', (c) => (err += c));
    proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`stack.sh restart ${server} exited ${code}: ${err}`))));
  });
}
