import { StepOutcome } from '@flowsentry/runtime';
import { hourlyDatasets, HOUR, MODEL, T0, trainerSteps } from '../test/trainer-harness';
import { commit, driftEvent, fakeContext, MemoryObjects, silverReadyEvent } from '../test/trainer-fakes';
import { CatalogDataset } from './dataset-catalog';

describe('DriftDetectedHandler', () => {
  let objects: MemoryObjects;
  let before: CatalogDataset[];
  let after: CatalogDataset[];
  beforeAll(async () => {
    objects = new MemoryObjects();
    before = await hourlyDatasets(objects, 4);
    after = await hourlyDatasets(objects, 4, 4, { shift: 2 });
  });

  async function handled(outcome: Promise<StepOutcome>): Promise<StepOutcome> {
    const done = await outcome;
    await commit(done);
    return done;
  }

  /** The trainer after a first model on hours 0–3 and the first new-regime dataset (hour 4). */
  async function withFirstModel() {
    const steps = trainerSteps(objects);
    for (const d of [...before, after[0]!]) await handled(steps.silverReady.handle(silverReadyEvent(d), fakeContext));
    expect(steps.state.models.versions.map((v) => v.version)).toEqual(['1']);
    return steps;
  }

  it('turns a burst of drift events into one request and one retrain, on the new regime only', async () => {
    const steps = await withFirstModel();
    // Hour 4 drifted; the monitor says so three times before new data arrives.
    const burst = [0, 1, 2].map((n) => driftEvent(MODEL, after[0]!.datasetId, n));
    for (const event of burst) expect((await handled(steps.driftDetected.handle(event, fakeContext))).outputs).toEqual([]);
    expect(steps.state.requests.rows.map((r) => [r.status, r.regimeSince])).toEqual([
      ['open', after[0]!.minEventTime],
      ['absorbed', after[0]!.minEventTime],
      ['absorbed', after[0]!.minEventTime],
    ]);

    // 1,500 rows of the new regime are needed: hours 4, 5 are not enough, hour 6 is.
    const outcomes = [];
    for (const d of after.slice(1)) outcomes.push(await handled(steps.silverReady.handle(silverReadyEvent(d), fakeContext)));
    expect(outcomes.map((o) => o.outputs.length)).toEqual([0, 1, 0]);
    const data = outcomes[1]!.outputs[0]!.data as { version: string; trigger: string; trainingDatasets: Array<{ key: string }>; holdoutDatasets: Array<{ key: string }> };
    expect(data).toMatchObject({ version: '2', trigger: 'drift.detected' });
    expect([...data.trainingDatasets, ...data.holdoutDatasets].map((d) => d.key)).toEqual(after.slice(0, 3).map((d) => d.silverKey));
    expect(steps.state.requests.rows.map((r) => [r.status, r.resolvedBy])).toEqual([
      ['done', '2'],
      ['absorbed', undefined],
      ['absorbed', undefined],
    ]);
    const card = JSON.parse((await steps.objects.get({ layer: 'models', key: `${MODEL}/2/model.json` })).toString());
    expect(card.trigger).toEqual({ type: 'drift.detected', datasetId: after[2]!.datasetId, regimeSince: new Date(after[0]!.minEventTime).toISOString() });

    // The next drift opens a new request.
    await handled(steps.driftDetected.handle(driftEvent(MODEL, after[3]!.datasetId, 9), fakeContext));
    expect(steps.state.requests.rows.filter((r) => r.status === 'open')).toHaveLength(1);
  });

  it('retrains on the drift event itself when the new regime already holds enough rows: the model it would have been had the drift come first', async () => {
    const late = await withFirstModel();
    for (const d of after.slice(1, 3)) await handled(late.silverReady.handle(silverReadyEvent(d), fakeContext));
    const outcome = await handled(late.driftDetected.handle(driftEvent(MODEL, after[0]!.datasetId, 0), fakeContext));
    const data = outcome.outputs[0]!.data as { version: string; trainingDatasets: Array<{ key: string }>; holdoutDatasets: Array<{ key: string }> };
    expect(data).toMatchObject({ version: '2', trigger: 'drift.detected' });
    // Hour 6 is where the regime reaches 1,500 rows, wherever the drift event fell among the datasets.
    expect([...data.trainingDatasets, ...data.holdoutDatasets].map((d) => d.key)).toEqual(after.slice(0, 3).map((d) => d.silverKey));
    expect(late.state.requests.rows.map((r) => [r.status, r.resolvedBy])).toEqual([['done', '2']]);

    const early = await withFirstModel();
    await handled(early.driftDetected.handle(driftEvent(MODEL, after[0]!.datasetId, 0), fakeContext));
    for (const d of after.slice(1, 3)) await handled(early.silverReady.handle(silverReadyEvent(d), fakeContext));
    expect(early.state.models.versions.map((v) => [v.version, v.sha256])).toEqual(late.state.models.versions.map((v) => [v.version, v.sha256]));
  });

  it('starts the regime at the drift event time when the drifted dataset is not in the catalog yet', async () => {
    const steps = await withFirstModel();
    const event = driftEvent(MODEL, 'it.network.events-p9-unknown', 0, new Date(T0 + 5 * HOUR));
    const outcome = await handled(steps.driftDetected.handle(event, fakeContext));
    expect(outcome.record).toMatchObject({ status: 'skipped', details: { request: 'raised', reason: expect.stringMatching(/not in the catalog/) } });
    expect(steps.state.requests.rows[0]).toMatchObject({ status: 'open', regimeSince: T0 + 5 * HOUR });
  });

  it('starts the regime at the event time the drift event names, not at the time it was sent, even before the dataset is cataloged', async () => {
    const steps = await withFirstModel();
    // Sent on a later wall-clock day than the traffic it is about (SILVER lagging, or a replay).
    const event = driftEvent(MODEL, 'it.network.events-p9-unknown', 0, new Date('2026-12-24T00:00:00Z'), new Date(T0 + 3 * HOUR));
    await handled(steps.driftDetected.handle(event, fakeContext));
    expect(steps.state.requests.rows[0]).toMatchObject({ status: 'open', regimeSince: T0 + 3 * HOUR });
  });

  it('leaves drift of another model to that model’s trainer', async () => {
    const steps = await withFirstModel();
    const outcome = await steps.driftDetected.handle(driftEvent('other-model', after[0]!.datasetId, 0), fakeContext);
    expect(outcome).toMatchObject({ outputs: [], record: { status: 'skipped' } });
    expect(outcome.persist).toBeUndefined();
  });
});
