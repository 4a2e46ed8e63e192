import { DataSource } from 'typeorm';
import { LogicalTopic, topicName } from '@flowsentry/contracts';
import { Replay } from '@flowsentry/audit';
import { KafkaSettings, TopicAdmin } from '@flowsentry/messaging';
import { planReplay, ReplayFrom } from '../replay-plan';

export interface ReplayRequest {
  topic: LogicalTopic;
  group: string;
  from: ReplayFrom;
  partition?: number;
  requestedBy: string;
}

/**
 * Rewinds a consumer group on a topic and records the replay. Reprocessing is safe because every
 * consumer is idempotent: ingest re-cuts the same batches (same keys, same bytes, same event ids),
 * downstream services find the event ids in processed_events and emit nothing new.
 */
export async function replay(admin: TopicAdmin, db: DataSource, settings: KafkaSettings, request: ReplayRequest): Promise<Array<{ partition: number; offset: string }>> {
  const topic = topicName(request.topic, settings.topicPrefix);
  const offsets = await admin.offsets(topic);
  const atTime = request.from.mode === 'time' ? await admin.offsetsAtTime(topic, request.from.time.getTime()) : undefined;
  const plan = planReplay(request.from, offsets, atTime, request.partition);
  if (plan.length === 0) throw new Error(`topic ${topic} has no partition ${request.partition}`);
  await admin.setGroupOffsets(request.group, topic, plan);
  await db.getRepository(Replay).insert({
    topic,
    consumerGroup: request.group,
    mode: request.from.mode,
    fromValue: request.from.mode === 'offset' ? request.from.offset : request.from.mode === 'time' ? request.from.time.toISOString() : 'earliest',
    partitions: plan,
    requestedBy: request.requestedBy,
  });
  return plan;
}
