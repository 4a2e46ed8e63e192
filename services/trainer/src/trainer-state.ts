import { DatasetCatalog } from './dataset-catalog';
import { TrainedModels } from './trained-models';
import { TrainingRequests } from './training-requests';

/** What the trainer keeps in PostgreSQL: the datasets it has seen, the retrain requests drift raised, the registry. */
export interface TrainerState {
  catalog: DatasetCatalog;
  requests: TrainingRequests;
  models: TrainedModels;
}
