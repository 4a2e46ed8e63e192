import { eventTimeMs, NetworkEventV1 as Schema } from './network-event';
import { fastAcceptedEventTimeMs, fastAcceptNetworkEvent } from './network-event-fast-path';

const base = {
  event_id: 'e-1',
  ts: '2026-11-21T10:00:00.000Z',
  sensor_id: 's1',
  src_ip: '10.0.0.1',
  dst_ip: '192.0.2.7',
  src_port: 51000,
  dst_port: 443,
  protocol: 'tcp',
  bytes_in: 1200,
  bytes_out: 300,
  packets_in: 4,
  packets_out: 3,
  duration_ms: 12.5,
  tcp_flags: 'SAF',
  conn_state: 'SF',
  app_proto: 'tls',
  label: 'normal',
};

/** Values that probe each check's edges: types, ranges, spellings, JSON oddities. */
const probes: unknown[] = [
  undefined, null, '', 'x', ' ', 'a'.repeat(200), 0, -1, 1.5, 65535, 65536, 2 ** 53, -0, 1e308, true, [], {},
  '10.0.0.256', '010.0.0.1', '1.2.3', '1.2.3.4.5', '::1', '2001:db8::1', 'fe80::1%eth0', '::ffff:10.0.0.1',
  '2026-11-21T10:00:00Z', '2026-11-21T10:00:00.000Z', '2026-02-30T10:00:00.000Z', '2026-11-21T10:00:00.000+01:00',
  '2026-11-21 10:00:00.000Z', '2024-02-29T00:00:00.000Z', '2025-02-29T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-11-21T10:60:00.000Z', '2026-1a-21T10:00:00.000Z', '2026-11-21T10:00:60.000Z', '1999-12-31T23:59:59.999Z', '2999-01-01T00:00:00.000Z', '2026-11-21T24:00:00.000Z',
  Date.UTC(2026, 0, 1), 1_700_000_000, 'tcp', 'TCP', 'udp', 'icmpv6', 'SF', 'S0', 'sf', 'SAF', 'SXZ', 'S'.repeat(17),
];

describe('the NetworkEvent fast path', () => {
  it('accepts the canonical valid event without the schema', () => {
    expect(fastAcceptNetworkEvent(base)).toBe(true);
  });

  it('never accepts an event the schema rejects (differential, every field × every probe)', () => {
    let accepted = 0;
    for (const field of Object.keys(base)) {
      for (const probe of probes) {
        const candidate: Record<string, unknown> = { ...base, [field]: probe };
        if (probe === undefined) delete candidate[field];
        const fastMs = fastAcceptedEventTimeMs(candidate);
        const fast = !Number.isNaN(fastMs);
        const schema = Schema.safeParse(candidate);
        if (fast && !schema.success) throw new Error(`fast path accepted ${field}=${JSON.stringify(probe)} which the schema rejects`);
        if (fast && fastMs !== eventTimeMs(schema.data!)) throw new Error(`fast path read ts=${JSON.stringify(candidate.ts)} as ${fastMs}, not ${eventTimeMs(schema.data!)}`);
        if (fast) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(30);
  });

  it('leaves IPv6 and other timestamp spellings to the schema', () => {
    expect(fastAcceptNetworkEvent({ ...base, dst_ip: '2001:db8::1' })).toBe(false);
    expect(Schema.safeParse({ ...base, dst_ip: '2001:db8::1' }).success).toBe(true);
    expect(fastAcceptNetworkEvent({ ...base, ts: '2026-11-21T10:00:00+01:00' })).toBe(false);
  });
});
