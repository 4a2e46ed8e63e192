import './telemetry';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '@flowsentry/config';
import { PinoNestLogger } from '@flowsentry/telemetry';
import { AppModule } from './app.module';
import { loadMonitorConfig } from './monitor.config';

async function bootstrap(): Promise<void> {
  const config = loadMonitorConfig();
  const app = await NestFactory.create(AppModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.PORT, config.HOST);
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `monitor: ${err.message}` : err);
  process.exit(1);
});
