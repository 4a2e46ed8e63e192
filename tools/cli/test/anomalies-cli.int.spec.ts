import { buildEvent, Topics } from '@flowsentry/contracts';
import { PipelineFixture } from '../../../test/support/pipeline-fixture';
import { runCli } from '../../../test/support/tools';

// `flowsentry anomalies` as an analyst runs it, reading the real topic (committed messages only).
describe('flowsentry anomalies (the built CLI against Kafka)', () => {
  const fx = new PipelineFixture();

  beforeAll(async () => {
    await fx.setUp(1);
    const anomaly = (src: string, port: number, feature: string, label: string) =>
      buildEvent(Topics.anomaliesDetected, {
        id: `it-anomaly-${src}-${port}`,
        service: 'monitor',
        subject: src,
        data: {
          event: { event_id: `e-${src}-${port}`, ts: `2026-11-18T09:00:0${port % 10}Z`, sensor_id: 'edge-1', src_ip: src, dst_ip: '10.0.0.9', src_port: 40000, dst_port: port, protocol: 'tcp', bytes_in: 60, bytes_out: 60, packets_in: 1, packets_out: 1, duration_ms: 3, label },
          datasetId: 'network.events-p0-1-2.v1',
          score: 0.7,
          threshold: 0.6,
          modelName: `${fx.prefix}-flows`,
          modelVersion: '1',
          reasons: [{ feature, value: 1, contribution: 0.4 }],
        },
      });
    for (const [src, port, feature, label] of [
      ['10.1.0.5', 21, 'src_failed_share_1m', 'portscan'],
      ['10.1.0.5', 22, 'src_failed_share_1m', 'portscan'],
      ['10.2.0.7', 443, 'log_bytes_out', 'normal'],
    ] as const) {
      await fx.producer.emit(Topics.anomaliesDetected, src, anomaly(src, port, feature, label), 'it-cli');
    }
    await fx.producer.send(fx.topic(Topics.anomaliesDetected), [{ key: 'x', value: 'not an event' }]);
  });
  afterAll(() => fx.tearDown());

  it('summarises the topic by model, label, source and first reason, counting what it cannot read', async () => {
    const summary = JSON.parse(await runCli(fx.prefix, ['anomalies', '--json', '--limit', '2']));

    expect(summary).toMatchObject({
      total: 3,
      unreadable: 1,
      byModel: { [`${fx.prefix}-flows v1`]: 3 },
      byLabel: { portscan: 2, normal: 1 },
      topSources: [
        { srcIp: '10.1.0.5', anomalies: 2, leadingReason: 'src_failed_share_1m' },
        { srcIp: '10.2.0.7', anomalies: 1, leadingReason: 'log_bytes_out' },
      ],
    });
    expect(summary.latest).toHaveLength(2);
    expect(await runCli(fx.prefix, ['anomalies', '--model', 'no-such-model'])).toContain('no anomalies');
  });

  it('refuses a bad --limit with a usage error', async () => {
    await expect(runCli(fx.prefix, ['anomalies', '--limit', 'ten'])).rejects.toThrow(/--limit must be a non-negative integer/);
  });
});
