import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@flowsentry/config';
import { loadEvaluatorConfig } from './evaluator.config';

const complete = { MINIO_ACCESS_KEY: 'evaluator', MINIO_SECRET_KEY: 's', PGUSER: 'flowsentry_evaluator', PGPASSWORD: 'p' };

function problemsOf(env: Record<string, string>): string {
  try {
    loadEvaluatorConfig({ ...complete, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  return '';
}

describe('evaluator configuration', () => {
  it('defaults to the documented policy, tolerances and port, with no API token', () => {
    const cfg = loadEvaluatorConfig(complete);
    expect(cfg).toMatchObject({
      PORT: 8084,
      EVALUATOR_GROUP_ID: 'flowsentry-evaluator',
      EVALUATOR_POLICY: 'auto',
      EVALUATOR_POLICIES: {},
      EVALUATOR_TOLERANCE: 0.01,
      EVALUATOR_AGREEMENT_SAMPLE: 2000,
      EVALUATOR_AGREEMENT_TOLERANCE: 1e-5,
      EVALUATOR_MAX_ALERT_RATE_FACTOR: 3,
      EVALUATOR_FPR: 0.01,
      EVALUATOR_TOP_K: 100,
      EVALUATOR_ANNOUNCE_INTERVAL_MS: 1000,
    });
    expect(cfg.REGISTRY_API_TOKEN).toBeUndefined();
  });

  it('reads per-model policy overrides and refuses a malformed one by name', () => {
    expect(loadEvaluatorConfig({ ...complete, EVALUATOR_POLICIES: 'network-flows=manual, dns = auto' }).EVALUATOR_POLICIES).toEqual({ 'network-flows': 'manual', dns: 'auto' });
    expect(problemsOf({ EVALUATOR_POLICIES: 'network-flows=sometimes' })).toMatch(/EVALUATOR_POLICIES: "network-flows=sometimes" is not <model name>=<auto\|manual>/);
    expect(problemsOf({ EVALUATOR_POLICY: 'yolo', EVALUATOR_FPR: '2' })).toMatch(/EVALUATOR_POLICY[\s\S]*EVALUATOR_FPR|EVALUATOR_FPR[\s\S]*EVALUATOR_POLICY/);
  });

  it('takes the token from REGISTRY_API_TOKEN_FILE over REGISTRY_API_TOKEN', () => {
    const dir = mkdtempSync(join(tmpdir(), 'evaluator-token-'));
    try {
      const file = join(dir, 'token');
      writeFileSync(file, 'from-the-mounted-secret-file\n');
      expect(loadEvaluatorConfig({ ...complete, REGISTRY_API_TOKEN: 'from-the-environment-value', REGISTRY_API_TOKEN_FILE: file }).REGISTRY_API_TOKEN).toBe('from-the-mounted-secret-file');
      expect(problemsOf({ REGISTRY_API_TOKEN_FILE: join(dir, 'absent') })).toMatch(/REGISTRY_API_TOKEN_FILE: cannot read secret file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
