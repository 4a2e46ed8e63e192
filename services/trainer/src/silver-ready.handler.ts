import { EntityManager } from 'typeorm';
import { PipelineEventOf, Topics } from '@flowsentry/contracts';
import { PipelineStep, StepContext, StepOutcome } from '@flowsentry/runtime';
import { ATTR_DATASET_ID, currentTraceparent } from '@flowsentry/telemetry';
import { compareByEventTime, isTrainable, SeenDataset, streamOfDataset } from './dataset-catalog';
import { decideBehindWatermark } from './decide-behind-watermark';
import { withDataset } from './event-time-watermark';
import { supportsFeatureVersion } from './model-features';
import { ModelTrainer } from './model-trainer';
import { trainerMetrics } from './trainer.metrics';
import { TrainerState } from './trainer-state';
import { TrainingTrigger } from './training-trigger';

type SilverReady = PipelineEventOf<typeof Topics.silverReady>;

/**
 * One silver.ready: put the dataset in the catalog (with the step's commit), and train when the
 * trigger says so: the first model, a pending drift retrain whose new regime now holds enough
 * rows, or a scheduled retrain, each at the dataset where its condition first holds in event time
 * and once every stream has passed it (see TrainingTrigger). That dataset need not be the one in
 * hand: this arrival may be what moved the watermark past it. A dataset of a feature version
 * other than the newest in event time is recorded and never trained on.
 */
export class SilverReadyHandler implements PipelineStep<typeof Topics.silverReady> {
  readonly input = Topics.silverReady;
  readonly step = 'training' as const;

  constructor(
    private readonly state: TrainerState,
    private readonly trigger: TrainingTrigger,
    private readonly trainer: ModelTrainer,
    private readonly modelName: string,
  ) {}

  async handle(event: SilverReady, context: StepContext): Promise<StepOutcome> {
    const dataset = seenDataset(event.data);
    context.annotate({ [ATTR_DATASET_ID]: dataset.datasetId });
    trainerMetrics.datasetsSeen.inc();
    const { catalog, requests, models } = this.state;
    const recordDataset = (em: EntityManager) => catalog.record(em, dataset);
    const waiting = (reason: string): StepOutcome => ({
      outputs: [],
      artifacts: [],
      lineage: [],
      record: { inputRef: dataset.silverKey, status: 'skipped', details: { modelName: this.modelName, datasetId: dataset.datasetId, reason } },
      persist: recordDataset,
    });

    if (!catalog.inScope(dataset.datasetId)) return waiting(`dataset ids of this environment start with '${catalog.scope}'`);
    if (!isTrainable(dataset)) return waiting('the dataset has no rows');
    if (!supportsFeatureVersion(dataset.featureVersion)) return waiting(`feature version ${dataset.featureVersion} is not one this trainer reads`);
    const newest = await catalog.newest();
    if (newest && newest.featureVersion !== dataset.featureVersion && compareByEventTime(newest, dataset) > 0) {
      return waiting(`feature version ${dataset.featureVersion} is older than ${newest.featureVersion} (dataset ${newest.datasetId})`);
    }

    // Past the watermark too: the trigger tells "not enough rows" from "enough, but not every stream is there yet".
    const [onRecord, listed, newestModel, openRequest] = await Promise.all([catalog.streamEnds(), catalog.list(dataset.featureVersion), models.newest(this.modelName), requests.open(this.modelName)]);
    // The dataset in hand goes on record with this step's commit, but it already counts.
    const candidates = listed.some((d) => d.datasetId === dataset.datasetId) ? listed : [...listed, dataset];
    const streams = withDataset(onRecord, { stream: streamOfDataset(dataset.datasetId), start: dataset.minEventTime, end: dataset.maxEventTime });
    const decision = await decideBehindWatermark(this.trigger, streams, this.state.sources, (watermark) => this.trigger.afterDataset({ candidates, watermark, newestModel, openRequest }));
    if (!decision.train) return waiting(decision.reason);

    const { plan } = decision;
    const model = await this.trainer.train(plan, dataset.featureVersion, context);
    if ('refused' in model) return waiting(model.refused);
    return {
      outputs: [model.output],
      artifacts: model.artifacts,
      lineage: model.lineage,
      record: { inputRef: dataset.silverKey, details: { ...model.details, datasetId: dataset.datasetId } },
      persist: async (em) => {
        await recordDataset(em);
        await model.register(em);
        if (plan.regime?.requestId) await requests.resolve(em, plan.regime.requestId, model.version);
      },
    };
  }
}

function seenDataset(data: SilverReady['data']): SeenDataset {
  return {
    datasetId: data.datasetId,
    silverKey: data.silverKey,
    sha256: data.sha256,
    rows: data.rows,
    featureVersion: data.featuresSchemaVersion,
    minEventTime: data.minEventTime ? Date.parse(data.minEventTime) : null,
    maxEventTime: data.maxEventTime ? Date.parse(data.maxEventTime) : null,
    ...traceParentOf(currentTraceparent()),
  };
}

function traceParentOf(traceParent: string | undefined): { traceParent?: string } {
  return traceParent ? { traceParent } : {};
}
