import type { LoggerService } from '@nestjs/common';
import type { Level } from 'pino';
import type { Logger } from './logger';

const looksLikeStack = (value: unknown): value is string => typeof value === 'string' && /\n\s+at /.test(value);

/**
 * Routes Nest's own logs (bootstrap, routes, exceptions) through the service's pino logger so
 * stdout stays one JSON stream. Nest appends its context name as the last string argument and
 * passes `error(message, stack?, context?)`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const rest = [...params];
    const last = rest.at(-1);
    const fields: Record<string, unknown> = {};
    if (typeof last === 'string' && !looksLikeStack(last)) fields.context = rest.pop();
    for (const param of rest) {
      if (looksLikeStack(param)) fields.stack = param;
      else if (param instanceof Error) fields.err = param;
      else if (param !== undefined) ((fields.params ??= []) as unknown[]).push(param);
    }
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message));
  }
}
