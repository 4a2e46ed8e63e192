import { windowFeatureColumns } from './source-windows';
import { MAX_WINDOW_MS, validateWindowSpecs, windowSpecs } from './window-spec';

describe('windowSpecs', () => {
  it('names each window after its length and cuts it into 6 buckets', () => {
    expect(windowSpecs([30_000, 60_000, 600_000, 3_600_000])).toEqual([
      { name: '30s', lengthMs: 30_000, bucketMs: 5_000 },
      { name: '1m', lengthMs: 60_000, bucketMs: 10_000 },
      { name: '10m', lengthMs: 600_000, bucketMs: 100_000 },
      { name: '1h', lengthMs: 3_600_000, bucketMs: 600_000 },
    ]);
  });

  it('uses the largest unit that divides the length', () => {
    expect(windowSpecs([90_000, 5_400_000, 1_500]).map((w) => w.name)).toEqual(['90s', '90m', '1500ms']);
  });

  it('refuses lengths that give fractional buckets, duplicates and windows too long for exact sums', () => {
    expect(() => windowSpecs([1_000])).toThrow(/divisible by 6/);
    expect(() => windowSpecs([0])).toThrow(/positive/);
    expect(() => windowSpecs([60_000, 60_000])).toThrow(/duplicate/);
    expect(() => windowSpecs([24 * 3_600_000])).toThrow(/exact integer range/);
    expect(() => windowSpecs([])).toThrow(/at least one window/);
  });
});

describe('validateWindowSpecs', () => {
  it('accepts hand-made specs whose length is a whole number of buckets', () => {
    expect(() => validateWindowSpecs([{ name: '10m', lengthMs: 600_000, bucketMs: 60_000 }])).not.toThrow();
    expect(() => validateWindowSpecs([{ name: 'max', lengthMs: MAX_WINDOW_MS, bucketMs: MAX_WINDOW_MS / 8 }])).not.toThrow();
  });

  it('refuses a bucket that does not divide the length and names that cannot be column suffixes', () => {
    expect(() => validateWindowSpecs([{ name: '1m', lengthMs: 60_000, bucketMs: 7_000 }])).toThrow(/multiple of bucketMs/);
    expect(() => validateWindowSpecs([{ name: '1 m', lengthMs: 60_000, bucketMs: 10_000 }])).toThrow(/lower-case letters and digits/);
  });
});

describe('windowFeatureColumns', () => {
  it('lists the 8 features window by window, so adding a window only appends columns', () => {
    const one = windowFeatureColumns(windowSpecs([60_000]));
    const two = windowFeatureColumns(windowSpecs([60_000, 600_000]));
    expect(one).toEqual([
      'src_conn_count_1m',
      'src_distinct_dst_hosts_1m',
      'src_distinct_dst_ports_1m',
      'src_failed_share_1m',
      'src_bytes_out_share_1m',
      'src_small_flow_share_1m',
      'src_iat_mean_s_1m',
      'src_iat_cv_1m',
    ]);
    expect(two.slice(0, 8)).toEqual(one);
    expect(two.slice(8)).toEqual(one.map((c) => c.replace(/_1m$/, '_10m')));
  });
});
