import { ModelRegistry, ModelVersion } from '@flowsentry/audit';
import { deterministicId, PipelineEventOf, PoisonMessageError, Topics } from '@flowsentry/contracts';
import { FeatureMatrix, FeatureSpec, OnnxScorer, onnxSliceRows, scoreInSlices } from '@flowsentry/ml';
import { PipelineStep, StepContext, StepOutcome } from '@flowsentry/runtime';
import { evalReportRef, formatRef, isNotFoundError, modelRefs, ObjectRef, ObjectStore, ParquetError } from '@flowsentry/storage';
import { ATTR_MODEL_VERSION, injectTraceHeaders, phaseTimer } from '@flowsentry/telemetry';
import { judgeChallenger, ScoredModel } from './challenger-judgement';
import { engineAgreement, evenSample } from './engine-agreement';
import { EvaluationReport, REPORT_FORMAT, serializeReport } from './evaluation-report';
import { evaluatorMetrics, observeScoring, ScoringEngine } from './evaluator.metrics';
import { Holdout, holdoutMatrix, readHoldout } from './holdout';
import { toAnomalyScores } from './holdout-metrics';
import { PolicySettings, policyFor } from './promotion-policy';
import { renderReportHtml } from './report-html';
import { loadStoredModel, ModelRefs, StoredModel } from './stored-model';

type ModelTrained = PipelineEventOf<typeof Topics.modelTrained>;

export interface EvaluationSettings extends PolicySettings {
  EVALUATOR_AGREEMENT_SAMPLE: number;
  EVALUATOR_AGREEMENT_TOLERANCE: number;
  EVALUATOR_MAX_ALERT_RATE_FACTOR: number;
  EVALUATOR_FPR: number;
  EVALUATOR_TOP_K: number;
  EVALUATOR_SCORING_THREADS: number;
}

export interface EvaluationPorts {
  objects: Pick<ObjectStore, 'get' | 'put'>;
  registry: Pick<ModelRegistry, 'get' | 'champion' | 'recordEvaluation'>;
}

/** Who the registry records as the decider of an evaluation. */
export const EVALUATOR_ACTOR = (policy: string) => `evaluator:${policy}`;

/** The champion as found for this evaluation: loaded, or the reason it could not be. */
type ChampionModel = { version: ModelVersion; model: StoredModel } | { version: ModelVersion; unscored: string } | null;

/**
 * model.trained → eval.done. Loads the challenger (onnxruntime, checked against the forest
 * kernel), scores it and the champion on the challenger's held-out SILVER rows, applies the
 * model name's promotion policy, writes report.json and report.html to EVAL, and records the
 * verdict in the registry in the step's own transaction (an `approved` verdict moves the champion
 * alias there, and the move's outbox row is what `champion.changed` is later sent from).
 *
 * The report of record is the first one written: a re-run after a crash before the guard
 * committed finds report.json and adopts its verdict instead of judging again, so the EVAL
 * object, the registry and eval.done agree even if an operator moved the champion in between.
 */
export class EvaluationHandler implements PipelineStep<typeof Topics.modelTrained> {
  readonly input = Topics.modelTrained;
  readonly step = 'evaluation' as const;

  constructor(
    private readonly ports: EvaluationPorts,
    private readonly settings: EvaluationSettings,
  ) {}

  async handle(event: ModelTrained, context: StepContext): Promise<StepOutcome> {
    const data = event.data;
    const started = process.hrtime.bigint();
    const phase = phaseTimer(evaluatorMetrics.phase);
    context.annotate({ [ATTR_MODEL_VERSION]: data.version, 'flowsentry.model_name': data.modelName });

    const challenger = await loadStoredModel(this.ports.objects, data);
    const registered = await this.ports.registry.get(data.modelName, data.version);
    if (!registered) throw new PoisonMessageError('version-not-found', `${data.modelName} v${data.version} is not in the registry; the trainer registers a version before announcing it`);
    phase('load');

    const reportRef = evalReportRef(data.modelName, data.version);
    const htmlRef: ObjectRef = { layer: 'eval', key: reportRef.key.replace(/\.json$/, '.html') };
    const earlier = await this.earlierReport(reportRef);
    const timings: Partial<Record<ScoringEngine, { rows: number; seconds: number }>> = {};
    const report = earlier ?? (await this.evaluate(data, challenger, context, timings, phase));

    // HTML first: report.json is the evaluation's completion mark, and a re-run that adopts it re-renders the same HTML.
    const html = await this.ports.objects.put(htmlRef, Buffer.from(renderReportHtml(report)), 'text/html; charset=utf-8');
    const json = await this.ports.objects.put(reportRef, serializeReport(report), 'application/json');
    phase('write');

    const promoted = report.decision === 'approved' && registered.status === 'candidate';
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    evaluatorMetrics.evaluationSeconds.observe(seconds);
    evaluatorMetrics.decisions.inc({ decision: report.decision });
    evaluatorMetrics.alertRate.set({ model: data.modelName }, report.challenger.unlabelled.alertRate);
    if (report.metrics.rocAuc !== undefined) evaluatorMetrics.rocAuc.set({ model: data.modelName }, report.metrics.rocAuc);

    const evalKey = formatRef(reportRef);
    const htmlKey = formatRef(htmlRef);
    const champion = report.champion !== null && !('unscored' in report.champion) ? { version: report.champion.version, metrics: report.championMetrics ?? {} } : undefined;
    // The evaluation's span, so the champion.changed announcement of an auto-promotion continues this trace.
    const { traceparent } = injectTraceHeaders({});
    return {
      outputs: [
        {
          topic: Topics.evalDone,
          id: deterministicId('eval.done', event.id),
          key: data.modelName,
          subject: `${data.modelName}/${data.version}`,
          data: {
            modelName: data.modelName,
            version: data.version,
            evalKey,
            htmlKey,
            metrics: report.metrics,
            decision: report.decision,
            reason: registered.status === 'candidate' ? report.reason : `${report.reason} (the registry had already recorded v${data.version} as ${registered.status}; that stands)`,
            promoted,
            ...(champion ? { champion } : {}),
          },
        },
      ],
      artifacts: [
        { ref: evalKey, layer: 'eval', sha256: json.sha256, sizeBytes: json.size, contentType: 'application/json' },
        { ref: htmlKey, layer: 'eval', sha256: html.sha256, sizeBytes: html.size, contentType: 'text/html' },
      ],
      lineage: [
        { parentRef: data.onnxKey, childRef: evalKey, relation: 'evaluated' },
        ...data.holdoutDatasets.map((d) => ({ parentRef: d.key, childRef: evalKey, relation: 'evaluated-on' })),
        ...(champion && report.champion && 'onnxKey' in report.champion ? [{ parentRef: report.champion.onnxKey, childRef: evalKey, relation: 'compared-with' }] : []),
        { parentRef: evalKey, childRef: htmlKey, relation: 'rendered' },
      ],
      record: {
        inputRef: data.onnxKey,
        status: report.decision === 'pending' ? 'pending_approval' : 'succeeded',
        details: {
          modelName: data.modelName,
          version: data.version,
          policy: report.policy,
          decision: report.decision,
          reason: report.reason,
          promoted,
          holdoutRows: report.holdout.rows,
          seconds,
          adoptedEarlierReport: earlier !== undefined,
          rowsPerSecond: Object.fromEntries(Object.entries(timings).map(([engine, t]) => [engine, Math.round(t.rows / t.seconds)])),
        },
      },
      persist: async (em) => {
        await this.ports.registry.recordEvaluation(em, {
          modelName: data.modelName,
          version: data.version,
          evalRef: evalKey,
          metrics: report.metrics,
          decision: report.decision,
          reason: report.reason,
          actor: EVALUATOR_ACTOR(report.policy),
          ...(traceparent ? { traceparent } : {}),
        });
      },
    };
  }

  private async evaluate(
    data: ModelTrained['data'],
    challenger: StoredModel,
    context: StepContext,
    timings: Partial<Record<ScoringEngine, { rows: number; seconds: number }>>,
    phase: (name: string) => void,
  ): Promise<EvaluationReport> {
    const settings = this.settings;
    const timed = (engine: ScoringEngine, rows: number, seconds: number) => {
      observeScoring(engine, rows, seconds);
      const t = (timings[engine] ??= { rows: 0, seconds: 0 });
      t.rows += rows;
      t.seconds += seconds;
    };
    const onnx = await this.onnxScorer(challenger.bytes, data.onnxKey);
    try {
      let champion = await this.champion(data.modelName);
      let holdout: Holdout;
      try {
        holdout = await readHoldout(this.ports.objects, data.holdoutDatasets, champion && 'model' in champion ? [challenger.metadata.featureSpec, champion.model.metadata.featureSpec] : [challenger.metadata.featureSpec], context.heartbeat);
      } catch (err) {
        // A champion of an older feature version may read columns these rows no longer have: judge without it rather than not at all.
        if (!(champion && 'model' in champion && err instanceof ParquetError && err.code === 'parquet.unsupported-schema')) throw err;
        champion = { version: champion.version, unscored: `its features read columns the held-out rows lack (${err.message})` };
        holdout = await readHoldout(this.ports.objects, data.holdoutDatasets, [challenger.metadata.featureSpec], context.heartbeat);
      }
      if (holdout.rows === 0) throw new PoisonMessageError('empty-holdout', `the held-out datasets of ${data.modelName} v${data.version} hold no rows`);
      phase('read-holdout');
      await context.heartbeat();

      const matrix = this.matrix(holdout, challenger.metadata.featureSpec, data.onnxKey);
      phase('features');
      const agreement = await engineAgreement(onnx, challenger.bytes, challenger.metadata.algorithm, evenSample(matrix, settings.EVALUATOR_AGREEMENT_SAMPLE), timed);
      phase('engine-agreement');
      const challengerScores = await this.score(onnx, matrix, timed);
      phase('score');
      await context.heartbeat();
      const scoredChampion = champion && 'model' in champion ? await this.scoreChampion(champion, holdout, timed) : champion && { version: champion.version.version, unscored: champion.unscored };
      phase('champion');

      const report = judgeChallenger(
        {
          modelName: data.modelName,
          holdout,
          agreement,
          challenger: { version: data.version, algorithm: challenger.metadata.algorithm, onnxKey: data.onnxKey, sha256: data.sha256, threshold: data.threshold, targetAlertRate: challenger.targetAlertRate, anomaly: challengerScores },
          champion: scoredChampion,
        },
        {
          policy: policyFor(data.modelName, settings),
          tolerance: settings.EVALUATOR_TOLERANCE,
          agreementTolerance: settings.EVALUATOR_AGREEMENT_TOLERANCE,
          agreementSample: settings.EVALUATOR_AGREEMENT_SAMPLE,
          maxAlertRateFactor: settings.EVALUATOR_MAX_ALERT_RATE_FACTOR,
          fpr: settings.EVALUATOR_FPR,
          topK: settings.EVALUATOR_TOP_K,
        },
      );
      phase('judge');
      return report;
    } finally {
      await onnx.release();
    }
  }

  /** The champion, loaded and checked like the challenger; a champion that cannot be read is judged "unscored", not a reason to drop the challenger. */
  private async champion(modelName: string): Promise<ChampionModel> {
    const version = await this.ports.registry.champion(modelName);
    if (!version) return null;
    const refs: ModelRefs = { onnxKey: version.onnxRef, sha256: version.sha256, metadataKey: version.metadataRef ?? formatRef(modelRefs(modelName, version.version).metadata) };
    try {
      return { version, model: await loadStoredModel(this.ports.objects, refs) };
    } catch (err) {
      if (err instanceof PoisonMessageError) return { version, unscored: `${err.code}: ${err.message}` };
      throw err;
    }
  }

  private async scoreChampion(champion: { version: ModelVersion; model: StoredModel }, holdout: Holdout, timed: (engine: ScoringEngine, rows: number, seconds: number) => void): Promise<ScoredModel | { version: string; unscored: string }> {
    const { version, model } = champion;
    let scorer: OnnxScorer;
    let matrix: FeatureMatrix;
    try {
      scorer = await OnnxScorer.create(model.bytes, { threads: this.settings.EVALUATOR_SCORING_THREADS });
      matrix = holdoutMatrix(holdout, model.metadata.featureSpec);
    } catch (err) {
      return { version: version.version, unscored: `onnxruntime cannot score it: ${(err as Error).message}` };
    }
    try {
      return {
        version: version.version,
        algorithm: model.metadata.algorithm,
        onnxKey: version.onnxRef,
        sha256: version.sha256,
        threshold: version.threshold ?? -model.metadata.offset,
        targetAlertRate: model.targetAlertRate,
        anomaly: await this.score(scorer, matrix, timed),
      };
    } finally {
      await scorer.release();
    }
  }

  private async onnxScorer(bytes: Buffer, key: string): Promise<OnnxScorer> {
    try {
      return await OnnxScorer.create(bytes, { threads: this.settings.EVALUATOR_SCORING_THREADS });
    } catch (err) {
      throw new PoisonMessageError('corrupt-model', `onnxruntime cannot load ${key}: ${(err as Error).message}`, { cause: err });
    }
  }

  private matrix(holdout: Holdout, spec: FeatureSpec, key: string): FeatureMatrix {
    try {
      return holdoutMatrix(holdout, spec);
    } catch (err) {
      throw new PoisonMessageError('corrupt-model', `the feature spec inside ${key} is unusable: ${(err as Error).message}`, { cause: err });
    }
  }

  private async score(scorer: OnnxScorer, matrix: FeatureMatrix, timed: (engine: ScoringEngine, rows: number, seconds: number) => void): Promise<Float64Array> {
    const started = process.hrtime.bigint();
    // LOF and SVM graphs hold batch × stored-rows tensors, so they are fed in slices.
    const { scoreSamples } = await scoreInSlices(scorer, matrix, onnxSliceRows(scorer.metadata));
    timed('onnxruntime', matrix.rows, Number(process.hrtime.bigint() - started) / 1e9);
    return toAnomalyScores(scoreSamples);
  }

  private async earlierReport(ref: ObjectRef): Promise<EvaluationReport | undefined> {
    let bytes: Buffer;
    try {
      bytes = await this.ports.objects.get(ref);
    } catch (err) {
      if (isNotFoundError(err)) return undefined;
      throw err;
    }
    const report = JSON.parse(bytes.toString('utf8')) as EvaluationReport;
    if (report.format !== REPORT_FORMAT) throw new Error(`${formatRef(ref)} exists but is not an evaluation report of format ${REPORT_FORMAT}`);
    return report;
  }
}
