/**
 * Logical topic names from the design brief. Deployed names get an optional prefix
 * (FLOWSENTRY_TOPIC_PREFIX) so several environments can share one cluster.
 */
export const Topics = {
  networkEvents: 'network.events',
  networkEventsDlq: 'network.events.dlq',
  rawLanded: 'raw.landed',
  rawLandedDlq: 'raw.landed.dlq',
  silverReady: 'silver.ready',
  silverReadyDlq: 'silver.ready.dlq',
  modelTrained: 'model.trained',
  modelTrainedDlq: 'model.trained.dlq',
  evalDone: 'eval.done',
  evalDoneDlq: 'eval.done.dlq',
  driftDetected: 'drift.detected',
  driftDetectedDlq: 'drift.detected.dlq',
  championChanged: 'champion.changed',
  championChangedDlq: 'champion.changed.dlq',
  anomaliesDetected: 'anomalies.detected',
} as const;

export type LogicalTopic = (typeof Topics)[keyof typeof Topics];

/** Every topic the platform provisions; tools/stack and the compose/Helm init scripts are checked against it. */
export const ALL_TOPICS: readonly LogicalTopic[] = Object.values(Topics);

export function topicName(logical: LogicalTopic, prefix = ''): string {
  return prefix ? `${prefix}.${logical}` : logical;
}

/** Where a consumer of `topic` parks what it gave up on (brief §3: `<topic>.dlq`). */
export function deadLetterTopic(topic: LogicalTopic): LogicalTopic {
  const dlq = `${topic}.dlq`;
  if (!(ALL_TOPICS as readonly string[]).includes(dlq)) throw new Error(`${topic} has no dead-letter topic`);
  return dlq as LogicalTopic;
}
