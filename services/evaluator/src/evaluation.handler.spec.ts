/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { EntityManager } from 'typeorm';
import { EvaluationOutcome, ModelVersion } from '@flowsentry/audit';
import { buildEvent, deterministicId, FlowsentryError, PipelineEventOf, Topics } from '@flowsentry/contracts';
import { StepContext } from '@flowsentry/runtime';
import { sha256Hex, writeParquet } from '@flowsentry/storage';
import { STRONG_FEATURES, syntheticFlows, trainModel, TrainedModel, WEAK_FEATURES } from '../test/model-fixtures';
import { EvaluationReport } from './evaluation-report';
import { EvaluationHandler, EvaluationSettings } from './evaluation.handler';
import { MemoryObjects } from '../../../test/support/memory-objects';

const settings: EvaluationSettings = {
  EVALUATOR_POLICY: 'auto',
  EVALUATOR_POLICIES: { 'manual-flows': 'manual' },
  EVALUATOR_TOLERANCE: 0.01,
  EVALUATOR_AGREEMENT_SAMPLE: 500,
  EVALUATOR_AGREEMENT_TOLERANCE: 1e-5,
  EVALUATOR_MAX_ALERT_RATE_FACTOR: 3,
  EVALUATOR_FPR: 0.01,
  EVALUATOR_TOP_K: 50,
  EVALUATOR_SCORING_THREADS: 1,
};

/** The registry rows the handler reads, and the verdicts it records. */
class MemoryRegistry {
  readonly versions = new Map<string, ModelVersion>();
  readonly recorded: EvaluationOutcome[] = [];
  championVersion: string | null = null;
  async get(modelName: string, version: string): Promise<ModelVersion | null> {
    return this.versions.get(`${modelName}/${version}`) ?? null;
  }
  async champion(modelName: string): Promise<ModelVersion | null> {
    return this.championVersion ? this.get(modelName, this.championVersion) : null;
  }
  async recordEvaluation(_em: EntityManager, outcome: EvaluationOutcome) {
    this.recorded.push(outcome);
    return null;
  }
}

const context: StepContext = { runId: 'run-1', attempt: 1, source: { topic: 'model.trained', partition: 0, offset: '0' }, heartbeat: async () => undefined, annotate: () => undefined, link: () => undefined, upcoming: () => undefined, assignment: 1 };

describe('evaluation step', () => {
  const train = syntheticFlows(3000, { seed: 1, attackEvery: 50 });
  let strong: TrainedModel;
  let weak: TrainedModel;
  let holdout: Buffer;
  let objects: MemoryObjects;
  let registry: MemoryRegistry;

  beforeAll(async () => {
    strong = trainModel(train, { modelName: 'flows', version: '1', recipes: STRONG_FEATURES, alertRate: 0.01 });
    weak = trainModel(train, { modelName: 'flows', version: '2', recipes: WEAK_FEATURES, alertRate: 0.01 });
    holdout = await writeParquet(syntheticFlows(2000, { seed: 2, attackEvery: 40, firstTs: 1_764_100_000_000 }));
  });

  beforeEach(() => {
    objects = new MemoryObjects();
    registry = new MemoryRegistry();
    objects.objects.set('silver/date=2026-11-30/holdout.parquet', holdout);
  });

  /** Puts a model in MODELS, registers it as a candidate (or as `status`), and builds its model.trained. */
  function publish(name: string, version: string, model: TrainedModel, status: ModelVersion['status'] = 'candidate'): PipelineEventOf<typeof Topics.modelTrained> {
    objects.objects.set(`models/${name}/${version}/model.onnx`, model.bytes);
    objects.objects.set(`models/${name}/${version}/model.json`, Buffer.from(JSON.stringify(model.card)));
    registry.versions.set(`${name}/${version}`, { modelName: name, version, status, onnxRef: `models/${name}/${version}/model.onnx`, sha256: sha256Hex(model.bytes), metadataRef: `models/${name}/${version}/model.json`, threshold: model.threshold } as ModelVersion);
    return modelTrained(name, version, sha256Hex(model.bytes), model.threshold);
  }

  function modelTrained(name: string, version: string, sha256: string, threshold = 0.6) {
    return buildEvent(Topics.modelTrained, {
      id: deterministicId('model.trained', name, version),
      service: 'trainer',
      subject: `${name}/${version}`,
      data: {
        modelName: name,
        version,
        onnxKey: `models/${name}/${version}/model.onnx`,
        sha256,
        metadataKey: `models/${name}/${version}/model.json`,
        trainingDatasets: [{ key: 'silver/date=2026-11-29/train.parquet', sha256: 'b'.repeat(64) }],
        holdoutDatasets: [{ key: 'silver/date=2026-11-30/holdout.parquet', sha256: sha256Hex(holdout) }],
        featuresSchemaVersion: 'f1',
        threshold,
        params: {},
        seed: 42,
        trainMetrics: {},
        trigger: 'silver.ready',
      },
    });
  }

  const handler = () => new EvaluationHandler({ objects, registry }, settings);
  const reportOf = (name: string, version: string) => JSON.parse(objects.objects.get(`eval/${name}/${version}/report.json`)!.toString()) as EvaluationReport;

  it('approves the first model of a name in auto, with labelled metrics, report.json, report.html and eval.done agreeing', async () => {
    const outcome = await handler().handle(publish('flows', '1', strong), context);
    const report = reportOf('flows', '1');
    expect(report).toMatchObject({ decision: 'approved', policy: 'auto', champion: null, holdout: { rows: 2000, labelled: true, attackTypes: { exfiltration: 50 } } });
    expect(report.agreement.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    expect(report.metrics.rocAuc).toBeGreaterThan(0.95);
    expect(report.challenger.labelled!.perAttack.exfiltration!.rows).toBe(50);
    expect(objects.objects.get('eval/flows/1/report.html')!.toString()).toContain('Decision: <strong>approved</strong>');
    const [output] = outcome.outputs;
    expect(output).toMatchObject({ topic: Topics.evalDone, key: 'flows', data: { decision: 'approved', promoted: true, evalKey: 'eval/flows/1/report.json', htmlKey: 'eval/flows/1/report.html', metrics: report.metrics } });
    expect(outcome.lineage).toEqual(
      expect.arrayContaining([
        { parentRef: 'models/flows/1/model.onnx', childRef: 'eval/flows/1/report.json', relation: 'evaluated' },
        { parentRef: 'silver/date=2026-11-30/holdout.parquet', childRef: 'eval/flows/1/report.json', relation: 'evaluated-on' },
      ]),
    );
    await outcome.persist!({} as EntityManager);
    expect(registry.recorded).toEqual([expect.objectContaining({ modelName: 'flows', version: '1', decision: 'approved', evalRef: 'eval/flows/1/report.json', actor: 'evaluator:auto' })]);
  });

  it('does not promote a challenger that is worse than the champion on labelled held-out rows', async () => {
    publish('flows', '1', strong, 'champion');
    registry.championVersion = '1';
    const outcome = await handler().handle(publish('flows', '2', weak), context);
    const report = reportOf('flows', '2');
    expect(report.decision).toBe('rejected');
    expect(report.reason).toMatch(/worse than the champion on labelled held-out rows/);
    expect(report.metrics.rocAuc).toBeGreaterThan(0.5);
    expect(report.metrics.rocAuc).toBeLessThan(report.championMetrics!.rocAuc! - 0.01);
    expect(report.comparison.agreement).toMatchObject({ k: 50 });
    expect(outcome.outputs[0]!.data).toMatchObject({ decision: 'rejected', promoted: false, champion: { version: '1' } });
    expect(outcome.lineage).toContainEqual({ parentRef: 'models/flows/1/model.onnx', childRef: 'eval/flows/2/report.json', relation: 'compared-with' });
  });

  it('keeps a model pending under the manual policy', async () => {
    const outcome = await handler().handle(publish('manual-flows', '1', strong), context);
    expect(outcome.outputs[0]!.data).toMatchObject({ decision: 'pending', promoted: false });
    expect(outcome.record.status).toBe('pending_approval');
  });

  it('adopts the report an earlier, uncommitted run wrote instead of judging again', async () => {
    const event = publish('flows', '1', strong);
    await handler().handle(event, context);
    const written = objects.objects.get('eval/flows/1/report.json')!;
    // The champion moved since: a fresh judgement would differ, the report of record does not.
    publish('flows', '9', weak, 'champion');
    registry.championVersion = '9';
    const again = await handler().handle(event, context);
    expect(objects.objects.get('eval/flows/1/report.json')!.equals(written)).toBe(true);
    expect(again.outputs[0]!.data).toMatchObject({ decision: 'approved' });
    expect(again.record.details).toMatchObject({ adoptedEarlierReport: true });
  });

  it('evaluates a LOF challenger with onnxruntime alone and says in the gate and the report that the kernel check does not apply', async () => {
    const lof = trainModel(train, { modelName: 'flows', version: '1', recipes: STRONG_FEATURES, alertRate: 0.01, algorithm: 'local-outlier-factor' });
    const outcome = await handler().handle(publish('flows', '1', lof), context);
    const report = reportOf('flows', '1');
    expect(report.agreement).toMatchObject({ rows: 0, maxAbsDiff: null, notApplicable: expect.stringContaining('local-outlier-factor') });
    expect(report.gates).toContainEqual({ gate: 'engine-agreement', passed: true, detail: expect.stringMatching(/^not applicable: the forest kernel reads isolation forests only/) });
    expect(report.challenger.algorithm).toBe('local-outlier-factor');
    expect(report.metrics.rocAuc).toBeGreaterThan(0.95);
    expect(report.metrics).not.toHaveProperty('agreementMaxAbsDiff');
    expect(report.decision).toBe('approved');
    expect(objects.objects.get('eval/flows/1/report.html')!.toString()).toContain('No second engine: the forest kernel reads isolation forests only');
    expect(outcome.outputs[0]!.data).toMatchObject({ decision: 'approved', promoted: true });
  });

  it('judges challenger and champion of different algorithms by their holdout ranks: an OC-SVM on weak features loses to a forest champion', async () => {
    publish('flows', '1', strong, 'champion');
    registry.championVersion = '1';
    const svm = trainModel(train, { modelName: 'flows', version: '2', recipes: WEAK_FEATURES, alertRate: 0.01, algorithm: 'one-class-svm' });
    await handler().handle(publish('flows', '2', svm), context);
    const report = reportOf('flows', '2');
    expect(report.challenger.algorithm).toBe('one-class-svm');
    expect(report.champion).toMatchObject({ version: '1', algorithm: 'isolation-forest' });
    expect(report.decision).toBe('rejected');
    expect(report.reason).toMatch(/worse than the champion on labelled held-out rows/);
    expect(report.comparison.agreement).toMatchObject({ k: 50 });
    // Their scores share no scale, so the histogram shows the challenger alone.
    expect(report.histogram.champion).toBeUndefined();
  });

  it('promotes an OC-SVM over a weaker LOF champion, both scored by onnxruntime on the same rows', async () => {
    publish('flows', '1', trainModel(train, { modelName: 'flows', version: '1', recipes: WEAK_FEATURES, alertRate: 0.01, algorithm: 'local-outlier-factor' }), 'champion');
    registry.championVersion = '1';
    const svm = trainModel(train, { modelName: 'flows', version: '2', recipes: STRONG_FEATURES, alertRate: 0.01, algorithm: 'one-class-svm' });
    const outcome = await handler().handle(publish('flows', '2', svm), context);
    const report = reportOf('flows', '2');
    expect(report.gates.every((g) => g.passed)).toBe(true);
    expect(report.metrics.rocAuc).toBeGreaterThan(report.championMetrics!.rocAuc! + 0.01);
    expect(report.decision).toBe('approved');
    expect(outcome.outputs[0]!.data).toMatchObject({ promoted: true, champion: { version: '1' } });
  });

  it.each([
    ['missing-object', () => modelTrained('flows', '5', 'c'.repeat(64))],
    [
      'hash-mismatch',
      () => {
        const event = publish('flows', '5', strong);
        return { ...event, data: { ...event.data, sha256: 'd'.repeat(64) } };
      },
    ],
    [
      'corrupt-model',
      () => {
        const junk = Buffer.from('these bytes are not an ONNX model at all');
        objects.objects.set('models/flows/5/model.onnx', junk);
        objects.objects.set('models/flows/5/model.json', Buffer.from('{}'));
        return modelTrained('flows', '5', sha256Hex(junk));
      },
    ],
  ])('refuses a model.trained whose model is %s, as poison with that code', async (code, event) => {
    const error = await handler()
      .handle(event(), context)
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(FlowsentryError);
    expect(error).toMatchObject({ code, retriable: false });
  });
});
