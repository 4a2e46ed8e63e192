import { Inject, Injectable, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LOGGER } from './logging/logger.token';
import type { Logger } from './logging/logger';
import { PinoNestLogger } from './logging/pino-nest-logger';
import { TelemetryModule } from './telemetry.module';

@Injectable()
class RawBatchWriter {
  constructor(@Inject(LOGGER) readonly logger: Logger) {}
}

@Module({ providers: [RawBatchWriter] })
class IngestFeatureModule {}

describe('TelemetryModule.forService', () => {
  let app: INestApplication;
  let url: string;
  beforeAll(async () => {
    @Module({
      imports: [
        TelemetryModule.forService({ service: 'ingest', readiness: [{ name: 'kafka', check: async () => undefined }] }),
        IngestFeatureModule,
      ],
    })
    class IngestModule {}
    app = await NestFactory.create(IngestModule, { logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });
  afterAll(() => app.close());

  it('serves /metrics labelled with the service', async () => {
    const body = await (await fetch(`${url}/metrics`)).text();

    expect(body).toMatch(/process_cpu_user_seconds_total\{service="flowsentry-ingest"\}/);
  });

  it('serves /health/live and /health/ready from the readiness list', async () => {
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toHaveProperty('info.kafka.status', 'up');
  });

  it('lets feature modules inject the service logger by the LOGGER token', () => {
    const logger = app.get(RawBatchWriter).logger;

    expect(logger.bindings()).toMatchObject({ service: 'flowsentry-ingest' });
    expect(app.get(PinoNestLogger)).toBeInstanceOf(PinoNestLogger);
  });
});
