import { Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthModule } from './health.module';
import type { ReadinessCheck } from './readiness-check';
import { ShutdownState } from './shutdown-state';

interface HealthBody {
  status: string;
  info: Record<string, { status: string; message?: string }>;
  error: Record<string, { status: string; message?: string }>;
}
const bodyOf = async (response: Response): Promise<HealthBody> => (await response.json()) as HealthBody;

const passing = (name: string): ReadinessCheck => ({ name, check: async () => undefined });
const failing = (name: string, message: string): ReadinessCheck => ({
  name,
  check: async () => {
    throw new Error(message);
  },
});
const hanging = (name: string): ReadinessCheck => ({ name, check: () => new Promise<void>(() => undefined) });

async function serve(checks: ReadinessCheck[], timeoutMs?: number): Promise<{ app: INestApplication; url: string }> {
  @Module({ imports: [HealthModule.register(checks, { timeoutMs })] })
  class AppModule {}
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl() };
}

describe('health endpoints', () => {
  const apps: INestApplication[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  const start = async (checks: ReadinessCheck[], timeoutMs?: number) => {
    const served = await serve(checks, timeoutMs);
    apps.push(served.app);
    return served;
  };

  it('answers /health/live with 200 even while a dependency is down', async () => {
    const { url } = await start([failing('kafka', 'broker unreachable')]);

    const response = await fetch(`${url}/health/live`);
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toEqual({ status: 'ok' });
  });

  it('answers /health/ready with 200 when every check passes', async () => {
    const { url } = await start([passing('kafka'), passing('postgres')]);

    const response = await fetch(`${url}/health/ready`);
    expect(response.status).toBe(200);
    expect(await bodyOf(response)).toMatchObject({ status: 'ok', info: { kafka: { status: 'up' }, postgres: { status: 'up' } } });
  });

  it('answers /health/ready with 503 naming the failing check and why', async () => {
    const { url } = await start([passing('kafka'), failing('minio', 'bucket raw missing')]);

    const response = await fetch(`${url}/health/ready`);
    expect(response.status).toBe(503);
    const body = await bodyOf(response);
    expect(body.error).toEqual({ minio: { status: 'down', message: 'bucket raw missing' } });
    expect(body.info).toHaveProperty('kafka.status', 'up');
  });

  it('fails a check that does not answer within the timeout', async () => {
    const { url } = await start([hanging('postgres')], 50);

    const response = await fetch(`${url}/health/ready`);
    expect(response.status).toBe(503);
    expect((await bodyOf(response)).error.postgres.message).toBe('no answer within 50 ms');
  });

  it('never echoes credentials a driver put in its error message', async () => {
    const { url } = await start([failing('postgres', 'connect ECONNREFUSED postgres://audit:s3cr3t@127.0.0.1:5432/flowsentry password=s3cr3t')]);

    const body = await (await fetch(`${url}/health/ready`)).text();
    expect(body).not.toContain('s3cr3t');
    expect(body).toContain('postgres://***@127.0.0.1:5432/flowsentry');
  });

  it('turns /health/ready to 503 while draining for shutdown', async () => {
    const { app, url } = await start([passing('kafka')]);
    app.get(ShutdownState).beginDraining();

    const response = await fetch(`${url}/health/ready`);
    expect(response.status).toBe(503);
    expect((await bodyOf(response)).error).toHaveProperty('shutdown.status', 'down');
  });

  it('takes the checks from a token when they need injected clients', async () => {
    const CHECKS = 'spec.checks';
    @Module({ providers: [{ provide: CHECKS, useValue: [failing('kafka', 'no brokers')] }], exports: [CHECKS] })
    class ChecksModule {}
    @Module({ imports: [HealthModule.register(CHECKS, { imports: [ChecksModule] })] })
    class AppModule {}
    const app = await NestFactory.create(AppModule, { logger: false });
    apps.push(app);
    await app.listen(0, '127.0.0.1');

    const response = await fetch(`${await app.getUrl()}/health/ready`);
    expect(response.status).toBe(503);
    expect((await bodyOf(response)).error).toEqual({ kafka: { status: 'down', message: 'no brokers' } });
  });
});
