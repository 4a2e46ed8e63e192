import { counter, gauge, histogram } from '@flowsentry/telemetry';

/** trainer's own KPIs beside the step runtime's (brief §9: training time). */
export const trainerMetrics = {
  trainingSeconds: histogram('flowsentry_trainer_training_seconds', 'Time to read the training window, fit, export and write a model', ['trigger'], [0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600]),
  trainingRows: gauge('flowsentry_trainer_training_rows', 'Rows the last model was fitted on'),
  modelsTrained: counter('flowsentry_trainer_models_trained_total', 'Model versions trained and written', ['trigger']),
  refusals: counter('flowsentry_trainer_training_refusals_total', 'Trainings the data on record could not support (a SILVER object missing or corrupt, too few rows)', ['reason']),
  datasetsSeen: counter('flowsentry_trainer_datasets_seen_total', 'silver.ready datasets handled (recorded in the catalog)'),
};
