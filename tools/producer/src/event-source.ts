import type { FlowDraft } from './profiles/profile';

/** One flow at a simulated instant, with its ground-truth label. */
export interface TimedFlow {
  timeMs: number;
  label: string;
  flow: FlowDraft;
}

/**
 * A time-ordered stream of flows. The generator merges several (background traffic and each
 * attack episode) by always taking from the source whose next flow is earliest, so the output
 * is globally ordered by timestamp, as a sensor would export it.
 */
export interface EventSource {
  /** Simulated time of the next flow; Infinity once the source is exhausted. */
  readonly nextAt: number;
  take(): TimedFlow;
}

export const NORMAL_LABEL = 'normal';
