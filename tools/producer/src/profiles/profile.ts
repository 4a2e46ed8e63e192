import type { NetworkEvent } from '@flowsentry/contracts';
import type { Host, Inventory } from '../hosts';
import type { Rng } from '../random';
import type { Regime } from '../regime';

export type ProfileName = 'web' | 'dns' | 'internal' | 'ntp' | 'mail';

export interface FlowContext {
  rng: Rng;
  /** The host whose activity produced this flow (usually, not always, the originator). */
  host: Host;
  inventory: Inventory;
  regime: Regime;
  timeMs: number;
}

/**
 * A flow before the generator stamps it with time, sensor, id and label. Picked field by field:
 * NetworkEvent tolerates unknown keys, and Omit over its index signature would lose the rest.
 */
export type FlowDraft = Pick<
  NetworkEvent,
  'src_ip' | 'dst_ip' | 'src_port' | 'dst_port' | 'protocol' | 'bytes_in' | 'bytes_out' | 'packets_in' | 'packets_out' | 'duration_ms' | 'tcp_flags' | 'conn_state' | 'app_proto'
>;

export interface TrafficProfile {
  name: ProfileName;
  flow(ctx: FlowContext): FlowDraft;
}

/** Duration of an unanswered SYN: the OS retransmits after about 1 s, then 2 s more. */
export function synTimeoutMs(retries: number): number {
  return retries === 0 ? 0 : retries === 1 ? 1000 : 3000;
}
