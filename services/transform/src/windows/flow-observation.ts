import { eventTimeMs, type NetworkEvent } from '@flowsentry/contracts';
import { isFailedConnection, isSmallFlow } from './connection-outcome';
import type { FlowObservation } from './source-windows';

/** The part of a validated NetworkEvent that the source windows look at. */
export function flowObservation(event: NetworkEvent): FlowObservation {
  return {
    srcIp: event.src_ip,
    tsMs: eventTimeMs(event),
    dstIp: event.dst_ip,
    dstPort: event.dst_port,
    failed: isFailedConnection(event.conn_state, event.protocol),
    bytesIn: event.bytes_in,
    bytesOut: event.bytes_out,
    small: isSmallFlow(event.bytes_in, event.bytes_out),
  };
}
