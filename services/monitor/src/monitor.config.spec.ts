import { ConfigError } from '@flowsentry/config';
import { loadMonitorConfig } from './monitor.config';

const complete = { MINIO_ACCESS_KEY: 'monitor', MINIO_SECRET_KEY: 's', PGUSER: 'flowsentry_monitor', PGPASSWORD: 'p' };

describe('monitor configuration', () => {
  it('defaults to the documented model, port and drift rule', () => {
    expect(loadMonitorConfig(complete)).toMatchObject({
      PORT: 8085,
      MONITOR_GROUP_ID: 'flowsentry-monitor',
      MONITOR_MODEL_NAME: 'network-flows',
      MONITOR_DRIFT_SHARE: 0.5,
      MONITOR_SCORE_PSI: 0.2,
      MONITOR_MIN_ROWS: 500,
      MONITOR_DRIFT_CONSECUTIVE: 3,
      MONITOR_DRIFT_COOLDOWN_MS: 21_600_000,
      MONITOR_VIOLATION_ALERT_MIN: 1,
      MONITOR_SCORING_THREADS: 1,
    });
  });

  it('refuses, by name, a model name that cannot be an object key and thresholds out of range', () => {
    let problems = '';
    try {
      loadMonitorConfig({ ...complete, MONITOR_MODEL_NAME: 'Flows/../x', MONITOR_DRIFT_SHARE: '1.5', MONITOR_DRIFT_CONSECUTIVE: '0' });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems = err.problems.join('\n');
    }
    expect(problems).toMatch(/MONITOR_MODEL_NAME: must be lower-case/);
    expect(problems).toMatch(/MONITOR_DRIFT_SHARE/);
    expect(problems).toMatch(/MONITOR_DRIFT_CONSECUTIVE/);
  });
});
