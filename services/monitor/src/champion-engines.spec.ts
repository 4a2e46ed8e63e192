/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { AnomalyAlgorithm, ForestKernelScorer, PathAttribution } from '@flowsentry/ml';
import { PipelineEventOf, Topics } from '@flowsentry/contracts';
import { championChangedEvent, commit, context, MemoryMonitorState, MemoryObjects, MemoryRegistry, publishChampion, putSilver, RecordingAlerts, silverFlows, silverReadyEvent, T0 } from '../test/monitor-fixtures';
import { ChampionChangedHandler } from './champion-changed.handler';
import { ChampionModels } from './champion-models';
import { DeviationAttribution } from './deviation-attribution';
import { MonitorSettings, SilverReadyHandler } from './silver-ready.handler';

type Anomaly = PipelineEventOf<typeof Topics.anomaliesDetected>['data'];

const settings: MonitorSettings = {
  modelName: 'flows',
  violationAlertMin: 1,
  drift: { driftShare: 0.5, scorePsi: 0.2, minRows: 500, consecutive: 3, cooldownMs: 6 * 3_600_000 },
};

async function championOf(objects: MemoryObjects, algorithm: AnomalyAlgorithm) {
  const training = [];
  for (let i = 0; i < 2; i++) {
    const table = silverFlows({ rows: 3000, seed: 100 + i, startMs: T0 + i * 300_000, scanEvery: 400 });
    training.push({ dataset: await putSilver(objects, `it.network.events-p0-t${i}`, table), table });
  }
  return publishChampion(objects, training, { modelName: 'flows', version: '1', alertRate: 0.005, algorithm });
}

describe('the engines a champion is scored and explained with', () => {
  it('keeps the forest kernel and path attribution for an isolation forest', async () => {
    const objects = new MemoryObjects();
    const loaded = await new ChampionModels(objects, { threads: 1 }).load(await championOf(objects, 'isolation-forest'));
    expect(loaded.model.algorithm).toBe('isolation-forest');
    expect(loaded.scorer).toBeInstanceOf(ForestKernelScorer);
    expect(loaded.explainer).toBeInstanceOf(PathAttribution);
    await loaded.scorer.release();
  });

  describe.each(['local-outlier-factor', 'one-class-svm'] as const)('a %s champion', (algorithm) => {
    const objects = new MemoryObjects();
    let champions: ChampionModels;
    let handler: SilverReadyHandler;

    beforeAll(async () => {
      const champion = await championOf(objects, algorithm);
      const state = new MemoryMonitorState();
      const registry = new MemoryRegistry();
      champions = new ChampionModels(objects, { threads: 1 });
      const changed = new ChampionChangedHandler({ state, registry, champions }, 'flows');
      await commit(await changed.handle(championChangedEvent(champion, '2026-11-20T09:00:00.000Z'), context));
      handler = new SilverReadyHandler({ objects, state, registry, champions, alerts: new RecordingAlerts() }, settings);
    });

    it('is loaded with onnxruntime and the deviation explainer, and its baseline alert rate is the trained one', async () => {
      const loaded = await champions.load((await championOf(objects, algorithm)));
      expect(loaded.model.algorithm).toBe(algorithm);
      expect(loaded.scorer).not.toBeInstanceOf(ForestKernelScorer);
      expect(loaded.explainer).toBeInstanceOf(DeviationAttribution);
      // Scored by the monitor's own engine on the training rows: the threshold lets through the alert rate it was fitted for.
      expect(loaded.baseline.global.scores.alertRate).toBeCloseTo(0.005, 2);
    });

    it('sends the port-scan probes of a batch to anomalies.detected with reasons that name the distinct-destination-ports feature', async () => {
      const dataset = await putSilver(objects, 'it.network.events-p1-1', silverFlows({ rows: 2000, seed: 7, scanEvery: 100, startMs: T0 + 3_600_000 }));
      const outcome = await handler.handle(silverReadyEvent(dataset), context);
      const anomalies = outcome.outputs.filter((o) => o.topic === Topics.anomaliesDetected).map((o) => o.data as Anomaly);
      const scans = anomalies.filter((a) => a.event.label === 'portscan');
      expect(scans.length).toBeGreaterThanOrEqual(18); // of 20
      expect(anomalies.length - scans.length).toBeLessThanOrEqual(20); // ≤ 1 % of 1,980 normal flows at a 0.5 % budget
      for (const a of scans) {
        expect(a.score).toBeGreaterThan(a.threshold);
        expect(a.reasons.map((r) => r.feature)).toContain('log1p_src_distinct_dst_ports_1m');
        expect(a.reasons.reduce((s, r) => s + r.contribution, 0)).toBeLessThanOrEqual(1 + 1e-9);
      }
    });
  });
});
