import { z } from 'zod';

/** Oldest timestamp we accept: anything earlier is a broken clock or a unit mistake (seconds vs ms). */
export const MIN_TS_MS = Date.UTC(2000, 0, 1);
/** Sensors drift; a day of future skew is tolerated, more is rejected. */
export const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;

const counter = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const port = z.number().int().min(0).max(65535);
const ip = z.union([z.ipv4(), z.ipv6()], { error: 'must be an IPv4 or IPv6 address' });

export const PROTOCOLS = ['tcp', 'udp', 'icmp', 'icmpv6', 'gre', 'esp', 'sctp', 'other'] as const;
/** Zeek conn.log connection states. */
export const CONN_STATES = ['S0', 'S1', 'SF', 'REJ', 'S2', 'S3', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH', 'SH', 'SHR', 'OTH'] as const;

const timestamp = z
  .union([z.iso.datetime({ offset: true }), z.number().int()], { error: 'must be an ISO-8601 date-time or epoch milliseconds' })
  .superRefine((value, ctx) => {
    const ms = typeof value === 'number' ? value : Date.parse(value);
    if (ms < MIN_TS_MS || ms > Date.now() + MAX_FUTURE_SKEW_MS) {
      ctx.addIssue({ code: 'custom', message: 'timestamp is outside the accepted range (2000-01-01 .. now + 24h)' });
    }
  });

/**
 * NetworkEvent v1: one flow/connection record, after NetFlow/IPFIX and Zeek conn.log.
 * Strict on types and ranges; loose on unknown fields, which RAW keeps and SILVER drops.
 */
export const NetworkEventV1 = z.looseObject({
  event_id: z.string().min(1).max(128).optional(),
  ts: timestamp,
  sensor_id: z.string().min(1).max(128),
  src_ip: ip,
  dst_ip: ip,
  src_port: port,
  dst_port: port,
  protocol: z.enum(PROTOCOLS),
  bytes_in: counter,
  bytes_out: counter,
  packets_in: counter,
  packets_out: counter,
  duration_ms: z.number().nonnegative().max(7 * 24 * 3600 * 1000),
  tcp_flags: z.string().regex(/^[FSRPAUECN]*$/, 'must be TCP flag letters (FSRPAUECN)').max(16).optional(),
  conn_state: z.enum(CONN_STATES).optional(),
  app_proto: z.string().max(32).optional(),
  label: z.string().min(1).max(64).optional(),
});

export type NetworkEvent = z.infer<typeof NetworkEventV1>;

export function eventTimeMs(event: Pick<NetworkEvent, 'ts'>): number {
  return typeof event.ts === 'number' ? event.ts : Date.parse(event.ts);
}
