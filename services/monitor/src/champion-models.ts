import { performance } from 'node:perf_hooks';
import { PoisonMessageError } from '@flowsentry/contracts';
import { StepArtifact } from '@flowsentry/runtime';
import { ObjectStore } from '@flowsentry/storage';
import { ChampionBaseline, championBaseline } from './champion-baseline';
import { championEngines, ChampionScorer, FlowExplainer } from './champion-engines';
import { ChampionModel, ChampionRef, loadChampionModel } from './champion-model';
import { monitorMetrics } from './monitor.metrics';
import { TypicalRange, typicalRanges } from './typical-ranges';

export type { FlowExplainer } from './champion-engines';

/** A champion ready to judge batches: model, baseline, scorer, explainer. */
export interface LoadedChampion {
  model: ChampionModel;
  baseline: ChampionBaseline;
  /** The baseline's objects in MONITOR (what the step that switched to it records). */
  baselineArtifacts: StepArtifact[];
  /** Whether this load built the baseline (false: it was already stored). */
  baselineBuilt: boolean;
  scorer: ChampionScorer;
  explainer: FlowExplainer;
  /** p5–p95 of each model feature on the training rows, by feature name. */
  typical: ReadonlyMap<string, TypicalRange>;
}

/** What the handlers ask for a champion (a port: unit tests hand in their own). */
export interface ChampionLoader {
  load(ref: ChampionRef, heartbeat?: () => Promise<void>): Promise<LoadedChampion>;
}

/**
 * Loads champions and keeps the one in use: the scorer (for a forest a WebAssembly kernel compiled
 * from the model, else an onnxruntime session; champion-engines.ts), the explainer and the baseline
 * are built once per champion version, not per batch. One is kept because one is in force; switching releases the previous scorer's threads.
 */
export class ChampionModels implements ChampionLoader {
  private current?: { key: string; champion: Promise<LoadedChampion> };

  constructor(
    private readonly objects: Pick<ObjectStore, 'get' | 'put'>,
    private readonly options: { threads: number },
  ) {}

  load(ref: ChampionRef, heartbeat: () => Promise<void> = async () => undefined): Promise<LoadedChampion> {
    const key = `${ref.modelName}/${ref.version}/${ref.sha256}`;
    if (this.current?.key === key) return this.current.champion.then((c) => ({ ...c, baselineBuilt: false }));
    const previous = this.current;
    const champion = this.build(ref, heartbeat);
    this.current = { key, champion };
    // A failed load is not kept: the next batch (or the retry) tries again.
    champion.catch(() => {
      if (this.current?.key === key) this.current = undefined;
    });
    void previous?.champion.then((c) => c.scorer.release()).catch(() => undefined);
    return champion;
  }

  private async build(ref: ChampionRef, heartbeat: () => Promise<void>): Promise<LoadedChampion> {
    const model = await loadChampionModel(this.objects, ref);
    let scorer: ChampionScorer;
    let explainer: FlowExplainer;
    try {
      ({ scorer, explainer } = await championEngines(model.onnx, model.algorithm, this.options.threads));
    } catch (err) {
      throw new PoisonMessageError('corrupt-model', `${ref.onnxKey} cannot be scored or explained: ${(err as Error).message}`, { cause: err });
    }
    const started = performance.now();
    const stored = await championBaseline(this.objects, model, scorer, heartbeat);
    if (stored.built) monitorMetrics.baselineSeconds.observe((performance.now() - started) / 1000);
    return {
      model,
      baseline: stored.baseline,
      baselineArtifacts: stored.artifacts,
      baselineBuilt: stored.built,
      scorer,
      explainer,
      typical: typicalRanges(model.spec, stored.baseline.global.baseline.statistics),
    };
  }
}
