import { buildEvent } from './build-event';
import { decodePipelineEvent } from './decode';
import { deterministicId } from './ids';
import { Topics } from './topics';

const data = {
  datasetId: 'network.events-p0-0-9',
  objectKey: 'raw/date=2026-11-21/network.events/p0-0-9.jsonl.gz',
  sha256: 'a'.repeat(64),
  bytes: 10,
  count: 9,
  rejected: 1,
  source: { topic: 'network.events', partition: 0, firstOffset: '0', lastOffset: '9' },
};

describe('pipeline events', () => {
  it('build a CloudEvents 1.0 envelope that decodes back to the same event', () => {
    const event = buildEvent(Topics.rawLanded, { id: deterministicId('x'), service: 'ingest', subject: data.datasetId, data });
    expect(event).toMatchObject({ specversion: '1.0', type: 'io.flowsentry.raw.landed.v1', source: 'flowsentry/ingest' });
    const decoded = decodePipelineEvent(Topics.rawLanded, Buffer.from(JSON.stringify(event)));
    expect(decoded.ok && decoded.value).toEqual(event);
  });

  it('refuse to build an event its consumers would reject', () => {
    expect(() => buildEvent(Topics.rawLanded, { id: 'x', service: 'ingest', subject: 's', data: { ...data, sha256: 'nothex' } })).toThrow(/sha256/);
  });

  it('reject an envelope of another type on decode', () => {
    const event = buildEvent(Topics.rawLanded, { id: 'x', service: 'ingest', subject: 's', data });
    const decoded = decodePipelineEvent(Topics.silverReady, Buffer.from(JSON.stringify(event)));
    expect(decoded.ok).toBe(false);
  });

  it('derive the same id from the same inputs and a different one otherwise', () => {
    expect(deterministicId('raw.landed', 't', 0, '1', '2')).toBe(deterministicId('raw.landed', 't', 0, '1', '2'));
    expect(deterministicId('raw.landed', 't', 0, '1', '2')).not.toBe(deterministicId('raw.landed', 't', 0, '1', '3'));
    expect(deterministicId('a')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
