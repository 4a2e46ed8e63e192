import type { NetworkEvent } from '@flowsentry/contracts';
import { isFailedConnection, isSmallFlow, SMALL_FLOW_BYTES } from './connection-outcome';
import { flowObservation } from './flow-observation';

describe('isFailedConnection', () => {
  it.each([
    ['S0', true],
    ['REJ', true],
    ['RSTO', true],
    ['RSTR', true],
    ['RSTOS0', true],
    ['RSTRH', true],
    ['SH', true],
    ['SHR', true],
    ['OTH', true],
    ['SF', false],
    ['S1', false],
    ['S2', false],
    ['S3', false],
  ])('tcp %s → %s', (state, failed) => {
    expect(isFailedConnection(state, 'tcp')).toBe(failed);
  });

  it('counts an unanswered udp or icmp flow (S0) as failed, as a UDP scan or ping sweep produces', () => {
    expect(isFailedConnection('S0', 'udp')).toBe(true);
    expect(isFailedConnection('S0', 'icmp')).toBe(true);
    expect(isFailedConnection('SF', 'udp')).toBe(false);
  });

  it('ignores the TCP handshake states outside tcp, where Zeek writes OTH for every icmp flow', () => {
    expect(isFailedConnection('OTH', 'icmp')).toBe(false);
    expect(isFailedConnection('OTH', 'udp')).toBe(false);
    expect(isFailedConnection('SHR', 'udp')).toBe(false);
  });

  it('counts a flow without conn_state as not failed', () => {
    expect(isFailedConnection(undefined, 'tcp')).toBe(false);
  });
});

describe('isSmallFlow', () => {
  it('puts handshake-only exchanges below the threshold and a completed empty connection above it', () => {
    expect(SMALL_FLOW_BYTES).toBe(256);
    expect(isSmallFlow(40, 60)).toBe(true); // REJ: SYN + RST
    expect(isSmallFlow(60, 100)).toBe(true); // half-open probe: SYN, SYN-ACK, RST
    expect(isSmallFlow(0, 240)).toBe(true); // S0 with three SYN retries
    expect(isSmallFlow(100, 155)).toBe(true);
    expect(isSmallFlow(100, 156)).toBe(false);
    expect(isSmallFlow(120, 160)).toBe(false); // open + close, no payload, 7 × 40-byte packets
  });
});

describe('flowObservation', () => {
  it('maps a NetworkEvent onto what the windows use', () => {
    const event: NetworkEvent = {
      ts: '2026-11-30T12:00:01.250Z',
      sensor_id: 'edge-1',
      src_ip: '10.0.0.7',
      dst_ip: '10.0.9.1',
      src_port: 51514,
      dst_port: 22,
      protocol: 'tcp',
      bytes_in: 40,
      bytes_out: 60,
      packets_in: 1,
      packets_out: 1,
      duration_ms: 1,
      conn_state: 'REJ',
    };
    expect(flowObservation(event)).toEqual({
      srcIp: '10.0.0.7',
      tsMs: Date.UTC(2026, 10, 30, 12, 0, 1, 250),
      dstIp: '10.0.9.1',
      dstPort: 22,
      failed: true,
      bytesIn: 40,
      bytesOut: 60,
      small: true,
    });
  });
});
