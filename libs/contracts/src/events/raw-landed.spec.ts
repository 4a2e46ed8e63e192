import { rawDatasetId, rawLandedKey, sourcePartitionOfKey, sourceStreamOf } from './raw-landed';

describe('dataset ids and their source stream', () => {
  it('reads the stream back from a RAW id and from a SILVER id derived from it', () => {
    const raw = rawDatasetId('run7.network.events', 2, '1000', '1999');
    expect(raw).toBe('run7.network.events-p2-1000-1999');
    expect(sourceStreamOf(raw)).toBe(rawLandedKey('run7.network.events', 2));
    expect(sourceStreamOf(`${raw}.f1.w1-1m-10m`)).toBe('run7.network.events/2');
  });

  it('takes the last partition-and-offsets group, so a topic name that looks like one still parses', () => {
    expect(sourceStreamOf('odd-p3-4-5.topic-p1-0-99.f1.w1-1m-10m')).toBe('odd-p3-4-5.topic/1');
  });

  it('names no stream for an id of another shape', () => {
    expect(sourceStreamOf('hand-made-dataset')).toBeUndefined();
    expect(sourceStreamOf('network.events-p1-0-99x')).toBeUndefined();
  });

  it('reads the source partition back from a stream key, and none from a key of another shape', () => {
    expect(sourcePartitionOfKey(rawLandedKey('run7.network.events', 11))).toBe(11);
    expect(sourcePartitionOfKey('network-flows')).toBeUndefined();
    expect(sourcePartitionOfKey('/3')).toBeUndefined();
  });
});
