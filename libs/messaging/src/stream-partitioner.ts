import { ICustomPartitioner, Partitioners } from 'kafkajs';
import { sourcePartitionOfKey, Topics } from '@flowsentry/contracts';
import { KafkaSettings, physicalTopic } from './kafka-settings';

/**
 * raw.landed and silver.ready are keyed by source stream (`<topic>/<partition>`) so that one
 * stream's events stay in order on one partition. Hashing those few keys leaves the spread to
 * chance: two streams can share a partition while another stays empty, and a second instance of
 * the step behind it then gets no work. On those topics a stream key goes to partition
 * (source partition mod partitions) instead: the same order guarantee, spread evenly. Every other
 * message is placed as Kafka's default partitioner places it.
 */
export function streamPartitioner(settings: Pick<KafkaSettings, 'topicPrefix'>): ICustomPartitioner {
  const streamKeyed = new Set([physicalTopic(settings, Topics.rawLanded), physicalTopic(settings, Topics.silverReady)]);
  return () => {
    const byHash = Partitioners.DefaultPartitioner();
    return (args) => {
      const key = args.message.key;
      const source = streamKeyed.has(args.topic) && key != null ? sourcePartitionOfKey(key.toString()) : undefined;
      if (source === undefined) return byHash(args);
      const ids = args.partitionMetadata.map((p) => p.partitionId).sort((a, b) => a - b);
      return ids[source % ids.length]!;
    };
  };
}

// Keyed placement is a pure hash of the key: one partitioner serves every call.
const placeByKey = Partitioners.DefaultPartitioner();

/** The partition Kafka's default partitioner (murmur2, as the Java client) gives `key` among `partitions`. */
export function keyPartition(key: string, partitions: number): number {
  const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  return placeByKey({ topic: '', partitionMetadata, message: { key, value: null } });
}
