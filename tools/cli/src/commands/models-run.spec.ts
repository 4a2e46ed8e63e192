import { ModelAliasChange, ModelVersion, RegistryAction, RegistryError } from '@flowsentry/audit';
import { modelsApprove } from './models-approve';
import { modelsReject } from './models-reject';
import { modelsRollback } from './models-rollback';
import { modelsShow } from './models-show';
import { RegistryOperations } from './registry-command';

const v = (version: string, status: ModelVersion['status']) => Object.assign(new ModelVersion(), { modelName: 'network-flows', version, status });
const move = (from: string | null, to: string) => Object.assign(new ModelAliasChange(), { modelName: 'network-flows', fromVersion: from, toVersion: to });
const retrain = (resolvedBy: string | null) => ({ trigger: 'drift.detected', eventId: `drift-${resolvedBy}`, regimeSince: null, status: resolvedBy ? ('done' as const) : ('absorbed' as const), resolvedBy, detail: {}, createdAt: new Date(0) });
const action = (version: string | null) => Object.assign(new RegistryAction(), { modelName: 'network-flows', version });

/** A registry holding v1 (archived), v2 (champion) and v3 (pending), that records what it was asked. */
function fakeRegistry(versions = [v('3', 'pending'), v('2', 'champion'), v('1', 'archived')]) {
  const calls: unknown[] = [];
  const registry: RegistryOperations = {
    list: async (name?: string) => versions.filter((x) => !name || x.modelName === name),
    champion: async () => versions.find((x) => x.status === 'champion') ?? null,
    history: async () => [move(null, '1'), move('1', '2')],
    actions: async () => [action('2'), action(null), action('3')],
    retrainRequests: async () => [retrain('2'), retrain(null)],
    traces: async () => ({ '1': 'a'.repeat(32), '3': 'c'.repeat(32) }),
    approve: async (request) => (calls.push(['approve', request]), { modelName: request.modelName, from: '2', to: request.version, change: 'approval' as const }),
    reject: async (request) => (calls.push(['reject', request]), v(request.version, 'rejected')),
    rollback: async (request) => (calls.push(['rollback', request]), { modelName: request.modelName, from: '2', to: request.to ?? '1', change: 'rollback' as const }),
  };
  return { registry, calls };
}

describe('models show', () => {
  it('gathers every version, the champion, its history and the operator actions of a model name', async () => {
    const { registry } = fakeRegistry();
    const detail = await modelsShow.run(registry, { modelName: 'network-flows', json: false });
    expect(detail.champion).toBe('2');
    expect(detail.versions.map((x) => x.version)).toEqual(['3', '2', '1']);
    expect(detail.history).toHaveLength(2);
    expect(detail.actions).toHaveLength(3);
    expect(detail.retrains).toHaveLength(2);
    expect(detail.traces).toEqual({ '1': 'a'.repeat(32), '3': 'c'.repeat(32) });
  });

  it('with a VERSION keeps only that version and the moves and actions that concern it', async () => {
    const { registry } = fakeRegistry();
    const detail = await modelsShow.run(registry, { modelName: 'network-flows', version: '1', json: false });
    expect(detail.versions.map((x) => x.version)).toEqual(['1']);
    expect(detail.history.map((h) => [h.fromVersion, h.toVersion])).toEqual([
      [null, '1'],
      ['1', '2'],
    ]);
    expect(detail.actions).toEqual([]);
    expect(detail.traces).toEqual({ '1': 'a'.repeat(32) });
    expect((await modelsShow.run(registry, { modelName: 'network-flows', version: '3', json: false })).actions.map((a) => a.version)).toEqual(['3']);
  });

  it('fails as a registry error (exit 1) for an unknown model name or version', async () => {
    await expect(modelsShow.run(fakeRegistry([]).registry, { modelName: 'nope', json: false })).rejects.toThrow(new RegistryError('version-not-found', 'no model named nope in the registry'));
    await expect(modelsShow.run(fakeRegistry().registry, { modelName: 'network-flows', version: '9', json: false })).rejects.toThrow('network-flows has no version 9');
  });

  it('renders JSON that a script can read back', async () => {
    const { registry } = fakeRegistry();
    const params = { modelName: 'network-flows', json: true };
    expect(JSON.parse(modelsShow.render(await modelsShow.run(registry, params), params))).toMatchObject({ modelName: 'network-flows', champion: '2' });
  });
});

describe('registry changes from the CLI', () => {
  it('are requested through the cli channel with the operator and the reason', async () => {
    const { registry, calls } = fakeRegistry();
    const operator = { actor: 'alice', reason: 'reviewed' };
    await modelsApprove.run(registry, { modelName: 'network-flows', version: '3', ...operator });
    await modelsReject.run(registry, { modelName: 'network-flows', version: '3', ...operator });
    await modelsRollback.run(registry, { modelName: 'network-flows', ...operator });
    await modelsRollback.run(registry, { modelName: 'network-flows', to: '1', ...operator });
    expect(calls).toEqual([
      ['approve', { modelName: 'network-flows', version: '3', actor: 'alice', reason: 'reviewed', channel: 'cli' }],
      ['reject', { modelName: 'network-flows', version: '3', actor: 'alice', reason: 'reviewed', channel: 'cli' }],
      ['rollback', { modelName: 'network-flows', actor: 'alice', reason: 'reviewed', channel: 'cli' }],
      ['rollback', { modelName: 'network-flows', to: '1', actor: 'alice', reason: 'reviewed', channel: 'cli' }],
    ]);
  });
});
