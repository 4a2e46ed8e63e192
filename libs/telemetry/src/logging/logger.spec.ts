import { trace } from '@opentelemetry/api';
import { Writable } from 'node:stream';
import { startInMemoryTracing, type InMemoryTracing } from '../testing/in-memory-tracing';
import { createLogger } from './logger';

/** A destination that keeps every JSON line pino writes. */
function captured(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = () => chunks.join('').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
  return { stream, lines };
}

describe('createLogger', () => {
  let tracing: InMemoryTracing;
  beforeAll(() => {
    tracing = startInMemoryTracing();
  });
  afterAll(() => tracing.shutdown());

  it('writes JSON lines naming the service and the level', () => {
    const out = captured();
    createLogger('ingest', 'info', out.stream).info('landed');

    expect(out.lines()[0]).toMatchObject({ service: 'flowsentry-ingest', level: 'info', msg: 'landed' });
  });

  it('stamps lines written inside a span with its trace and span ids', () => {
    const out = captured();
    const logger = createLogger('ingest', 'info', out.stream);

    const span = trace.getTracer('spec').startActiveSpan('batch', (active) => {
      logger.info('inside');
      active.end();
      return active;
    });
    logger.info('outside');

    const [inside, outside] = out.lines();
    expect(inside).toMatchObject({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId, trace_flags: '01' });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('redacts passwords and other credentials, nested or not, and keeps the rest', () => {
    const out = captured();
    createLogger('audit', 'info', out.stream).info(
      {
        password: 'hunter2',
        db: { host: 'pg', user: 'audit', password: 'pg-secret' },
        minio: { credentials: { secretKey: 'minio-secret' } },
        env: { PGPASSWORD: 'env-secret' },
        headers: { authorization: 'Bearer abc' },
      },
      'connected',
    );

    const line = JSON.stringify(out.lines()[0]);
    for (const secret of ['hunter2', 'pg-secret', 'minio-secret', 'env-secret', 'Bearer abc']) {
      expect(line).not.toContain(secret);
    }
    expect(out.lines()[0]).toMatchObject({ password: '[redacted]', db: { host: 'pg', user: 'audit', password: '[redacted]' } });
  });

  it('honours the level it is given', () => {
    const out = captured();
    const logger = createLogger('monitor', 'warn', out.stream);
    logger.info('dropped');
    logger.warn('kept');

    expect(out.lines().map((line) => line.msg)).toEqual(['kept']);
  });
});
