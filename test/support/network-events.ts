import { NetworkEvent } from '@flowsentry/contracts';

/** A valid flow record; `i` makes its event_id and a few fields unique. */
export function flowEvent(i: number, overrides: Partial<NetworkEvent> = {}): NetworkEvent {
  return {
    event_id: `evt-${i}`,
    ts: new Date(Date.now() - 60_000 + (i % 1000)).toISOString(),
    sensor_id: `sensor-${i % 4}`,
    src_ip: `10.0.${(i >> 8) & 255}.${i & 255}`,
    dst_ip: '192.0.2.10',
    src_port: 1024 + (i % 60000),
    dst_port: 443,
    protocol: 'tcp',
    bytes_in: 1200 + i,
    bytes_out: 300 + (i % 97),
    packets_in: 4,
    packets_out: 3,
    duration_ms: 12.5,
    conn_state: 'SF',
    ...overrides,
  };
}
