import { EntityManager } from 'typeorm';
import { PipelineEventOf, Topics } from '@flowsentry/contracts';
import { PipelineStep, StepContext, StepOutcome } from '@flowsentry/runtime';
import { ATTR_DATASET_ID } from '@flowsentry/telemetry';
import { decideBehindWatermark } from './decide-behind-watermark';
import { ModelTrainer } from './model-trainer';
import { TrainerState } from './trainer-state';
import { DriftRequest } from './training-requests';
import { TrainingTrigger, TriggerDecision } from './training-trigger';

type DriftDetected = PipelineEventOf<typeof Topics.driftDetected>;

/**
 * One drift.detected: raise a retrain request for the model, or, while one is open, record the
 * event as absorbed into it (a burst of drift events gives one retrain). The new regime starts at
 * the event time the drift event names (`regimeSince`), else the drifted dataset's first event time
 * from the catalog, else (a producer that names neither, a dataset not yet cataloged) the drift
 * event's own time. If the regime already holds enough rows, up to the watermark, the retrain
 * happens right here; otherwise the first silver.ready that brings them does it (SilverReadyHandler).
 */
export class DriftDetectedHandler implements PipelineStep<typeof Topics.driftDetected> {
  readonly input = Topics.driftDetected;
  readonly step = 'training' as const;

  constructor(
    private readonly state: TrainerState,
    private readonly trigger: TrainingTrigger,
    private readonly trainer: ModelTrainer,
    private readonly modelName: string,
  ) {}

  async handle(event: DriftDetected, context: StepContext): Promise<StepOutcome> {
    const drift = event.data;
    context.annotate({ [ATTR_DATASET_ID]: drift.datasetId });
    const details = { modelName: drift.modelName, datasetId: drift.datasetId, severity: drift.severity };
    if (drift.modelName !== this.modelName) {
      return { outputs: [], artifacts: [], lineage: [], record: { inputRef: drift.reportKey, status: 'skipped', details: { ...details, reason: `this trainer trains ${this.modelName}` } } };
    }

    const { catalog, requests } = this.state;
    const [drifted, open, newest] = await Promise.all([catalog.find(drift.datasetId), requests.open(this.modelName), catalog.newest()]);
    const request: DriftRequest = {
      modelName: this.modelName,
      eventId: event.id,
      // Event time, always: the drift event's own `time` is the wall clock of its sending, and a
      // regime starting there would wait for rows from the future when SILVER lags or is replayed.
      regimeSince: drift.regimeSince ? Date.parse(drift.regimeSince) : (drifted?.minEventTime ?? Date.parse(event.time)),
      detail: { datasetId: drift.datasetId, championVersion: drift.championVersion, severity: drift.severity, reason: drift.reason },
    };
    const regimeSince = open?.regimeSince ?? request.regimeSince;
    // Absorbed into the open request, or raised; returns the id of the request a model would answer.
    const recordRequest = async (em: EntityManager): Promise<string> => {
      if (!open) return requests.raise(em, request);
      await requests.absorb(em, request, open.id);
      return open.id;
    };
    const requestDetails = { ...details, request: open ? `absorbed into ${open.id}` : 'raised', regimeSince: new Date(regimeSince).toISOString() };

    let decision: TriggerDecision;
    if (!drifted) decision = { train: false, reason: `dataset ${drift.datasetId} is not in the catalog; a later silver.ready retrains` };
    else if (newest && newest.featureVersion !== drifted.featureVersion) decision = { train: false, reason: `the drifted dataset is of feature version ${drifted.featureVersion}, not the newest ${newest.featureVersion}` };
    else {
      const [onRecord, candidates] = await Promise.all([catalog.streamEnds(), catalog.list(drifted.featureVersion)]);
      decision = await decideBehindWatermark(this.trigger, onRecord, this.state.sources, (watermark) => this.trigger.afterDrift({ candidates, watermark }, regimeSince, open?.id ?? null));
    }

    const waiting = (reason: string): StepOutcome => ({
      outputs: [],
      artifacts: [],
      lineage: [],
      record: { inputRef: drift.reportKey, status: 'skipped', details: { ...requestDetails, reason } },
      persist: async (em) => void (await recordRequest(em)),
    });
    if (!decision.train) return waiting(decision.reason);
    const model = await this.trainer.train(decision.plan, drifted!.featureVersion, context);
    if ('refused' in model) return waiting(model.refused);
    return {
      outputs: [model.output],
      artifacts: model.artifacts,
      lineage: model.lineage,
      record: { inputRef: drift.reportKey, details: { ...requestDetails, ...model.details } },
      persist: async (em) => {
        const requestId = await recordRequest(em);
        await model.register(em);
        await requests.resolve(em, requestId, model.version);
      },
    };
  }
}
