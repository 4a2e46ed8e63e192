import { DataSource } from 'typeorm';
import { ALL_TOPICS, Headers, Topics, topicName } from '@flowsentry/contracts';
import { KafkaClient, KafkaSettings, readTopic, TopicAdmin } from '@flowsentry/messaging';

export interface PipelineStatus {
  topics: Array<{ topic: string; messages: number }>;
  ingestion: { batches: number; events: number; rejected: number; lastLandedAt: string | null };
  dlqReasons: Record<string, number>;
  runs: number;
  lastRun: { runId: string; traceId: string | null } | null;
}

/** What an operator asks first: how much arrived, how much landed, what was rejected and why. */
export async function pipelineStatus(kafka: KafkaClient, admin: TopicAdmin, db: DataSource, settings: KafkaSettings, ingestGroup: string): Promise<PipelineStatus> {
  const topics = [];
  for (const logical of ALL_TOPICS) {
    const topic = topicName(logical, settings.topicPrefix);
    const offsets = await admin.offsets(topic).catch(() => []);
    topics.push({ topic, messages: offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0) });
  }
  const [ingestion] = await db.query(
    `SELECT count(*)::int AS batches, coalesce(sum(event_count),0)::int AS events, coalesce(sum(rejected),0)::int AS rejected, max(landed_at) AS last
       FROM ingestion_batches WHERE consumer_group = $1 AND status = 'landed'`,
    [ingestGroup],
  );
  const [runs] = await db.query(`SELECT count(*)::int AS n FROM pipeline_runs`);
  const [lastRun] = await db.query(`SELECT run_id, trace_id FROM pipeline_runs ORDER BY started_at DESC LIMIT 1`);
  const dlqTopic = topicName(Topics.networkEventsDlq, settings.topicPrefix);
  const dlqCount = topics.find((t) => t.topic === dlqTopic)?.messages ?? 0;
  const dlqReasons: Record<string, number> = {};
  if (dlqCount > 0) {
    for (const letter of await readTopic(kafka, dlqTopic, { count: dlqCount, timeoutMs: 10_000 })) {
      const reason = letter.headers[Headers.dlqReason]?.toString() ?? 'unknown';
      dlqReasons[reason] = (dlqReasons[reason] ?? 0) + 1;
    }
  }
  return {
    topics,
    ingestion: { batches: ingestion.batches, events: ingestion.events, rejected: ingestion.rejected, lastLandedAt: ingestion.last ? new Date(ingestion.last).toISOString() : null },
    dlqReasons,
    runs: runs.n,
    lastRun: lastRun ? { runId: lastRun.run_id, traceId: lastRun.trace_id } : null,
  };
}

export function formatStatus(s: PipelineStatus, jaegerUrl: string): string {
  // Offsets, not messages: a step's transactional send also takes one offset per partition for its commit marker.
  const lines = ['topics (offsets retained; step outputs add a transaction marker per send):'];
  for (const t of s.topics) lines.push(`  ${t.topic.padEnd(32)} ${t.messages}`);
  lines.push('ingest:', `  batches landed ${s.ingestion.batches}, events in RAW ${s.ingestion.events}, rejected to DLQ ${s.ingestion.rejected}, last landed ${s.ingestion.lastLandedAt ?? '-'}`);
  const reasons = Object.entries(s.dlqReasons);
  lines.push(`dead letters by reason: ${reasons.length ? reasons.map(([r, n]) => `${r}=${n}`).join(', ') : 'none'}`);
  lines.push(`pipeline runs: ${s.runs}`);
  if (s.lastRun?.traceId) lines.push(`latest run ${s.lastRun.runId}: ${jaegerUrl}/trace/${s.lastRun.traceId}`);
  return lines.join('\n');
}
