import { Artifact } from './artifact.entity';
import { IngestionBatch } from './ingestion-batch.entity';
import { LineageEdge } from './lineage-edge.entity';
import { ModelAlias, ModelAliasChange } from './model-alias.entity';
import { ModelVersion } from './model-version.entity';
import { PipelineRun } from './pipeline-run.entity';
import { ProcessedEvent } from './processed-event.entity';
import { RegistryAction } from './registry-action.entity';
import { Replay } from './replay.entity';
import { StepRecord } from './step-record.entity';

export { Artifact, IngestionBatch, LineageEdge, ModelAlias, ModelAliasChange, ModelVersion, PipelineRun, ProcessedEvent, RegistryAction, Replay, StepRecord };
export type { IngestionBatchStatus } from './ingestion-batch.entity';
export type { ModelStatus } from './model-version.entity';
export { MODEL_STATUSES } from './model-version.entity';
export type { RegistryActionName, RegistryChannel } from './registry-action.entity';
export type { StepName, StepStatus } from './step-record.entity';

export const AUDIT_ENTITIES = [PipelineRun, StepRecord, Artifact, LineageEdge, ProcessedEvent, IngestionBatch, ModelVersion, ModelAlias, ModelAliasChange, RegistryAction, Replay];
