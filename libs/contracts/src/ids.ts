import { createHash } from 'node:crypto';

/**
 * Event ids are derived from what the event is about, never random: a replay of the same
 * input yields the same id, which is what the consumers' processed-events guard keys on.
 */
export function deterministicId(...parts: Array<string | number>): string {
  const hex = createHash('sha256').update(parts.join('\u001f')).digest('hex');
  // Formatted as a UUID (version nibble 5-like) so tools that expect UUIDs accept it.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
