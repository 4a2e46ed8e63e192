import type { NetworkEvent } from '@flowsentry/contracts';
import { ATTACK_NAMES, planScenario, TrafficGenerator } from '../../tools/producer/src';

/**
 * The traffic producer's labelled NetworkEvents, generated in-process (no JSONL round trip) so the bench
 * measures the feature pipeline and the forest on the traffic the product actually sees. A fixed seed and
 * start make every run score the same rows; `count` events span one simulated week with every attack kind.
 */
export function producerFlows(count: number): NetworkEvent[] {
  const rate = 100;
  const weekSeconds = 7 * 86_400;
  const scenario = planScenario(
    {
      seed: 'flowsentry-bench',
      hosts: 40,
      count,
      rate,
      timeScale: weekSeconds / (count / rate),
      startMs: Date.UTC(2025, 0, 6),
      attacks: [...ATTACK_NAMES],
      attackShare: 0.1,
      driftAt: null,
    },
    Date.now(),
  );
  return [...new TrafficGenerator(scenario)];
}
