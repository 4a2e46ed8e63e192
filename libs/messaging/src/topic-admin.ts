import { Kafka } from 'kafkajs';

export interface PartitionOffsets {
  partition: number;
  low: string;
  high: string;
}

/** Read-only cluster questions the services and tools ask (readiness, lag, replay planning). */
export class TopicAdmin {
  constructor(private readonly kafka: Kafka) {}

  async ping(timeoutMs = 2000): Promise<void> {
    const admin = this.kafka.admin();
    const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`kafka did not answer within ${timeoutMs} ms`)), timeoutMs).unref());
    try {
      await Promise.race([admin.connect().then(() => admin.describeCluster()), timer]);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  /**
   * Creates missing topics (tests and tools; the platform provisions the real ones). While the
   * controller is busy (other topics being deleted), the metadata of a topic just created can
   * answer "unknown topic" for a moment; kafkajs gives up on that, so the whole call is tried
   * again, which only creates what is still missing.
   */
  async ensureTopics(topics: string[], partitions: number, attempts = 5): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.createMissing(topics, partitions);
      } catch (err) {
        if (attempt >= attempts || !retriable(err)) throw err;
        await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt));
      }
    }
  }

  private async createMissing(topics: string[], partitions: number): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = topics.filter((t) => !existing.has(t));
      if (missing.length) await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })) });
    } finally {
      await admin.disconnect();
    }
  }

  /** Deletes topics that exist among those named (test fixtures clean up after themselves). */
  async deleteTopics(topics: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const present = topics.filter((t) => existing.has(t));
      if (present.length) await admin.deleteTopics({ topics: present, timeout: 30_000 });
    } finally {
      await admin.disconnect();
    }
  }

  async offsets(topic: string): Promise<PartitionOffsets[]> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, low: p.low, high: p.high })).sort((a, b) => a.partition - b.partition);
    } finally {
      await admin.disconnect();
    }
  }

  async offsetsAtTime(topic: string, timestampMs: number): Promise<Array<{ partition: number; offset: string }>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      return await admin.fetchTopicOffsetsByTimestamp(topic, timestampMs);
    } finally {
      await admin.disconnect();
    }
  }

  /**
   * Moves a consumer group's committed offsets (a replay). Kafka only allows this while the group
   * has no active members, so the caller stops the service first; the error says so otherwise.
   */
  async setGroupOffsets(groupId: string, topic: string, partitions: Array<{ partition: number; offset: string }>): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const group = (await admin.describeGroups([groupId])).groups[0];
      if (group && group.members.length > 0) {
        throw new Error(`consumer group ${groupId} has ${group.members.length} active member(s); stop the service before replaying`);
      }
      await admin.setOffsets({ groupId, topic, partitions: partitions.map((p) => ({ partition: p.partition, offset: p.offset })) });
    } finally {
      await admin.disconnect();
    }
  }

  async committed(groupId: string, topic: string): Promise<Array<{ partition: number; offset: string }>> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return (entry?.partitions ?? []).map((p) => ({ partition: p.partition, offset: p.offset }));
    } finally {
      await admin.disconnect();
    }
  }
}

/** kafkajs marks retriable protocol errors, and wraps them when its own retries ran out. */
function retriable(err: unknown): boolean {
  const e = err as { retriable?: boolean; cause?: { retriable?: boolean } };
  return e.retriable === true || e.cause?.retriable === true;
}
