import { PipelineEventOf, Topics } from '@flowsentry/contracts';
import { PipelineStep, StepContext, StepOutcome } from '@flowsentry/runtime';
import { formatRef } from '@flowsentry/storage';
import { ATTR_MODEL_VERSION } from '@flowsentry/telemetry';
import { RegistryChampions } from './champion-in-force';
import { ChampionRef } from './champion-model';
import { ChampionLoader } from './champion-models';
import { NO_DRIFT } from './drift-rule';
import { baselineRefs } from './monitor-refs';
import { monitorMetrics } from './monitor.metrics';
import { MonitorState } from './monitor-state';

type ChampionChanged = PipelineEventOf<typeof Topics.championChanged>;

export interface ChampionChangedPorts {
  state: MonitorState;
  registry: Pick<RegistryChampions, 'champion'>;
  champions: ChampionLoader;
}

/**
 * One champion.changed (every move of the alias: automatic promotion, a person's approval, a
 * rollback): for the watched model name, load the new champion, build its baseline from its
 * training datasets (or find it in MONITOR, e.g. after a rollback to a version watched before)
 * and make it the monitor's champion, with its drift state starting over.
 *
 * A move that is no longer current is recorded and skipped: the monitor's state already follows
 * a later move, or the registry's alias has moved on (its own champion.changed follows on the
 * same partition, since the outbox announces moves in order, keyed by model name). A monitor
 * reading the topic from the beginning therefore never scores with a champion of the past.
 */
export class ChampionChangedHandler implements PipelineStep<typeof Topics.championChanged> {
  readonly input = Topics.championChanged;
  readonly step = 'drift_check' as const;

  constructor(
    private readonly ports: ChampionChangedPorts,
    private readonly modelName: string,
  ) {}

  async handle(event: ChampionChanged, context: StepContext): Promise<StepOutcome> {
    const data = event.data;
    // One step record per move: the same version comes back on a rollback.
    const inputRef = `${data.onnxKey}#${data.changedAt}`;
    const details = { modelName: data.modelName, version: data.version, previousVersion: data.previousVersion, change: data.change, actor: data.actor };
    const skipped = (reason: string): StepOutcome => ({ outputs: [], artifacts: [], lineage: [], record: { inputRef, status: 'skipped', details: { ...details, reason } } });
    if (data.modelName !== this.modelName) return skipped(`this monitor watches ${this.modelName}`);
    context.annotate({ [ATTR_MODEL_VERSION]: data.version, 'flowsentry.model_name': data.modelName });

    const state = await this.ports.state.current();
    if (state && Date.parse(state.champion.changedAt) > Date.parse(data.changedAt)) {
      return skipped(`superseded: the monitor follows v${state.champion.version}, champion since ${state.champion.changedAt}`);
    }
    const registered = await this.ports.registry.champion(this.modelName);
    if (registered && registered.version !== data.version) return skipped(`superseded: the registry's champion is now v${registered.version}, whose own champion.changed follows`);

    const ref: ChampionRef = { modelName: data.modelName, version: data.version, onnxKey: data.onnxKey, sha256: data.sha256, metadataKey: data.metadataKey };
    const champion = await this.ports.champions.load(ref, context.heartbeat);
    const refs = baselineRefs(data.modelName, data.version);
    monitorMetrics.championVersion.set({ model: data.modelName }, Number(data.version) || 0);
    return {
      outputs: [],
      artifacts: champion.baselineArtifacts,
      lineage: [
        ...champion.model.training.map((d) => ({ parentRef: d.key, childRef: formatRef(refs.manifest), relation: 'baseline-of' })),
        { parentRef: data.onnxKey, childRef: formatRef(refs.global.scores), relation: 'scored' },
      ],
      record: {
        inputRef,
        details: {
          ...details,
          baselineBuilt: champion.baselineBuilt,
          baselineKey: formatRef(refs.manifest),
          trainingRows: champion.baseline.manifest.rows,
          excludedRows: champion.baseline.manifest.excludedRows,
          streams: champion.baseline.manifest.streams,
          trainingAlertRate: champion.baseline.global.scores.alertRate,
          threshold: champion.model.threshold,
        },
      },
      persist: (em) => this.ports.state.save(em, { champion: { ...ref, changedAt: data.changedAt, source: 'champion.changed' }, drift: NO_DRIFT }, state?.revision ?? null),
    };
  }
}
