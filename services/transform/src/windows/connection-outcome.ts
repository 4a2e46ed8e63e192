/**
 * Zeek conn_state values that mean the source's attempt failed or was refused. Brute force and
 * scans are mostly failures, so the share of them is the signal; completed or still-open
 * connections (SF, S1, S2, S3) are successes.
 *
 * - S0: an attempt nobody answered (filtered port, absent host, SYN flood). For udp and icmp it
 *   means "no reply", which is what a UDP scan or a ping sweep produces, so it counts there too.
 *   The price: one-way UDP senders (syslog, NetFlow export, SNMP traps) sit at a failed share of 1;
 *   that is their steady baseline, and the per-flow port and protocol tell them apart from a scan.
 * - REJ: the SYN was answered with RST, a closed port: the classic port-scan and dead-service signal.
 * - RSTO: established, then reset by the originator. Half-open SYN scanners (SYN, SYN-ACK, RST) and
 *   brute-force tools that drop each attempt end this way; browsers aborting a download do too,
 *   but rarely enough that a high share stays unusual.
 * - RSTR: established, then reset by the responder: a server throwing the client out (e.g. after
 *   failed logins) or refusing it after the handshake.
 * - RSTOS0: the originator sent SYN then RST without any SYN-ACK: an aborted or crafted probe.
 * - SH: SYN then FIN with no SYN-ACK: a half-open probe (FIN tricks), never a real conversation.
 * - RSTRH, SHR: only the responder's SYN-ACK (then RST or FIN) was seen: backscatter from spoofed
 *   SYNs, or a source answering attempts it never made; either way not a working connection.
 * - OTH: no SYN seen, just midstream traffic: ACK/NULL/XMAS scans and backscatter. Connections
 *   picked up midstream after a sensor restart land here too, briefly.
 *
 * Only S0 depends on nothing but an answer, so only S0 counts for every protocol. The others are
 * TCP handshake states: outside tcp, Zeek writes OTH for every icmp (and other non-udp) flow, and
 * SHR/OTH for udp flows whose request the sensor missed, which say nothing about the source.
 * A flow without conn_state (a NetFlow sensor) counts as not failed: we cannot tell.
 */
const FAILED_TCP_STATES: ReadonlySet<string> = new Set(['S0', 'REJ', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH']);

export function isFailedConnection(connState: string | undefined, protocol: string): boolean {
  if (connState === undefined) return false;
  return protocol === 'tcp' ? FAILED_TCP_STATES.has(connState) : connState === 'S0';
}

/**
 * A flow below this many IP-level bytes (both directions together) cannot have carried a TCP
 * conversation: a handshake-only exchange stays below it (REJ: SYN 60 + RST 40 = 100; half-open
 * probe: 160; S0 with three SYN retries: 4 × 60 = 240; crafted flood SYNs: 40), while the
 * smallest completed connection with no payload at all is 7 packets (≥ 7 × 40 = 280 bytes,
 * ~380 with TCP timestamps) and a minimal HTTP exchange is ≥ ~600. Pings (~170) and DNS
 * lookups (~100–250) are small too, which is what they are: a resolver-heavy client has a high
 * small share as its normal level, a scanner or flood has it at ~1 with many destinations.
 */
export const SMALL_FLOW_BYTES = 256;

export function isSmallFlow(bytesIn: number, bytesOut: number): boolean {
  return bytesIn + bytesOut < SMALL_FLOW_BYTES;
}
