import { gunzipSync } from 'node:zlib';
import { encodeRawLines, gzipRaw, gzipRawSync } from './raw-lines';

const event = (i: number) => ({
  event_id: `e${i}`,
  ts: new Date(Date.UTC(2026, 10, 21, 10, 0, i)).toISOString(),
  sensor_id: 's',
  src_ip: '10.0.0.1',
  dst_ip: '10.0.0.2',
  src_port: 1000,
  dst_port: 22,
  protocol: 'tcp',
  bytes_in: 1,
  bytes_out: 2,
  packets_in: 1,
  packets_out: 1,
  duration_ms: 1,
});

describe('encodeRawLines', () => {
  it('keeps valid events as their original bytes, one per line, and names each reject by position and reason', () => {
    const original = Buffer.from(`{ "x" : 1 ,${JSON.stringify(event(1)).slice(1)}`);
    const encoded = encodeRawLines([original, Buffer.from('nope'), Buffer.from(JSON.stringify(event(2)))], 1024);
    expect(encoded.accepted).toBe(2);
    expect(encoded.jsonl.toString()).toBe(`${original.toString()}\n${JSON.stringify(event(2))}\n`);
    expect(encoded.rejects).toEqual([{ index: 1, reason: 'malformed-json', message: expect.stringContaining('not JSON') }]);
    expect(encoded.minEventTimeMs).toBe(Date.UTC(2026, 10, 21, 10, 0, 1));
    expect(encoded.maxEventTimeMs).toBe(Date.UTC(2026, 10, 21, 10, 0, 2));
  });

  it('turns a pretty-printed event into one line without touching anything but its line breaks', () => {
    const pretty = Buffer.from(JSON.stringify(event(3), null, 2).replace(/\n/g, '\r\n'));
    const encoded = encodeRawLines([pretty], 4096);
    const line = encoded.jsonl.subarray(0, encoded.jsonl.length - 1);
    expect(line.length).toBe(pretty.length);
    expect(line.includes(0x0a)).toBe(false);
    expect(JSON.parse(line.toString())).toEqual(event(3));
    expect(pretty.includes(0x0a)).toBe(true);
  });

  it('compresses deterministically, on libuv’s pool or synchronously in a worker, so a replay writes identical bytes', async () => {
    const jsonl = Buffer.from(`${JSON.stringify(event(1))}\n${JSON.stringify(event(2))}\n`);
    const [a, b] = await Promise.all([gzipRaw(jsonl, 3), gzipRaw(jsonl, 3)]);
    expect(a.equals(b)).toBe(true);
    expect(gzipRawSync(jsonl, 3).equals(a)).toBe(true);
    expect(gunzipSync(a).equals(jsonl)).toBe(true);
  });
});
