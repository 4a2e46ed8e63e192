/**
 * A 53-bit hash of an event key, as a JS number so that the de-duplication index is a Map with
 * number keys (compact, fast) and a batch's keys pack into a Float64Array. Two independent 32-bit
 * multiply-xorshift lanes over the UTF-16 code units, combined into 53 bits. With the default
 * horizon holding ~2.4M keys at 20k events/s, the chance that two different events share a hash
 * somewhere in the horizon is about n²/2^54 ≈ 3·10⁻⁴: acceptable for de-duplicating re-sent
 * events, where a collision drops one flow from SILVER (RAW keeps it).
 */
export function eventKeyHash(key: string): number {
  let a = 0xdeadbeef ^ key.length;
  let b = 0x41c6ce57 ^ key.length;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return 4294967296 * (2097151 & b) + (a >>> 0);
}
