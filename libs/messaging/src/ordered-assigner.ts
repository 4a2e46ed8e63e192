import { Assigner, AssignerProtocol, PartitionAssigner, PartitionAssigners } from 'kafkajs';

const NAME = 'FlowsentryOrderedRoundRobin';

/**
 * Kafka's round-robin, dealt in a fixed order. kafkajs deals partitions in the order the broker's
 * metadata happens to list them, which need not be by id; with stream p placed on partition
 * p mod partitions (stream-partitioner.ts) that can hand every stream to one member of a group and
 * none to the other. Here topics and partitions are sorted first, so a topic's consecutive
 * partitions, hence consecutive streams, go to different members.
 */
export const orderedRoundRobin: PartitionAssigner = ({ cluster }) => {
  const assigner: Assigner = {
    name: NAME,
    version: 0,
    async assign({ members, topics }) {
      const memberIds = members.map((m) => m.memberId).sort();
      const assignment = new Map<string, Record<string, number[]>>(memberIds.map((id) => [id, {}]));
      let next = 0;
      for (const topic of [...topics].sort()) {
        const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId).sort((a, b) => a - b);
        for (const partition of partitions) (assignment.get(memberIds[next++ % memberIds.length]!)![topic] ??= []).push(partition);
      }
      return memberIds.map((memberId) => ({
        memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment: assignment.get(memberId)!, userData: Buffer.alloc(0) }),
      }));
    },
    protocol({ topics }) {
      return { name: NAME, metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
    },
  };
  return assigner;
};

/** What every consumer group offers: the ordered deal, and kafkajs's own while older members are still in the group. */
export const PARTITION_ASSIGNERS: PartitionAssigner[] = [orderedRoundRobin, PartitionAssigners.roundRobin];
