import { ConfigError } from '@flowsentry/config';
import { loadTrainerConfig, trainingSettingsOf } from './trainer.config';

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
      TRAINER_ALGORITHM: 'isolation-forest',
      TRAINER_LOF_NEIGHBORS: 20,
      TRAINER_LOF_MAX_ROWS: 10_000,
      TRAINER_OCSVM_NU: 0.1,
      TRAINER_OCSVM_GAMMA: 'scale',
      TRAINER_OCSVM_SOLVER: 'nystroem',
      TRAINER_OCSVM_MAX_ROWS: 10_000,
      TRAINER_OCSVM_COMPONENTS: 200,
      TRAINER_OCSVM_LANDMARKS: 'farthest-first',
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

  it('trains an isolation forest by default, with the forest settings only', () => {
    expect(trainingSettingsOf(loadTrainerConfig(connections))).toEqual({
      algorithm: { name: 'isolation-forest', trees: 100, maxSamples: 256 },
      seed: 42,
      alertRate: 0.001,
      excludeLabelled: false,
    });
  });

  it('hands the chosen algorithm its own settings', () => {
    expect(trainingSettingsOf(loadTrainerConfig({ ...connections, TRAINER_ALGORITHM: 'local-outlier-factor', TRAINER_LOF_NEIGHBORS: '35', TRAINER_LOF_MAX_ROWS: '5000' })).algorithm).toEqual({
      name: 'local-outlier-factor',
      neighbors: 35,
      maxRows: 5000,
    });
    expect(trainingSettingsOf(loadTrainerConfig({ ...connections, TRAINER_ALGORITHM: 'one-class-svm', TRAINER_OCSVM_GAMMA: '0.05', TRAINER_OCSVM_SOLVER: 'exact', TRAINER_OCSVM_MAX_ROWS: '4000' })).algorithm).toEqual({
      name: 'one-class-svm',
      nu: 0.1,
      gamma: 0.05,
      solver: 'exact',
      maxRows: 4000,
      components: 200,
      landmarks: 'farthest-first',
    });
    expect(trainingSettingsOf(loadTrainerConfig({ ...connections, TRAINER_ALGORITHM: 'one-class-svm', TRAINER_OCSVM_LANDMARKS: 'uniform' })).algorithm).toMatchObject({ solver: 'nystroem', landmarks: 'uniform' });
  });

  it('refuses an unknown algorithm and out-of-range algorithm settings, naming each', () => {
    const found = problems({ TRAINER_ALGORITHM: 'k-means', TRAINER_LOF_MAX_ROWS: '60000', TRAINER_OCSVM_NU: '0', TRAINER_OCSVM_GAMMA: 'auto', TRAINER_OCSVM_SOLVER: 'sgd', TRAINER_OCSVM_LANDMARKS: 'kmeans' }).join('\n');
    for (const name of ['TRAINER_ALGORITHM', 'TRAINER_LOF_MAX_ROWS', 'TRAINER_OCSVM_NU', 'TRAINER_OCSVM_GAMMA', 'TRAINER_OCSVM_SOLVER', 'TRAINER_OCSVM_LANDMARKS']) expect(found).toContain(name);
  });

  it('refuses settings of the chosen algorithm that cannot work together, and ignores those of the others', () => {
    expect(problems({ TRAINER_ALGORITHM: 'local-outlier-factor', TRAINER_LOF_NEIGHBORS: '50', TRAINER_LOF_MAX_ROWS: '50' })).toEqual([
      'TRAINER_LOF_NEIGHBORS: must be below TRAINER_LOF_MAX_ROWS (a kept row has at most that many others to be its neighbours)',
    ]);
    expect(problems({ TRAINER_ALGORITHM: 'one-class-svm', TRAINER_OCSVM_SOLVER: 'exact', TRAINER_OCSVM_MAX_ROWS: '20000' })).toEqual([
      'TRAINER_OCSVM_MAX_ROWS: must be at most 10000 with TRAINER_OCSVM_SOLVER=exact (its training is quadratic in the rows)',
    ]);
    expect(problems({ TRAINER_ALGORITHM: 'one-class-svm', TRAINER_OCSVM_MAX_ROWS: '100' })).toEqual(['TRAINER_OCSVM_COMPONENTS: must be at most TRAINER_OCSVM_MAX_ROWS (landmarks are drawn from the training rows)']);
    // The same values are no problem while another algorithm trains.
    expect(problems({ TRAINER_LOF_NEIGHBORS: '50', TRAINER_LOF_MAX_ROWS: '50', TRAINER_OCSVM_SOLVER: 'exact', TRAINER_OCSVM_MAX_ROWS: '20000' })).toEqual([]);
  });
});
