import type { NetworkEvent } from '@flowsentry/contracts';
import { FeaturePipeline } from './feature-pipeline';
import { FlowRecord } from './feature-spec';
import { NETWORK_EVENT_FEATURES } from './network-event-features';

// Compile-time (root tsconfig): contract events are valid pipeline input.
const asRecord = (event: NetworkEvent): FlowRecord => event;

const NETWORK_EVENT_FIELDS = ['ts', 'src_port', 'dst_port', 'protocol', 'bytes_in', 'bytes_out', 'packets_in', 'packets_out', 'duration_ms', 'conn_state'];

describe('NETWORK_EVENT_FEATURES', () => {
  it('reads only NetworkEvent v1 fields and never the ground-truth label', () => {
    const fields = NETWORK_EVENT_FEATURES.flatMap((r) => ('field' in r ? [r.field] : [...r.numerator, ...r.denominator]));
    for (const field of fields) expect(NETWORK_EVENT_FIELDS).toContain(field);
    expect(fields).not.toContain('label');
  });

  it('fits on contract NetworkEvents', () => {
    const event: NetworkEvent = {
      ts: 1736173800000, sensor_id: 's', src_ip: '10.0.0.1', dst_ip: '10.0.0.2', src_port: 1, dst_port: 2,
      protocol: 'icmp', bytes_in: 1, bytes_out: 2, packets_in: 1, packets_out: 1, duration_ms: 0,
    };
    const pipeline = FeaturePipeline.fit([asRecord(event)]);
    expect(pipeline.width).toBeGreaterThanOrEqual(10);
    expect(pipeline.width).toBeLessThanOrEqual(20);
  });
});
