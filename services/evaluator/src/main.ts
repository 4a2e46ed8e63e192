import './telemetry';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { ConfigError } from '@flowsentry/config';
import { PinoNestLogger } from '@flowsentry/telemetry';
import { AppModule } from './app.module';
import { loadEvaluatorConfig, RECOMMENDED_TOKEN_LENGTH } from './evaluator.config';

async function bootstrap(): Promise<void> {
  const config = loadEvaluatorConfig();
  const app = await NestFactory.create(AppModule.register(config), { bufferLogs: true });
  const log = app.get(PinoNestLogger);
  app.useLogger(log);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  if (!config.REGISTRY_API_TOKEN) log.warn('no REGISTRY_API_TOKEN configured: the registry API refuses every request', 'evaluator');
  else if (config.REGISTRY_API_TOKEN.length < RECOMMENDED_TOKEN_LENGTH) log.warn(`the registry API token is shorter than ${RECOMMENDED_TOKEN_LENGTH} characters; use a long random one outside local setups`, 'evaluator');
  await app.listen(config.PORT, config.HOST);
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? `evaluator: ${err.message}` : err);
  process.exit(1);
});
