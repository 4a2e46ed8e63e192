/**
 * The bytes in an ArrayBuffer of their own (copied only when the Buffer shares one, as pooled and
 * sliced Buffers do), so transferring `.buffer` to another thread hands over these bytes and
 * nothing else.
 */
export function ownBytes(buffer: Buffer): Buffer {
  if (buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength && buffer.buffer instanceof ArrayBuffer) return buffer;
  return Buffer.from(new Uint8Array(buffer).buffer);
}

/** The ArrayBuffer to transfer for `buffer` (see ownBytes). */
export function transferable(buffer: Buffer): ArrayBuffer {
  return ownBytes(buffer).buffer as ArrayBuffer;
}

/** A Uint8Array that crossed a thread (structured clone drops the Buffer class) as a Buffer again, no copy. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
