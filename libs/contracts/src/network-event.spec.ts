import { decodeNetworkEvent } from './decode';

const valid = {
  ts: '2026-11-21T10:00:00Z',
  sensor_id: 's1',
  src_ip: '10.0.0.1',
  dst_ip: '2001:db8::1',
  src_port: 51000,
  dst_port: 443,
  protocol: 'tcp',
  bytes_in: 1200,
  bytes_out: 300,
  packets_in: 4,
  packets_out: 3,
  duration_ms: 12.5,
};
const decode = (value: unknown) => decodeNetworkEvent(Buffer.from(JSON.stringify(value)));

describe('NetworkEvent v1 validation', () => {
  it('accepts IPv4 and IPv6 flows and keeps unknown vendor fields', () => {
    const result = decode({ ...valid, vendor: { x: 1 } });
    expect(result.ok && result.value).toMatchObject({ dst_ip: '2001:db8::1', vendor: { x: 1 } });
  });

  it('accepts epoch-millisecond timestamps', () => {
    expect(decode({ ...valid, ts: Date.UTC(2026, 0, 1) }).ok).toBe(true);
  });

  it.each([
    ['a port above 65535', { dst_port: 65536 }, /dst_port/],
    ['a negative counter', { bytes_out: -1 }, /bytes_out/],
    ['a fractional packet count', { packets_in: 1.5 }, /packets_in/],
    ['an invalid IPv4', { src_ip: '10.0.0.256' }, /src_ip: must be an IPv4 or IPv6 address/],
    ['an unknown protocol', { protocol: 'carrier-pigeon' }, /protocol/],
    ['a timestamp in seconds instead of ms', { ts: 1_700_000_000 }, /outside the accepted range/],
    ['a timestamp far in the future', { ts: '2999-01-01T00:00:00Z' }, /outside the accepted range/],
    ['a timestamp without offset', { ts: '2026-11-21T10:00:00' }, /ts/],
    ['bad TCP flag letters', { tcp_flags: 'SXZ' }, /tcp_flags/],
  ])('rejects %s with a reason naming the field', (_name, patch, reason) => {
    const result = decode({ ...valid, ...patch });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.reason).toBe('schema');
      expect(result.error.message).toMatch(reason);
    }
  });

  it('names every missing required field', () => {
    const { sensor_id: _a, bytes_in: _b, ...rest } = valid;
    const result = decode(rest);
    expect(!result.ok && result.error.message).toMatch(/sensor_id.*bytes_in|bytes_in.*sensor_id/);
  });

  it.each([
    ['empty', Buffer.alloc(0), 'empty'],
    ['not-utf8', Buffer.from([0xc3, 0x28]), 'not-utf8'],
    ['malformed-json', Buffer.from('{"ts":'), 'malformed-json'],
  ])('classifies %s payloads', (_name, payload, reason) => {
    const result = decodeNetworkEvent(payload);
    expect(!result.ok && result.error.reason).toBe(reason);
  });

  it('rejects payloads over the size limit before parsing them', () => {
    const result = decodeNetworkEvent(Buffer.from(JSON.stringify({ ...valid, pad: 'x'.repeat(100) })), 64);
    expect(!result.ok && result.error.reason).toBe('too-large');
  });
});
