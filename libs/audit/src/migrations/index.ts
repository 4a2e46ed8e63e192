import { InitialSchema1763769600000 } from './1763769600000-initial-schema';
import { StepOutputs1764460800000 } from './1764460800000-step-outputs';
import { ModelRegistry1764892800000 } from './1764892800000-model-registry';
import { Monitor1765152000000 } from './1765152000000-monitor';
import { DatasetTrace1765584000000 } from './1765584000000-dataset-trace';
import { DatasetStream1766016000000 } from './1766016000000-dataset-stream';

export const AUDIT_MIGRATIONS = [InitialSchema1763769600000, StepOutputs1764460800000, ModelRegistry1764892800000, Monitor1765152000000, DatasetTrace1765584000000, DatasetStream1766016000000];
