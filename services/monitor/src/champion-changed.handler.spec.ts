/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { championChangedEvent, commit, context, MemoryMonitorState, MemoryObjects, MemoryRegistry, publishChampion, putSilver, silverFlows, T0 } from '../test/monitor-fixtures';
import { ChampionChangedHandler } from './champion-changed.handler';
import { ChampionRef } from './champion-model';
import { ChampionModels } from './champion-models';
import { NO_DRIFT } from './drift-rule';

describe('champion.changed: the monitor follows every move of the champion alias', () => {
  let objects: MemoryObjects;
  let v1: ChampionRef;
  let v2: ChampionRef;
  let state: MemoryMonitorState;
  let registry: MemoryRegistry;
  let handler: ChampionChangedHandler;

  beforeAll(async () => {
    objects = new MemoryObjects();
    const datasets = [];
    for (let i = 0; i < 3; i++) {
      const table = silverFlows({ rows: 1500, seed: 200 + i, startMs: T0 + i * 600_000, shift: i === 2 ? 1 : 0 });
      datasets.push({ dataset: await putSilver(objects, `it.network.events-p0-c${i}`, table), table });
    }
    v1 = await publishChampion(objects, datasets.slice(0, 2), { modelName: 'flows', version: '1' });
    v2 = await publishChampion(objects, datasets.slice(1), { modelName: 'flows', version: '2' });
  });

  beforeEach(() => {
    state = new MemoryMonitorState();
    registry = new MemoryRegistry();
    handler = new ChampionChangedHandler({ state, registry, champions: new ChampionModels(objects, { threads: 1 }) }, 'flows');
  });

  it('builds the new champion’s baseline from its training datasets and makes it the monitor’s champion', async () => {
    registry.promote(v1, '2026-11-20T09:00:00.000Z');
    const outcome = await handler.handle(championChangedEvent(v1, '2026-11-20T09:00:00.000Z'), context);
    expect(outcome.outputs).toEqual([]);
    expect(outcome.artifacts.map((a) => a.ref).sort()).toEqual(['constraints.json', 'manifest.json', 'scores.json', 'statistics.json', 'streams/p0/constraints.json', 'streams/p0/scores.json', 'streams/p0/statistics.json'].map((f) => `monitor/flows/1/baseline/${f}`));
    expect(outcome.lineage).toContainEqual({ parentRef: v1.onnxKey, childRef: 'monitor/flows/1/baseline/scores.json', relation: 'scored' });
    expect(outcome.lineage.filter((l) => l.relation === 'baseline-of')).toHaveLength(2);
    expect(outcome.record).toMatchObject({ inputRef: `${v1.onnxKey}#2026-11-20T09:00:00.000Z`, details: { version: '1', baselineBuilt: true, trainingRows: 3000 } });
    await commit(outcome);
    expect(state.row).toMatchObject({ champion: { version: '1', source: 'champion.changed', changedAt: '2026-11-20T09:00:00.000Z' }, drift: NO_DRIFT, revision: 0 });
  });

  it('switches to a newer champion with its drift state starting over (no streak or cool-down carried over)', async () => {
    registry.promote(v1, '2026-11-20T09:00:00.000Z');
    await commit(await handler.handle(championChangedEvent(v1, '2026-11-20T09:00:00.000Z'), context));
    state.row!.drift = { streams: { p0: { streak: 2, datasets: ['a', 'b'] } }, raisedAtMs: T0, raisedDataset: 'x' };
    registry.promote(v2, '2026-11-20T12:00:00.000Z');
    await commit(await handler.handle(championChangedEvent(v2, '2026-11-20T12:00:00.000Z', 'promotion', '1'), context));
    expect(state.row).toMatchObject({ champion: { version: '2' }, drift: NO_DRIFT });
  });

  it('a rollback to a version watched before finds its baseline in MONITOR instead of rebuilding it', async () => {
    registry.promote(v1, '2026-11-20T09:00:00.000Z');
    await commit(await handler.handle(championChangedEvent(v1, '2026-11-20T09:00:00.000Z'), context));
    registry.promote(v2, '2026-11-20T12:00:00.000Z');
    await commit(await handler.handle(championChangedEvent(v2, '2026-11-20T12:00:00.000Z', 'promotion', '1'), context));
    registry.promote(v1, '2026-11-20T13:00:00.000Z');
    const rollback = await handler.handle(championChangedEvent(v1, '2026-11-20T13:00:00.000Z', 'rollback', '2'), context);
    expect(rollback.record.details).toMatchObject({ version: '1', change: 'rollback', baselineBuilt: false });
    await commit(rollback);
    expect(state.row!.champion).toMatchObject({ version: '1', changedAt: '2026-11-20T13:00:00.000Z' });
  });

  it('skips a move that is no longer current: one older than the monitor’s champion, or one the registry has moved on from', async () => {
    registry.promote(v2, '2026-11-20T12:00:00.000Z');
    await commit(await handler.handle(championChangedEvent(v2, '2026-11-20T12:00:00.000Z'), context));
    const older = await handler.handle(championChangedEvent(v1, '2026-11-20T09:00:00.000Z'), context);
    expect(older.record).toMatchObject({ status: 'skipped', details: { reason: expect.stringMatching(/^superseded: the monitor follows v2/) } });

    state.row = undefined;
    const past = await handler.handle(championChangedEvent(v1, '2026-11-20T09:00:00.000Z'), context);
    expect(past.record).toMatchObject({ status: 'skipped', details: { reason: expect.stringMatching(/^superseded: the registry's champion is now v2/) } });
    expect(past.persist).toBeUndefined();
  });

  it('skips moves of other model names', async () => {
    const other = await handler.handle(championChangedEvent({ ...v1, modelName: 'dns-flows' }, '2026-11-20T09:00:00.000Z'), context);
    expect(other).toMatchObject({ outputs: [], artifacts: [], record: { status: 'skipped', details: { reason: 'this monitor watches flows' } } });
  });
});
