import type { NetworkEvent } from '@flowsentry/contracts';

/**
 * How a conversation shows up in a flow record. Profiles and attacks describe *what* happened
 * (payload sizes, outcome, duration); this file turns it into counters, flags and Zeek state
 * the same way for everyone, so packets, bytes, flags and conn_state never contradict each
 * other (e.g. no payload on an S0, no SYN on a mid-connection record).
 *
 * Counters are IP-level, as NetFlow/IPFIX exporters count them: "out" is originator → responder,
 * "in" is responder → originator.
 */
export type FlowCounters = Pick<
  NetworkEvent,
  'bytes_out' | 'bytes_in' | 'packets_out' | 'packets_in' | 'duration_ms' | 'tcp_flags' | 'conn_state'
>;

const MSS = 1448;
/** IPv4 + TCP with the timestamp option, as modern stacks send it. */
const TCP_HEADER = 52;
const SYN_SIZE = 60;
const RST_SIZE = 40;
const BARE_SYN_SIZE = 40;
const UDP_HEADER = 28;

/**
 * SF: normal open and close; S0: SYN never answered; REJ: SYN answered by RST; RSTO/RSTR:
 * established then reset by originator/responder; S1: established and still open when the
 * record was exported (long-lived connections, exported on the active timeout).
 */
export type TcpOutcome = 'SF' | 'S0' | 'REJ' | 'RSTO' | 'RSTR' | 'S1';

export interface TcpConversation {
  outcome: TcpOutcome;
  payloadOut?: number;
  payloadIn?: number;
  durationMs: number;
  /** SYN retransmissions of an unanswered attempt (S0 only). */
  synRetries?: number;
  /** For records of a long-lived connection: whether this record saw the handshake. */
  opening?: boolean;
  /** Crafted SYNs (flood tools) carry no TCP options and are 40 bytes instead of 60. */
  bareSyn?: boolean;
}

/** Flag letters in one fixed order (URG ACK PSH RST SYN FIN), as flow tools print them. */
function flags(set: { U?: boolean; A?: boolean; P?: boolean; R?: boolean; S?: boolean; F?: boolean }): string {
  return (['U', 'A', 'P', 'R', 'S', 'F'] as const).filter((f) => set[f]).join('');
}

function segments(payload: number): number {
  return Math.ceil(payload / MSS);
}

export function tcpConversation(c: TcpConversation): FlowCounters {
  const durationMs = Math.max(0, Math.round(c.durationMs));
  if (c.outcome === 'S0') {
    const attempts = 1 + (c.synRetries ?? 0);
    return { bytes_out: (c.bareSyn ? BARE_SYN_SIZE : SYN_SIZE) * attempts, bytes_in: 0, packets_out: attempts, packets_in: 0, duration_ms: durationMs, tcp_flags: flags({ S: true }), conn_state: 'S0' };
  }
  if (c.outcome === 'REJ') {
    return { bytes_out: SYN_SIZE, bytes_in: RST_SIZE, packets_out: 1, packets_in: 1, duration_ms: durationMs, tcp_flags: flags({ A: true, R: true, S: true }), conn_state: 'REJ' };
  }
  const payloadOut = Math.max(0, Math.round(c.payloadOut ?? 0));
  const payloadIn = Math.max(0, Math.round(c.payloadIn ?? 0));
  const segOut = segments(payloadOut);
  const segIn = segments(payloadIn);
  const opening = c.opening ?? true;
  // Delayed ACKs: roughly one pure ACK per two segments received.
  let packetsOut = segOut + Math.ceil(segIn / 2);
  let packetsIn = segIn + Math.ceil(segOut / 2);
  let headerOut = packetsOut * TCP_HEADER;
  let headerIn = packetsIn * TCP_HEADER;
  if (opening) {
    packetsOut += 2; // SYN, final handshake ACK
    packetsIn += 1; // SYN-ACK
    headerOut += SYN_SIZE + TCP_HEADER;
    headerIn += SYN_SIZE;
  }
  const closing = c.outcome === 'SF';
  const resetByOrig = c.outcome === 'RSTO';
  const resetByResp = c.outcome === 'RSTR';
  if (closing) {
    packetsOut += 2; // FIN and the ACK of the peer's FIN
    packetsIn += 2;
    headerOut += 2 * TCP_HEADER;
    headerIn += 2 * TCP_HEADER;
  }
  if (resetByOrig) {
    packetsOut += 1;
    headerOut += RST_SIZE;
  }
  if (resetByResp) {
    packetsIn += 1;
    headerIn += RST_SIZE;
  }
  return {
    bytes_out: payloadOut + headerOut,
    bytes_in: payloadIn + headerIn,
    packets_out: packetsOut,
    packets_in: packetsIn,
    duration_ms: durationMs,
    tcp_flags: flags({ A: true, P: payloadOut + payloadIn > 0, R: resetByOrig || resetByResp, S: opening, F: closing }),
    conn_state: c.outcome,
  };
}

export interface UdpExchange {
  payloadOut: number;
  packetsOut?: number;
  /** Zero when nobody answered, which Zeek records as S0. */
  payloadIn: number;
  packetsIn?: number;
  durationMs: number;
}

export function udpExchange(u: UdpExchange): FlowCounters {
  const packetsOut = u.packetsOut ?? 1;
  const packetsIn = u.payloadIn > 0 ? (u.packetsIn ?? 1) : 0;
  return {
    bytes_out: Math.round(u.payloadOut) + UDP_HEADER * packetsOut,
    bytes_in: packetsIn > 0 ? Math.round(u.payloadIn) + UDP_HEADER * packetsIn : 0,
    packets_out: packetsOut,
    packets_in: packetsIn,
    duration_ms: packetsIn > 0 ? Math.max(0, Math.round(u.durationMs)) : 0,
    conn_state: packetsIn > 0 ? 'SF' : 'S0',
  };
}

/**
 * A half-open probe of an open port: SYN, SYN-ACK, and the prober's RST instead of the final
 * ACK (what a SYN scanner does so that no connection is ever completed).
 */
export function halfOpenProbe(durationMs: number): FlowCounters {
  return {
    bytes_out: SYN_SIZE + RST_SIZE,
    bytes_in: SYN_SIZE,
    packets_out: 2,
    packets_in: 1,
    duration_ms: Math.max(0, Math.round(durationMs)),
    tcp_flags: flags({ A: true, R: true, S: true }),
    conn_state: 'RSTO',
  };
}
