import { EntityManager } from 'typeorm';
import { ModelAliasChange, ModelVersion } from '@flowsentry/audit';
import { ChampionChangedEvent, deterministicId } from '@flowsentry/contracts';
import { Announcement, ChampionOutbox } from './champion-outbox';

const move = (id: string, to: string, from: string | null): ModelAliasChange => ({
  id,
  modelName: 'network-flows',
  alias: 'champion',
  fromVersion: from,
  toVersion: to,
  actor: 'evaluator:auto',
  reason: 'first model',
  change: 'promotion',
  traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
  announcedAt: null,
  changedAt: new Date('2026-11-30T10:00:00Z'),
});

/** The registry outbox in memory, with a transaction that keeps its marks only if the work succeeds. */
function outboxWith(send: (a: Announcement) => Promise<void>) {
  const rows = [move('7', '1', null), move('8', '2', '1')];
  const announced = new Set<string>();
  const sent: Announcement[] = [];
  const outbox = new ChampionOutbox({
    transaction: async (work) => {
      const marked = new Set<string>();
      const em = { marked } as unknown as EntityManager;
      const result = await work(em);
      for (const id of marked) announced.add(id);
      return result;
    },
    registry: {
      unannounced: async () => rows.filter((r) => !announced.has(r.id)),
      markAnnounced: async (em, ids) => ids.forEach((id) => (em as unknown as { marked: Set<string> }).marked.add(id)),
      get: async (modelName, version) => ({ modelName, version, onnxRef: `models/${modelName}/${version}/model.onnx`, sha256: 'a'.repeat(64), metadataRef: `models/${modelName}/${version}/model.json` }) as ModelVersion,
    },
    send: async (a) => {
      await send(a);
      sent.push(a);
    },
  });
  return { outbox, announced, sent };
}

describe('champion outbox', () => {
  it('sends champion.changed for each unannounced move, oldest first, then marks them announced', async () => {
    const { outbox, announced, sent } = outboxWith(async () => undefined);
    await expect(outbox.announcePending()).resolves.toBe(2);
    expect([...announced]).toEqual(['7', '8']);
    const events = sent.map((a) => ChampionChangedEvent.parse(JSON.parse(a.value)));
    expect(events.map((e) => [e.data.previousVersion, e.data.version])).toEqual([
      [null, '1'],
      ['1', '2'],
    ]);
    expect(events[1]).toMatchObject({
      id: deterministicId('champion.changed', 'network-flows', '8'),
      subject: 'network-flows',
      time: '2026-11-30T10:00:00.000Z',
      data: { change: 'promotion', onnxKey: 'models/network-flows/2/model.onnx', metadataKey: 'models/network-flows/2/model.json', changedAt: '2026-11-30T10:00:00.000Z' },
    });
    expect(sent[0]).toMatchObject({ key: 'network-flows', traceparent: move('7', '1', null).traceparent });
    await expect(outbox.announcePending()).resolves.toBe(0);
  });

  it('leaves every move of the round in the outbox when a send is not acknowledged, and sends the same bytes next round', async () => {
    let brokerUp = false;
    const { outbox, announced, sent } = outboxWith(async (a) => {
      if (!brokerUp && a.eventId === deterministicId('champion.changed', 'network-flows', '8')) throw new Error('broker unavailable');
    });
    await expect(outbox.announcePending()).rejects.toThrow('broker unavailable');
    expect(announced.size).toBe(0);
    const firstTry = sent.map((a) => a.value);
    brokerUp = true;
    await expect(outbox.announcePending()).resolves.toBe(2);
    expect([...announced]).toEqual(['7', '8']);
    expect(sent.slice(1, 2).map((a) => a.value)).toEqual(firstTry);
  });
});
