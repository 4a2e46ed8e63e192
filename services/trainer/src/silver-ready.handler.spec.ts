import { context, trace } from '@opentelemetry/api';
import { deterministicId } from '@flowsentry/contracts';
import { StepOutcome } from '@flowsentry/runtime';
import { startInMemoryTracing } from '@flowsentry/telemetry';
import { FEATURE_VERSION } from '../test/silver-fixtures';
import { hourlyDatasets, MODEL, trainerSteps } from '../test/trainer-harness';
import { commit, fakeContext, MemoryObjects, silverReadyEvent } from '../test/trainer-fakes';
import { CatalogDataset } from './dataset-catalog';
import { VersionTakenError } from './trained-models';

describe('SilverReadyHandler', () => {
  let objects: MemoryObjects;
  let hours: CatalogDataset[];
  beforeAll(async () => {
    objects = new MemoryObjects();
    hours = await hourlyDatasets(objects, 8);
  });

  /** Handles and commits each dataset's silver.ready in turn, as the runtime would. */
  async function feed(steps: ReturnType<typeof trainerSteps>, datasets: CatalogDataset[]): Promise<StepOutcome[]> {
    const outcomes: StepOutcome[] = [];
    for (const dataset of datasets) {
      const outcome = await steps.silverReady.handle(silverReadyEvent(dataset), fakeContext);
      await commit(outcome);
      outcomes.push(outcome);
    }
    return outcomes;
  }

  it('records every dataset and trains the first model on the dataset that brings TRAINER_MIN_ROWS rows, and only then', async () => {
    const steps = trainerSteps(objects);
    const outcomes = await feed(steps, hours.slice(0, 6));
    expect(outcomes.map((o) => o.outputs.length)).toEqual([0, 0, 0, 1, 0, 0]);
    expect(outcomes[2]!.record).toMatchObject({ status: 'skipped', details: { reason: 'the first model waits for 2000 rows; 1500 so far' } });
    expect(outcomes[5]!.record.details).toMatchObject({ reason: expect.stringMatching(/v1 exists/) });
    expect([...steps.state.catalog.rows.keys()]).toEqual(hours.slice(0, 6).map((d) => d.datasetId));
    expect(steps.state.models.versions.map((v) => v.version)).toEqual(['1']);
  });

  it('emits model.trained with the objects, datasets and threshold it registered, under an id derived from the model', async () => {
    const steps = trainerSteps(objects);
    const outcomes = await feed(steps, hours.slice(0, 4));
    const trained = outcomes[3]!;
    const [registered] = steps.state.models.versions;
    expect(trained.outputs[0]).toMatchObject({ topic: 'model.trained', id: deterministicId('model.trained', MODEL, '1', registered!.sha256), key: MODEL, subject: `${MODEL}/1` });
    const data = trained.outputs[0]!.data as Record<string, unknown>;
    expect(data).toMatchObject({
      modelName: MODEL,
      version: '1',
      onnxKey: `models/${MODEL}/1/model.onnx`,
      metadataKey: `models/${MODEL}/1/model.json`,
      sha256: registered!.sha256,
      threshold: registered!.threshold,
      trigger: 'silver.ready',
      featuresSchemaVersion: FEATURE_VERSION,
      seed: 42,
      trainingDatasets: hours.slice(0, 3).map((d) => ({ key: d.silverKey, sha256: d.sha256 })),
      holdoutDatasets: [{ key: hours[3]!.silverKey, sha256: hours[3]!.sha256 }],
      trainMetrics: expect.objectContaining({ training_rows: 1500, holdout_rows: 500, window_end_ms: hours[3]!.maxEventTime }),
    });
    expect(registered).toMatchObject({ modelName: MODEL, version: '1', featureVersion: FEATURE_VERSION, trainingRefs: hours.slice(0, 3).map((d) => d.silverKey), runId: 'run-1' });
    expect(trained.artifacts.map((a) => a.ref)).toEqual([`models/${MODEL}/1/model.onnx`, `models/${MODEL}/1/model.json`]);
    expect(trained.lineage).toEqual([...hours.slice(0, 3).map((d) => ({ parentRef: d.silverKey, childRef: `models/${MODEL}/1/model.onnx`, relation: 'trained-on' })), { parentRef: `models/${MODEL}/1/model.onnx`, childRef: `models/${MODEL}/1/model.json`, relation: 'described' }]);
    const card = JSON.parse((await steps.objects.get({ layer: 'models', key: `${MODEL}/1/model.json` })).toString());
    expect(card.trainedAt).toBe(new Date(hours[3]!.maxEventTime).toISOString());
  });

  it('links the model span to the run of every dataset it learnt from, training and holdout (fan-in)', async () => {
    const tracing = startInMemoryTracing('trainer');
    try {
      const steps = trainerSteps(objects);
      const linked: Array<Array<string | undefined>> = [];
      const handled: string[] = [];
      for (const dataset of hours.slice(0, 4)) {
        // Each dataset's silver.ready is handled in a span of its own run, as the runtime does.
        const span = trace.getTracer('spec').startSpan('trainer.training', { root: true });
        const outcome = await context.with(trace.setSpan(context.active(), span), () =>
          steps.silverReady.handle(silverReadyEvent(dataset), { ...fakeContext, link: (parents) => void linked.push([...parents]) }),
        );
        span.end();
        await commit(outcome);
        handled.push(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      }

      // The fourth dataset trained v1 on the first three and held the fourth out.
      expect(steps.state.models.versions.map((v) => v.version)).toEqual(['1']);
      expect(linked).toEqual([handled]);
    } finally {
      await tracing.shutdown();
    }
  });

  it('run again after a crash before the commit, writes the same objects and registers one version', async () => {
    const steps = trainerSteps(objects);
    await feed(steps, hours.slice(0, 3));
    const event = silverReadyEvent(hours[3]!);
    const crashed = await steps.silverReady.handle(event, fakeContext);
    const puts = steps.objects.puts;
    const rerun = await steps.silverReady.handle(event, { ...fakeContext, attempt: 2 });
    await commit(rerun);
    // Only the measured training time differs; the objects are the ones the crashed attempt wrote.
    const { trainMetrics: _t1, ...first } = crashed.outputs[0]!.data as Record<string, unknown>;
    const { trainMetrics: _t2, ...second } = rerun.outputs[0]!.data as Record<string, unknown>;
    expect(second).toEqual(first);
    expect(steps.objects.puts - puts).toBe(2);
    expect(steps.state.models.versions).toHaveLength(1);
  });

  it('refuses to register a version another delivery registered meanwhile', async () => {
    const steps = trainerSteps(objects);
    await feed(steps, hours.slice(0, 3));
    const slow = await steps.silverReady.handle(silverReadyEvent(hours[3]!), fakeContext);
    await commit(await steps.silverReady.handle(silverReadyEvent(hours[3]!), fakeContext));
    await expect(commit(slow)).rejects.toThrow(VersionTakenError);
  });

  it('trains nothing on a dataset of a feature version older than the newest in event time', async () => {
    const other = await hourlyDatasets(objects, 4, 0, { featureVersion: 'f1.w1-5m' });
    const steps = trainerSteps(objects);
    await feed(steps, [hours[4]!]);
    const outcomes = await feed(steps, other);
    expect(outcomes.every((o) => o.outputs.length === 0)).toBe(true);
    expect(outcomes[3]!.record.details).toMatchObject({ reason: `feature version f1.w1-5m is older than ${FEATURE_VERSION} (dataset ${hours[4]!.datasetId})` });
  });

  it('trains the same model whichever order two streams\' datasets arrive in, once both have passed the point where the rows are reached', async () => {
    const quiet = await hourlyDatasets(objects, 3, 0, {}, 250, 1);
    const models: string[] = [];
    for (const arrival of [
      [...hours.slice(0, 6), ...quiet],
      [quiet[0]!, hours[0]!, quiet[1]!, hours[1]!, hours[2]!, quiet[2]!, hours[3]!, hours[4]!, hours[5]!],
      [hours[0]!, hours[1]!, hours[2]!, hours[3]!, hours[4]!, quiet[0]!, quiet[1]!, hours[5]!, quiet[2]!],
    ]) {
      const steps = trainerSteps(objects);
      steps.state.sources.streams = ['it.network.events/0', 'it.network.events/1'];
      const outcomes = await feed(steps, arrival);
      expect(outcomes.filter((o) => o.outputs.length > 0)).toHaveLength(1);
      const [registered] = steps.state.models.versions;
      models.push(registered!.sha256);
    }
    // 2,000 rows are first reached at hour 2 (3 × 500 + 2 × 250): the model holds out hour 2 whatever came first.
    expect(new Set(models).size).toBe(1);
  });

  it('waits for a stream with nothing on record yet, naming it', async () => {
    const steps = trainerSteps(objects);
    steps.state.sources.streams = ['it.network.events/0', 'it.network.events/1'];
    const outcomes = await feed(steps, hours.slice(0, 6));
    expect(outcomes.every((o) => o.outputs.length === 0)).toBe(true);
    expect(outcomes[5]!.record.details).toMatchObject({ reason: expect.stringMatching(/waits for every stream to pass it; stream it.network.events\/1 has reached/) });
  });

  it('records the dataset but trains nothing, rather than dead-letter it, when a SILVER object of the window is gone', async () => {
    const steps = trainerSteps(objects);
    steps.objects.objects.delete(hours[1]!.silverKey);
    const outcomes = await feed(steps, hours.slice(0, 4));
    expect(outcomes[3]!.outputs).toEqual([]);
    expect(outcomes[3]!.record).toMatchObject({ status: 'skipped', details: { reason: `missing-object: SILVER object ${hours[1]!.silverKey} does not exist` } });
    expect(steps.state.catalog.rows.has(hours[3]!.datasetId)).toBe(true);
    expect(steps.state.models.versions).toEqual([]);
  });
});
