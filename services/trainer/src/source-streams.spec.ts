import { TopicPartitionStreams } from './source-streams';

describe('TopicPartitionStreams', () => {
  it('names one stream per partition of the source topic that holds messages, as the broker says now', async () => {
    let offsets = [
      { partition: 0, low: '0', high: '120' },
      { partition: 1, low: '0', high: '0' },
      { partition: 2, low: '40', high: '40' },
    ];
    const streams = new TopicPartitionStreams({ offsets: async () => offsets }, 'run.network.events');
    expect(await streams.list()).toEqual(['run.network.events/0']);
    offsets = [...offsets.slice(0, 1), { partition: 1, low: '0', high: '1' }, offsets[2]!];
    expect(await streams.list()).toEqual(['run.network.events/0', 'run.network.events/1']);
  });
});
