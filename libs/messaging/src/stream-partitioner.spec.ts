import { Partitioners, PartitionerArgs } from 'kafkajs';
import { rawLandedKey } from '@flowsentry/contracts';
import { keyPartition, streamPartitioner } from './stream-partitioner';

const partitionMetadata = [2, 0, 1].map((partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
const args = (topic: string, key: string | null): PartitionerArgs => ({ topic, partitionMetadata, message: { key, value: 'v' } });

describe('streamPartitioner', () => {
  const place = streamPartitioner({ topicPrefix: 'run7' })();
  const byHash = Partitioners.DefaultPartitioner();

  it('puts source stream p of raw.landed and silver.ready on partition p mod partitions, so streams spread evenly', () => {
    const streams = [0, 1, 2, 3, 4, 5].map((p) => rawLandedKey('run7.network.events', p));
    expect(streams.map((key) => place(args('run7.raw.landed', key)))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(streams.map((key) => place(args('run7.silver.ready', key)))).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('places every other message as Kafka\'s default partitioner does', () => {
    for (const [topic, key] of [
      ['run7.model.trained', 'network-flows'],
      ['run7.anomalies.detected', '10.0.0.7'],
      ['run7.network.events.dlq', 'sensor/3'],
      ['run7.raw.landed', 'not-a-stream-key'],
      ['raw.landed', rawLandedKey('network.events', 1)],
    ] as const) {
      expect({ topic, key, partition: place(args(topic, key)) }).toEqual({ topic, key, partition: byHash(args(topic, key)) });
    }
  });
});

describe('keyPartition', () => {
  it('is where a producer puts a keyed message', () => {
    const place = streamPartitioner({ topicPrefix: '' })();
    const keys = ['edge-fw-01', 'branch-core-01', 'hq-core-01', ...Array.from({ length: 40 }, (_, i) => `sensor-${i}`)];
    const placed = keys.map((key) => place(args('network.events', key)));
    expect(keys.map((key) => keyPartition(key, 3))).toEqual(placed);
    expect(new Set(placed).size).toBe(3);
  });
});
