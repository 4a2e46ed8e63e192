import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import type { NetworkEvent } from '@flowsentry/contracts';
import { JsonLinesSink } from './file-sink';

const event = (i: number) => ({ event_id: `e${i}`, ts: '2025-01-01T00:00:00.000Z', sensor_id: 's' }) as unknown as NetworkEvent;

describe('JsonLinesSink', () => {
  const dir = mkdtempSync(join(tmpdir(), 'producer-sink-'));

  it('writes one JSON document per line to a file', async () => {
    const path = join(dir, 'out.jsonl');
    const sink = new JsonLinesSink(path);
    await sink.send([event(1), event(2)]);
    await sink.send([event(3)]);
    await sink.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l).event_id)).toEqual(['e1', 'e2', 'e3']);
  });

  it('gzips when the path ends in .gz', async () => {
    const path = join(dir, 'out.jsonl.gz');
    const sink = new JsonLinesSink(path);
    await sink.send([event(1)]);
    await sink.close();
    expect(JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')).event_id).toBe('e1');
  });

  it('writes to stdout for "-" and leaves stdout open on close', async () => {
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const sink = new JsonLinesSink('-', stdout);
    await sink.send([event(7)]);
    await sink.close();
    expect(stdout.writableEnded).toBe(false);
    expect(JSON.parse(text).event_id).toBe('e7');
  });
});
