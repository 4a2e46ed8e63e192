import { ConfigError } from '@flowsentry/config';
import { loadTrainerConfig } from './trainer.config';

const connections = { MINIO_ACCESS_KEY: 'k', MINIO_SECRET_KEY: 's', PGUSER: 'flowsentry_trainer', PGPASSWORD: 'p' };

function problems(env: Record<string, string>): string[] {
  try {
    loadTrainerConfig({ ...connections, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('trainer config', () => {
  it('defaults to the documented values', () => {
    expect(loadTrainerConfig(connections)).toMatchObject({
      PORT: 8083,
      TRAINER_GROUP_ID: 'flowsentry-trainer',
      TRAINER_MODEL_NAME: 'network-flows',
      TRAINER_MIN_ROWS: 50_000,
      TRAINER_WINDOW_ROWS: 200_000,
      TRAINER_WINDOW_MS: 0,
      TRAINER_HOLDOUT_FRACTION: 0.2,
      TRAINER_ALERT_RATE: 0.001,
      TRAINER_SEED: 42,
      TRAINER_TREES: 100,
      TRAINER_MAX_SAMPLES: 256,
      TRAINER_EXCLUDE_LABELLED: false,
      TRAINER_RETRAIN_MIN_ROWS: 50_000,
      TRAINER_SCHEDULE_MS: 0,
      TRAINER_STREAM_IDLE_MS: 21_600_000,
    });
  });

  it('names every bad variable', () => {
    const found = problems({ TRAINER_ALERT_RATE: '0', TRAINER_HOLDOUT_FRACTION: '0.9', TRAINER_MODEL_NAME: 'Flows/Prod', TRAINER_SEED: '-1' }).join('\n');
    for (const name of ['TRAINER_ALERT_RATE', 'TRAINER_HOLDOUT_FRACTION', 'TRAINER_MODEL_NAME', 'TRAINER_SEED']) expect(found).toContain(name);
  });

  it('refuses a row window smaller than the rows a trigger waits for', () => {
    expect(problems({ TRAINER_WINDOW_ROWS: '20000' })).toEqual(['TRAINER_WINDOW_ROWS: must be at least TRAINER_MIN_ROWS', 'TRAINER_WINDOW_ROWS: must be at least TRAINER_RETRAIN_MIN_ROWS']);
    expect(problems({ TRAINER_WINDOW_ROWS: '20000', TRAINER_WINDOW_MS: '86400000' })).toEqual([]);
  });
});
