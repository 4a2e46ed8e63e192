/**
 * Logical topic names from the design brief. Deployed names get an optional prefix
 * (FLOWSENTRY_TOPIC_PREFIX) so several environments can share one cluster.
 */
export const Topics = {
  networkEvents: 'network.events',
  networkEventsDlq: 'network.events.dlq',
  rawLanded: 'raw.landed',
  silverReady: 'silver.ready',
  modelTrained: 'model.trained',
  evalDone: 'eval.done',
  driftDetected: 'drift.detected',
  anomaliesDetected: 'anomalies.detected',
} as const;

export type LogicalTopic = (typeof Topics)[keyof typeof Topics];

export const ALL_TOPICS: readonly LogicalTopic[] = Object.values(Topics);

export function topicName(logical: LogicalTopic, prefix = ''): string {
  return prefix ? `${prefix}.${logical}` : logical;
}
