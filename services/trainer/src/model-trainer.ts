import { performance } from 'node:perf_hooks';
import { EntityManager } from 'typeorm';
import { deterministicId, FlowsentryError, Topics } from '@flowsentry/contracts';
import { LineageLink, StepArtifact, StepContext, StepOutput } from '@flowsentry/runtime';
import { formatRef, modelRefs, ObjectStore } from '@flowsentry/storage';
import { ATTR_MODEL_VERSION, Logger } from '@flowsentry/telemetry';
import { CatalogDataset } from './dataset-catalog';
import { packageModel } from './model-package';
import { publishModel } from './model-publisher';
import { trainModel, TrainingSettings } from './model-training';
import { TrainedModels } from './trained-models';
import { TrainingPlan } from './training-trigger';
import { rowsOf } from './training-window';
import { trainerMetrics } from './trainer.metrics';

/** A model written to MODELS and not yet on record: what the step commits, then emits. */
export interface TrainedModel {
  version: string;
  output: StepOutput<typeof Topics.modelTrained>;
  artifacts: StepArtifact[];
  lineage: LineageLink[];
  details: Record<string, unknown>;
  /** Registers the candidate; runs in the step's transaction. */
  register(em: EntityManager): Promise<void>;
}

export interface ModelTrainerSettings {
  modelName: string;
  training: TrainingSettings;
}

/**
 * Builds one model version for a training plan: the heavy part of the step (read SILVER, fit,
 * export, write MODELS), all before the transaction, which then only registers the candidate.
 */
export class ModelTrainer {
  constructor(
    private readonly deps: { objects: Pick<ObjectStore, 'get' | 'put'>; models: TrainedModels; log: Logger },
    private readonly settings: ModelTrainerSettings,
  ) {}

  /**
   * The model for `plan`, or why none can be made from the data on record: a SILVER object of the
   * window missing or not matching its hash, too few rows left. The event in hand is not to blame
   * (the window is data on record, read from SILVER, not the event), so it is not dead-lettered: a
   * dataset in hand is still recorded and the next event tries again. Anything retriable is thrown.
   */
  async train(plan: TrainingPlan, featureVersion: string, context: StepContext): Promise<TrainedModel | { refused: string }> {
    try {
      return await this.build(plan, featureVersion, context);
    } catch (err) {
      if (!(err instanceof FlowsentryError) || err.retriable) throw err;
      trainerMetrics.refusals.inc({ reason: err.code });
      this.deps.log.warn({ err, model: this.settings.modelName, trigger: plan.trigger }, 'cannot train from the data on record');
      return { refused: `${err.code}: ${err.message}` };
    }
  }

  private async build(plan: TrainingPlan, featureVersion: string, context: StepContext): Promise<TrainedModel> {
    const { modelName, training: trainingSettings } = this.settings;
    const { training, holdout } = plan.window;
    const started = performance.now();
    this.deps.log.info({ model: modelName, trigger: plan.trigger, datasets: training.length, rows: rowsOf(training), holdout_datasets: holdout.length }, 'training started');
    // Fan-in: the model's span continues the triggering event's trace and links the runs of every dataset it learnt from.
    context.link([...training, ...holdout].map((d) => d.traceParent));

    const trained = await trainModel(this.deps.objects, training.map(refOf), featureVersion, trainingSettings, context.heartbeat);
    const firstVersion = await this.deps.models.nextVersion(modelName);
    const published = await publishModel(this.deps.objects, modelName, firstVersion, (version) =>
      packageModel(trained, {
        modelName,
        version,
        featureVersion,
        training,
        holdout,
        settings: trainingSettings,
        // Event time, like the decision: the bytes must not depend on which event arrived last.
        trainedAt: new Date(plan.until).toISOString(),
        trigger: { type: plan.trigger, datasetId: plan.decidedAt, ...(plan.regime ? { regimeSince: plan.regime.since } : {}) },
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const { version, pkg } = published;
    context.annotate({ [ATTR_MODEL_VERSION]: version, 'flowsentry.model_name': modelName });
    if (published.skipped.length > 0) this.deps.log.warn({ model: modelName, skipped: published.skipped, version }, 'versions passed over: their keys hold objects of attempts that never committed');

    const refs = modelRefs(modelName, version);
    const onnxRef = formatRef(refs.onnx);
    const metadataRef = formatRef(refs.metadata);
    const metrics: Record<string, number> = {
      training_rows: trained.rows,
      excluded_rows: trained.excluded,
      holdout_rows: rowsOf(holdout),
      training_datasets: training.length,
      holdout_datasets: holdout.length,
      features: trained.featureNames.length,
      training_seconds: round(seconds),
      window_start_ms: Math.min(...training.map((d) => d.minEventTime)),
      // The schedule counts from here: the newest event time this model's window held.
      window_end_ms: Math.max(...holdout.map((d) => d.maxEventTime)),
    };
    trainerMetrics.trainingSeconds.observe({ trigger: plan.trigger }, seconds);
    trainerMetrics.trainingRows.set(trained.rows);
    trainerMetrics.modelsTrained.inc({ trigger: plan.trigger });
    this.deps.log.info({ model: modelName, version, algorithm: trained.detector.algorithm, trigger: plan.trigger, rows: trained.rows, seconds: round(seconds), threshold: pkg.threshold }, 'model trained');

    const params = { ...trained.detector.params };
    const trainingRefs = training.map(refOf);
    return {
      version,
      output: {
        topic: Topics.modelTrained,
        // Named after the model, not the event in hand: any interleaving that makes these bytes emits this id.
        id: deterministicId('model.trained', modelName, version, pkg.onnxSha256),
        key: modelName,
        subject: `${modelName}/${version}`,
        data: {
          modelName,
          version,
          onnxKey: onnxRef,
          sha256: pkg.onnxSha256,
          metadataKey: metadataRef,
          trainingDatasets: trainingRefs,
          holdoutDatasets: holdout.map(refOf),
          featuresSchemaVersion: featureVersion,
          threshold: pkg.threshold,
          params,
          seed: trainingSettings.seed,
          trainMetrics: metrics,
          trigger: plan.trigger,
        },
      },
      artifacts: [
        { ref: onnxRef, layer: 'models', sha256: published.onnx.sha256, sizeBytes: published.onnx.size, contentType: 'application/octet-stream' },
        { ref: metadataRef, layer: 'models', sha256: published.card.sha256, sizeBytes: published.card.size, contentType: 'application/json' },
      ],
      lineage: [...training.map((d) => ({ parentRef: d.silverKey, childRef: onnxRef, relation: 'trained-on' })), { parentRef: onnxRef, childRef: metadataRef, relation: 'described' }],
      details: { modelName, version, algorithm: trained.detector.algorithm, trigger: plan.trigger, featureVersion, trainingRows: trained.rows, excludedRows: trained.excluded, holdoutRows: rowsOf(holdout), trainingSeconds: round(seconds), skippedVersions: published.skipped },
      register: (em) =>
        this.deps.models.register(em, {
          modelName,
          version,
          onnxRef,
          sha256: pkg.onnxSha256,
          metadataRef,
          featureVersion,
          threshold: pkg.threshold,
          params,
          metrics,
          trainingRefs: trainingRefs.map((r) => r.key),
          runId: context.runId,
        }),
    };
  }
}

/** A dataset as events and the SILVER reader name it. */
function refOf(d: CatalogDataset): { key: string; sha256: string } {
  return { key: d.silverKey, sha256: d.sha256 };
}

function round(seconds: number): number {
  return Math.round(seconds * 1000) / 1000;
}
