import { AnomalyDetectedData, buildEvent, Topics } from '@flowsentry/contracts';
import { formatAnomalies, summarizeAnomalies } from './anomalies';

const flow = (src: string, ts: string, label?: string) => ({
  event_id: `${src}-${ts}`,
  ts,
  sensor_id: 'edge-1',
  src_ip: src,
  dst_ip: '10.0.0.9',
  src_port: 40000,
  dst_port: 22,
  protocol: 'tcp' as const,
  bytes_in: 60,
  bytes_out: 60,
  packets_in: 1,
  packets_out: 1,
  duration_ms: 3,
  ...(label ? { label } : {}),
});

function anomaly(src: string, ts: string, first: string, over: Partial<AnomalyDetectedData> = {}, label?: string): Buffer {
  const data: AnomalyDetectedData = {
    event: flow(src, ts, label),
    datasetId: 'network.events-p0-1-2.v1',
    score: 0.71,
    threshold: 0.62,
    modelName: 'network-flows',
    modelVersion: '2',
    reasons: [
      { feature: first, value: 1, contribution: 0.5, typicalLow: 0, typicalHigh: 0.2 },
      { feature: 'conn_state', value: 3, contribution: 0.2 },
    ],
    ...over,
  };
  return Buffer.from(JSON.stringify(buildEvent(Topics.anomaliesDetected, { id: `a-${src}-${ts}-${data.modelName}`, service: 'monitor', subject: src, data })));
}

describe('anomalies summary', () => {
  const values = [
    anomaly('10.1.0.5', '2026-11-18T09:00:00Z', 'src_failed_share_1m', {}, 'portscan'),
    anomaly('10.1.0.5', '2026-11-18T09:00:01Z', 'src_failed_share_1m', {}, 'portscan'),
    anomaly('10.1.0.5', '2026-11-18T09:00:02Z', 'log1p_pair_conn_count_1m', {}, 'portscan'),
    anomaly('10.2.0.7', '2026-11-18T10:00:00Z', 'log_bytes_out', {}, 'normal'),
    anomaly('10.3.0.1', '2026-11-18T08:00:00Z', 'log_bytes_out', { modelName: 'other-model', modelVersion: '1' }),
    Buffer.from('{"not": "an anomaly"'),
    null,
  ];

  it('counts by model and label, ranks sources and first reasons, and keeps the latest in full', () => {
    const s = summarizeAnomalies(values, { limit: 2 });
    expect(s.total).toBe(5);
    expect(s.unreadable).toBe(2);
    expect(s.byModel).toEqual({ 'network-flows v2': 4, 'other-model v1': 1 });
    expect(s.byLabel).toEqual({ portscan: 3, normal: 1, unlabelled: 1 });
    expect(s.topSources[0]).toEqual({ srcIp: '10.1.0.5', anomalies: 3, leadingReason: 'src_failed_share_1m' });
    expect(s.leadingReasons.slice(0, 2)).toEqual([
      { feature: 'log_bytes_out', anomalies: 2 },
      { feature: 'src_failed_share_1m', anomalies: 2 },
    ]);
    expect(s.latest.map((a) => a.event.ts)).toEqual(['2026-11-18T10:00:00Z', '2026-11-18T09:00:02Z']);
  });

  it('filters by model name, and leaves labels out when no anomaly carries one', () => {
    const s = summarizeAnomalies(values, { model: 'other-model', limit: 5 });
    expect(s.total).toBe(1);
    expect(s.byLabel).toBeNull();
  });

  it('prints counts, sources, reasons with their typical range, and says so when there is nothing', () => {
    const text = formatAnomalies(summarizeAnomalies(values, { limit: 1 }));
    expect(text).toContain('5 anomalies, 2 unreadable messages');
    expect(text).toContain('by label (the events\' own labels): portscan 3, normal 1, unlabelled 1');
    expect(text).toMatch(/10\.1\.0\.5\s+3\s+src_failed_share_1m/);
    expect(text).toContain('2026-11-18T10:00:00.000Z  10.2.0.7 -> 10.0.0.9:22/tcp  score 0.710 > 0.620  network-flows v2  [normal]');
    expect(text).toContain('log_bytes_out = 1 (typical 0..0.200)  (contribution 0.50)');
    expect(formatAnomalies(summarizeAnomalies([], { limit: 5 }))).toBe('no anomalies');
  });
});
