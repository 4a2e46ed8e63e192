import { join } from 'node:path';
import { ConsumedMessage } from '@flowsentry/messaging';
import { InlineRawBatchEncoder } from './raw-batch-encoder';
import { EncodeWorkerError, WorkerRawBatchEncoder } from './raw-encode-workers';

const DYING_WORKER = join(__dirname, '..', 'fixtures', 'exits-on-first-batch');

const event = (i: number, extra: Record<string, unknown> = {}) => ({
  event_id: `e${i}`,
  ts: new Date(Date.UTC(2026, 10, 21, 10, 0, i)).toISOString(),
  sensor_id: 's',
  src_ip: '10.0.0.1',
  dst_ip: i % 2 ? '10.0.0.2' : '2001:db8::1',
  src_port: 1000 + i,
  dst_port: 22,
  protocol: 'tcp',
  bytes_in: i,
  bytes_out: 2,
  packets_in: 1,
  packets_out: 1,
  duration_ms: 1,
  ...extra,
});
const msg = (offset: number, value: Buffer | null): ConsumedMessage => ({ topic: 'network.events', partition: 2, offset: String(offset), key: null, value, headers: {}, timestamp: '0' });

/** Every way a value can be accepted or rejected, between plain valid events. */
function mixedBatch(): ConsumedMessage[] {
  const values: Array<Buffer | null> = [];
  for (let i = 0; i < 200; i++) values.push(Buffer.from(JSON.stringify(event(i))));
  values.push(null, Buffer.alloc(0), Buffer.from('{not json'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
  values.push(Buffer.from(JSON.stringify(event(300, { src_port: 70000 }))));
  values.push(Buffer.from(JSON.stringify(event(301, { pad: 'x'.repeat(5000) }))));
  values.push(Buffer.from(JSON.stringify(event(302), null, 2).replace(/\n/g, '\r\n')));
  values.push(Buffer.from(JSON.stringify(event(303, { ts: '2026-11-21T12:00:00+02:00' }))));
  return values.map((value, i) => msg(1000 + i, value));
}

describe('WorkerRawBatchEncoder', () => {
  let encoder: WorkerRawBatchEncoder | undefined;
  afterEach(() => encoder?.close());

  it('gives the bytes, dead letters and event times the main-thread encoder gives', async () => {
    const messages = mixedBatch();
    encoder = new WorkerRawBatchEncoder(2, { maxEventBytes: 4096, gzipLevel: 3 });
    const [inWorker, again] = await Promise.all([encoder.encode(messages), encoder.encode(messages.slice(0, 100))]);
    const inline = await new InlineRawBatchEncoder({ maxEventBytes: 4096, gzipLevel: 3 }).encode(messages);

    expect(inWorker.gz.equals(inline.gz)).toBe(true);
    expect(inWorker.rawBytes).toBe(inline.rawBytes);
    expect(inWorker.accepted).toBe(202);
    expect({ ...inWorker, gz: undefined }).toEqual({ ...inline, gz: undefined });
    expect(inWorker.deadLetters.map((d) => [d.offset, d.reason])).toEqual([
      ['1200', 'empty'],
      ['1201', 'empty'],
      ['1202', 'malformed-json'],
      ['1203', 'not-utf8'],
      ['1204', 'schema'],
      ['1205', 'too-large'],
    ]);
    // Dead letters are the original messages, not the worker's copies.
    expect(inWorker.deadLetters[2]!.value).toBe(messages[202]!.value);
    expect(inWorker.minEventTimeMs).toBe(Date.UTC(2026, 10, 21, 10, 0, 0));
    expect(inWorker.maxEventTimeMs).toBe(Date.UTC(2026, 10, 21, 10, 5, 2));
    expect(again.accepted).toBe(100);
  });

  it('fails the batch a dying worker held, and starts a new worker for the next one instead of waiting forever', async () => {
    encoder = new WorkerRawBatchEncoder(1, { maxEventBytes: 4096, gzipLevel: 3 }, DYING_WORKER);
    await expect(encoder.encode(mixedBatch())).rejects.toThrow(EncodeWorkerError);
    await expect(encoder.encode(mixedBatch())).rejects.toThrow(/exited unexpectedly \(code 7\)/);
  });
});
