import { FeaturePipeline, FeatureSpecError } from './feature-pipeline';
import { FeatureRecipe, FlowRecord } from './feature-spec';

const flow = (overrides: Partial<Record<string, unknown>> = {}): FlowRecord => ({
  ts: '2025-01-06T14:30:00Z',
  sensor_id: 's1',
  src_ip: '10.0.0.1',
  dst_ip: '192.0.2.1',
  src_port: 50000,
  dst_port: 443,
  protocol: 'tcp',
  bytes_in: 1000,
  bytes_out: 200,
  packets_in: 10,
  packets_out: 4,
  duration_ms: 99,
  conn_state: 'SF',
  ...overrides,
});

function column(pipeline: FeaturePipeline, records: FlowRecord[], name: string): number[] {
  const matrix = pipeline.transform(records);
  const c = pipeline.featureNames.indexOf(name);
  expect(c).toBeGreaterThanOrEqual(0);
  return Array.from({ length: matrix.rows }, (_, r) => matrix.data[r * matrix.cols + c]);
}

describe('FeaturePipeline with the default NetworkEvent features', () => {
  const training = [flow(), flow({ conn_state: 'S0', bytes_in: 0 }), flow({ conn_state: 'S0' }), flow({ protocol: 'udp', conn_state: undefined, duration_ms: 1 })];
  const pipeline = FeaturePipeline.fit(training);

  it('produces 17 named float32 columns in a fixed order', () => {
    expect(pipeline.width).toBe(17);
    expect(pipeline.featureNames).toEqual([
      'log_bytes_in', 'log_bytes_out', 'log_packets_in', 'log_packets_out', 'log_duration_ms', 'src_port', 'dst_port',
      'log_bytes_per_packet_in', 'log_bytes_per_packet_out', 'bytes_out_share', 'log_bytes_per_ms', 'hour_of_day_utc',
      'protocol=tcp', 'protocol=udp', 'protocol=icmp', 'protocol=other', 'conn_state',
    ]);
    const matrix = pipeline.transform(training);
    expect(matrix.data).toBeInstanceOf(Float32Array);
    expect(matrix.rows).toBe(4);
  });

  it('log1p-compresses counters and derives per-packet, share and rate ratios', () => {
    const [row] = [flow()];
    expect(column(pipeline, [row], 'log_bytes_in')[0]).toBeCloseTo(Math.log1p(1000), 5);
    expect(column(pipeline, [row], 'log_bytes_per_packet_in')[0]).toBeCloseTo(Math.log1p(100), 5);
    expect(column(pipeline, [row], 'bytes_out_share')[0]).toBeCloseTo(200 / 1200, 6);
    expect(column(pipeline, [row], 'log_bytes_per_ms')[0]).toBeCloseTo(Math.log1p(1200 / 99), 5);
  });

  it('divides by max(denominator, 1): zero packets keep the byte count, zero bytes give share 0', () => {
    expect(column(pipeline, [flow({ bytes_in: 500, packets_in: 0 })], 'log_bytes_per_packet_in')[0]).toBeCloseTo(Math.log1p(500), 5);
    expect(column(pipeline, [flow({ bytes_in: 0, bytes_out: 0 })], 'bytes_out_share')[0]).toBe(0);
  });

  it('reads the UTC hour from ISO-8601 strings and epoch milliseconds alike', () => {
    expect(column(pipeline, [flow(), flow({ ts: Date.UTC(2025, 0, 6, 23, 59) }), flow({ ts: '2025-01-06T01:00:00+02:00' })], 'hour_of_day_utc')).toEqual([14, 23, 23]);
  });

  it('one-hot encodes protocol: an unknown protocol sets protocol=other, a missing one sets no column', () => {
    const rows = [flow({ protocol: 'udp' }), flow({ protocol: 'gre' }), flow({ protocol: undefined })];
    const names = ['protocol=tcp', 'protocol=udp', 'protocol=icmp', 'protocol=other'];
    const cols = names.map((name) => column(pipeline, rows, name));
    expect(rows.map((_, r) => cols.map((c) => c[r]))).toEqual([
      [0, 1, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 0, 0],
    ]);
  });

  it('codes conn_state by training frequency: most frequent 0, unknown = vocabulary size, missing = −1', () => {
    expect(pipeline.spec.features.find((f) => f.name === 'conn_state')).toMatchObject({ vocabulary: ['S0', 'SF'] });
    expect(column(pipeline, [flow({ conn_state: 'S0' }), flow(), flow({ conn_state: 'RSTO' }), flow({ conn_state: undefined })], 'conn_state')).toEqual([0, 1, 2, -1]);
  });

  it('replaces missing, non-numeric and non-finite numbers with the training median of the feature', () => {
    // training durations 99, 99, 99, 1 → log1p median = log1p(99)
    const values = column(pipeline, [flow({ duration_ms: undefined }), flow({ duration_ms: '12' }), flow({ duration_ms: NaN }), flow({ duration_ms: Infinity })], 'log_duration_ms');
    for (const v of values) expect(v).toBeCloseTo(Math.log1p(99), 5);
    expect(column(pipeline, [flow({ ts: 'not a date' })], 'hour_of_day_utc')[0]).toBe(14);
  });

  it('never emits NaN, whatever the record holds', () => {
    const matrix = pipeline.transform([{}, { protocol: 42, conn_state: 7, bytes_in: -5, ts: null }]);
    expect(Array.from(matrix.data).every(Number.isFinite)).toBe(true);
  });

  it('rebuilt from its JSON spec, transforms exactly as the fitted pipeline', () => {
    const restored = FeaturePipeline.fromSpec(JSON.parse(JSON.stringify(pipeline)));
    const probe = [...training, flow({ protocol: 'sctp', conn_state: 'OTH', bytes_out: undefined })];
    expect(restored.transform(probe).data).toEqual(pipeline.transform(probe).data);
    expect(restored.featureNames).toEqual(pipeline.featureNames);
  });

  it('writes into a caller-owned buffer at a row offset', () => {
    const out = new Float32Array(3 * pipeline.width).fill(-9);
    pipeline.transformInto([flow()], out, 1);
    expect(out.subarray(0, pipeline.width).every((v) => v === -9)).toBe(true);
    expect(out.subarray(pipeline.width, 2 * pipeline.width)).toEqual(pipeline.transform([flow()]).data);
    expect(() => pipeline.transformInto([flow(), flow()], out, 2)).toThrow(RangeError);
  });
});

describe('FeaturePipeline with custom recipes', () => {
  it('caps a learned vocabulary at maxCategories, ties broken by value', () => {
    const recipes: FeatureRecipe[] = [{ kind: 'one-hot', name: 'app', field: 'app_proto', maxCategories: 2 }];
    const records = ['dns', 'http', 'ssl', 'ssl', 'http', 'ftp'].map((app_proto) => ({ app_proto }));
    const pipeline = FeaturePipeline.fit(records, recipes);
    expect(pipeline.featureNames).toEqual(['app=http', 'app=ssl', 'app=other']);
  });

  it('uses 0 as fill when no training record has the field', () => {
    const pipeline = FeaturePipeline.fit([{}, {}], [{ kind: 'numeric', name: 'x', field: 'x', transform: 'identity' }]);
    expect(pipeline.transform([{}]).data[0]).toBe(0);
  });

  it('rejects duplicate names, unfitted categorical features and unknown spec versions', () => {
    const numeric: FeatureRecipe = { kind: 'numeric', name: 'x', field: 'x', transform: 'identity' };
    expect(() => FeaturePipeline.fit([], [numeric, numeric])).toThrow(/duplicate feature name 'x'/);
    expect(() => FeaturePipeline.fromSpec({ version: 1, features: [{ kind: 'ordinal', name: 'c', field: 'c' } as never] })).toThrow(FeatureSpecError);
    expect(() => FeaturePipeline.fromSpec({ version: 2 } as never)).toThrow(/version/);
  });
});
