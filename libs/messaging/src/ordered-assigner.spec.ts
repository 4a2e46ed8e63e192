import { AssignerProtocol, Cluster } from 'kafkajs';
import { orderedRoundRobin } from './ordered-assigner';

// A broker's metadata may list partitions in any order: here not by id.
const metadata: Record<string, number[]> = { 'run.silver.ready': [2, 0, 1], 'run.champion.changed': [1, 2, 0] };
const cluster = { findTopicPartitionMetadata: (topic: string) => metadata[topic]!.map((partitionId) => ({ partitionId })) } as unknown as Cluster;
const assigner = orderedRoundRobin({ cluster, groupId: 'g', logger: undefined as never });

async function assign(memberIds: string[], topics: string[]) {
  const members = memberIds.map((memberId) => ({ memberId, memberMetadata: Buffer.alloc(0) }));
  const result = await assigner.assign({ members, topics });
  return Object.fromEntries(result.map((r) => [r.memberId, AssignerProtocol.MemberAssignment.decode(r.memberAssignment)!.assignment]));
}

describe('orderedRoundRobin', () => {
  it('deals each topic\'s partitions in id order, so consecutive partitions go to different members', async () => {
    expect(await assign(['b', 'a'], ['run.silver.ready'])).toEqual({ a: { 'run.silver.ready': [0, 2] }, b: { 'run.silver.ready': [1] } });
  });

  it('deals topics in name order, carrying on from one topic to the next, whatever order they were subscribed in', async () => {
    const expected = { a: { 'run.champion.changed': [0, 2], 'run.silver.ready': [1] }, b: { 'run.champion.changed': [1], 'run.silver.ready': [0, 2] } };
    expect(await assign(['a', 'b'], ['run.silver.ready', 'run.champion.changed'])).toEqual(expected);
    expect(await assign(['b', 'a'], ['run.champion.changed', 'run.silver.ready'])).toEqual(expected);
  });

  it('gives a lone member everything', async () => {
    expect(await assign(['a'], ['run.silver.ready'])).toEqual({ a: { 'run.silver.ready': [0, 1, 2] } });
  });

  it('announces itself under its own protocol name', () => {
    const state = assigner.protocol({ topics: ['run.silver.ready'] });
    expect(state.name).toBe('FlowsentryOrderedRoundRobin');
    expect(AssignerProtocol.MemberMetadata.decode(state.metadata)!.topics).toEqual(['run.silver.ready']);
  });
});
