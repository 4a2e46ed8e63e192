import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, env, loadConfig } from './load-config';

describe('loadConfig', () => {
  const shape = { KAFKA_BROKERS: env.list('127.0.0.1:9092'), BATCH_MAX: env.int(1000, 1), DRY_RUN: env.bool(false), PGPASSWORD: env.secret() };

  it('applies defaults matching the local stack and coerces types', () => {
    const cfg = loadConfig(shape, { PGPASSWORD: 'x' });
    expect(cfg).toEqual({ KAFKA_BROKERS: ['127.0.0.1:9092'], BATCH_MAX: 1000, DRY_RUN: false, PGPASSWORD: 'x' });
  });

  it('reads a secret from the file named by NAME_FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    writeFileSync(join(dir, 'pw'), 's3cret\n');
    expect(loadConfig(shape, { PGPASSWORD_FILE: join(dir, 'pw') }).PGPASSWORD).toBe('s3cret');
  });

  it('names every bad variable at once without echoing values', () => {
    let error: unknown;
    try {
      loadConfig(shape, { BATCH_MAX: '0', DRY_RUN: 'maybe', PGPASSWORD: '' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/BATCH_MAX/);
    expect(problems).toMatch(/DRY_RUN/);
    expect(problems).toMatch(/PGPASSWORD/);
    expect(problems).not.toMatch(/maybe/);
  });

  it('reports an unreadable secret file by variable name', () => {
    expect(() => loadConfig(shape, { PGPASSWORD_FILE: '/nonexistent/secret' })).toThrow(/PGPASSWORD_FILE: cannot read secret file \(ENOENT\)/);
  });
});
