import { DatasetCatalog } from './dataset-catalog';
import { SourceStreams } from './source-streams';
import { TrainedModels } from './trained-models';
import { TrainingRequests } from './training-requests';

/**
 * What the trainer keeps in PostgreSQL (the datasets it has seen, the retrain requests drift
 * raised, the registry) and the source streams it expects datasets from.
 */
export interface TrainerState {
  catalog: DatasetCatalog;
  sources: SourceStreams;
  requests: TrainingRequests;
  models: TrainedModels;
}
