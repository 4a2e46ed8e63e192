import { createHash } from 'node:crypto';
import { decodeNetworkEvent, NetworkEvent } from '@flowsentry/contracts';

/** One RAW line that became a SILVER row candidate. */
export interface CleanFlow {
  event: NetworkEvent;
  /** Event time, UTC epoch ms (ISO strings with any offset and epoch numbers both land here). */
  tsMs: number;
  /** The de-duplication identity: `id:<event_id>` when the producer gave one, else `sha256:<content hash>`. */
  eventKey: string;
  /** 0-based line in the RAW object: with the batch's offset range, the row's way back to Kafka. */
  line: number;
}

export interface CleanedBatch {
  flows: CleanFlow[];
  /** Lines that cannot become rows, by reason; counted in the quality stats, never silently lost. */
  dropped: Record<string, number>;
}

/**
 * Decodes and validates every RAW line with the NetworkEvent schema (ingest validated them too,
 * but a RAW object outlives schema changes) and gives each a stable identity.
 */
export function cleanLines(lines: readonly Buffer[]): CleanedBatch {
  const flows: CleanFlow[] = [];
  const dropped: Record<string, number> = {};
  for (let line = 0; line < lines.length; line++) {
    const decoded = decodeNetworkEvent(lines[line]);
    if (!decoded.ok) {
      dropped[decoded.error.reason] = (dropped[decoded.error.reason] ?? 0) + 1;
      continue;
    }
    const event = decoded.value;
    const tsMs = decoded.eventTimeMs;
    flows.push({ event, tsMs, eventKey: event.event_id !== undefined ? `id:${event.event_id}` : `sha256:${contentHash(event, tsMs)}`, line });
  }
  return { flows, dropped };
}

/**
 * Hash of the known fields in a fixed order with the time normalised: a re-sent event whose JSON
 * differs only in key order, spacing, unknown fields or time-zone notation is the same flow.
 */
function contentHash(e: NetworkEvent, tsMs: number): string {
  const canonical = [tsMs, e.sensor_id, e.src_ip, e.dst_ip, e.src_port, e.dst_port, e.protocol, e.bytes_in, e.bytes_out, e.packets_in, e.packets_out, e.duration_ms, e.tcp_flags ?? null, e.conn_state ?? null, e.app_proto ?? null, e.label ?? null];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 32);
}
