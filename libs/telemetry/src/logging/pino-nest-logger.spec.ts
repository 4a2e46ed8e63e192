import type { Logger } from './logger';
import { PinoNestLogger } from './pino-nest-logger';

type Call = [level: string, fields: Record<string, unknown>, message?: string];

function recordingLogger(): { logger: Logger; calls: Call[] } {
  const calls: Call[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message?: string) => calls.push([level, fields, message]);
  const logger = { info: at('info'), error: at('error'), warn: at('warn'), debug: at('debug'), trace: at('trace'), fatal: at('fatal') };
  return { logger: logger as unknown as Logger, calls };
}

describe('PinoNestLogger', () => {
  it("passes Nest's context name as a field", () => {
    const { logger, calls } = recordingLogger();
    new PinoNestLogger(logger).log('Mapped {/metrics, GET} route', 'RouterExplorer');

    expect(calls).toEqual([['info', { context: 'RouterExplorer' }, 'Mapped {/metrics, GET} route']]);
  });

  it('keeps the stack of an error Nest reports as (message, stack, context)', () => {
    const { logger, calls } = recordingLogger();
    const stack = 'Error: boom\n    at handler (main.ts:1:1)';
    new PinoNestLogger(logger).error('boom', stack, 'ExceptionsHandler');

    expect(calls).toEqual([['error', { context: 'ExceptionsHandler', stack }, 'boom']]);
  });

  it('logs an Error object under err with its message', () => {
    const { logger, calls } = recordingLogger();
    const error = new Error('kafka down');
    new PinoNestLogger(logger).error(error);

    expect(calls).toEqual([['error', { err: error }, 'kafka down']]);
  });

  it('maps verbose to trace', () => {
    const { logger, calls } = recordingLogger();
    new PinoNestLogger(logger).verbose('detail');

    expect(calls[0][0]).toBe('trace');
  });
});
