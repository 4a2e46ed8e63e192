import { eventTimeMs, type NetworkEvent } from '@flowsentry/contracts';
import { isFailedConnection, isSmallFlow } from './connection-outcome';
import type { FlowObservation } from './source-windows';

/**
 * The part of a validated NetworkEvent that the source windows look at. `tsMs` is the event time
 * the caller already read (cleaning did), so the timestamp is not parsed twice; `into` is an
 * object to overwrite, for callers that observe flows in a loop and keep no observation.
 */
export function flowObservation(event: NetworkEvent, tsMs: number = eventTimeMs(event), into?: FlowObservation): FlowObservation {
  const failed = isFailedConnection(event.conn_state, event.protocol);
  const small = isSmallFlow(event.bytes_in, event.bytes_out);
  if (into === undefined) return { srcIp: event.src_ip, tsMs, dstIp: event.dst_ip, dstPort: event.dst_port, failed, bytesIn: event.bytes_in, bytesOut: event.bytes_out, small };
  into.srcIp = event.src_ip;
  into.tsMs = tsMs;
  into.dstIp = event.dst_ip;
  into.dstPort = event.dst_port;
  into.failed = failed;
  into.bytesIn = event.bytes_in;
  into.bytesOut = event.bytes_out;
  into.small = small;
  return into;
}
