import { MessageChannel } from 'node:worker_threads';
import { asBuffer, ownBytes, transferable } from './thread-bytes';

describe('thread bytes', () => {
  it('keeps a Buffer that owns its whole ArrayBuffer as it is', () => {
    const whole = Buffer.from(new Uint8Array([1, 2, 3]).buffer);
    expect(ownBytes(whole)).toBe(whole);
    expect(transferable(whole)).toBe(whole.buffer);
  });

  it('copies a Buffer that shares its ArrayBuffer, so a transfer detaches only the copy', () => {
    // Small Buffer.from results sit in Node's shared pool; a slice shares its parent's memory.
    const pooled = Buffer.from('abc');
    const slice = Buffer.from('0123456789').subarray(2, 5);
    for (const shared of [pooled, slice]) {
      const own = ownBytes(shared);
      expect(own).not.toBe(shared);
      expect(own.equals(shared)).toBe(true);
      expect(own.byteOffset).toBe(0);
      expect(own.buffer.byteLength).toBe(shared.length);
    }

    const { port1, port2 } = new MessageChannel();
    port1.postMessage(null, [transferable(pooled)]);
    port1.close();
    port2.close();
    expect(pooled.toString()).toBe('abc');
  });

  it('gives back a Buffer over the same memory for a Uint8Array that crossed a thread', () => {
    const memory = new Uint8Array([9, 8, 7, 6, 5]);
    const view = memory.subarray(1, 4);
    const buffer = asBuffer(view);
    expect(Buffer.isBuffer(buffer)).toBe(true);
    expect([...buffer]).toEqual([8, 7, 6]);
    memory[2] = 0;
    expect(buffer[1]).toBe(0);
  });
});
