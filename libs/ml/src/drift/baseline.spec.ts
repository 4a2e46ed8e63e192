import { flowBatch } from '../../fixtures/stats/flow-batches';
import { buildBaseline, BaselineError } from './baseline';
import { BaselineFormatError, readBaseline, writeConstraintsJson, writeStatisticsJson } from './baseline-json';

describe('baseline in Model Monitor statistics.json / constraints.json shapes', () => {
  const reference = flowBatch(7, 5000);
  const baseline = buildBaseline(reference);

  it('parses the written files back to the same baseline', () => {
    const back = readBaseline(writeStatisticsJson(baseline), writeConstraintsJson(baseline));
    expect(back).toEqual(baseline);
    expect(writeStatisticsJson(back)).toBe(writeStatisticsJson(baseline));
  });

  it('writes the same bytes for the same reference and seed', () => {
    expect(writeStatisticsJson(buildBaseline(flowBatch(7, 5000)))).toBe(writeStatisticsJson(baseline));
  });

  it('uses Model Monitor field names for numeric and string features', () => {
    const stats = JSON.parse(writeStatisticsJson(baseline));
    expect(Object.keys(stats)).toEqual(['version', 'dataset', 'features']);
    expect(stats.dataset).toEqual({ item_count: 5000 });
    const duration = stats.features.find((f: { name: string }) => f.name === 'duration_ms');
    expect(duration.inferred_type).toBe('Fractional');
    expect(Object.keys(duration.numerical_statistics)).toEqual(['common', 'mean', 'sum', 'std_dev', 'min', 'max', 'distribution']);
    expect(duration.numerical_statistics.common).toEqual({ num_present: 5000, num_missing: 0 });
    expect(Object.keys(duration.numerical_statistics.distribution.kll)).toEqual(['buckets', 'sketch']);
    expect(Object.keys(duration.numerical_statistics.distribution.kll.buckets[0])).toEqual(['lower_bound', 'upper_bound', 'count']);
    expect(duration.numerical_statistics.distribution.kll.sketch.parameters).toEqual({ c: 0.64, k: 2048 });
    const bytes = stats.features.find((f: { name: string }) => f.name === 'bytes_in');
    expect(bytes.inferred_type).toBe('Integral');
    const protocol = stats.features.find((f: { name: string }) => f.name === 'protocol');
    expect(protocol.inferred_type).toBe('String');
    expect(Object.keys(protocol.string_statistics)).toEqual(['common', 'distinct_count', 'distribution']);
    expect(protocol.string_statistics.distribution.categorical.buckets[0]).toEqual({ value: 'tcp', count: expect.any(Number) });

    const constraints = JSON.parse(writeConstraintsJson(baseline));
    expect(Object.keys(constraints)).toEqual(['version', 'features', 'monitoring_config']);
    expect(constraints.features.find((f: { name: string }) => f.name === 'bytes_in')).toEqual({
      name: 'bytes_in', inferred_type: 'Integral', completeness: 1, num_constraints: { is_non_negative: true },
    });
    expect(constraints.features.find((f: { name: string }) => f.name === 'protocol').string_constraints).toEqual({ domains: ['icmp', 'tcp', 'udp'] });
    expect(constraints.monitoring_config).toEqual({
      evaluate_constraints: 'Enabled',
      emit_metrics: 'Enabled',
      datatype_check_threshold: 1,
      domain_content_threshold: 1,
      distribution_constraints: { perform_comparison: 'Enabled', comparison_threshold: 0.1, comparison_method: 'Robust' },
    });
  });

  it('keeps every reference value for exact tests when they fit, a seeded reservoir when they do not', () => {
    const duration = baseline.statistics.features.find((f) => f.name === 'duration_ms')!;
    expect(duration.flowsentry.reference_sample).toMatchObject({ method: 'all', capacity: 5000 });
    expect(duration.flowsentry.reference_sample!.values).toEqual(reference.duration_ms);
    const small = buildBaseline(reference, { sampleCapacity: 500, seed: 3 });
    const sample = small.statistics.features.find((f) => f.name === 'duration_ms')!.flowsentry.reference_sample!;
    expect(sample).toMatchObject({ method: 'reservoir', capacity: 500 });
    expect(sample.values).toHaveLength(500);
    expect(buildBaseline(reference, { sampleCapacity: 500, seed: 3 })).toEqual(small);
  });

  it('keeps no reference sample with capacity 0, and the same statistics as with the default capacity', () => {
    const none = buildBaseline(reference, { sampleCapacity: 0 });
    const full = buildBaseline(reference, { sampleCapacity: 5000 });
    for (const feature of none.statistics.features) {
      const other = full.statistics.features.find((f) => f.name === feature.name)!;
      if (feature.flowsentry.kind === 'numeric') {
        expect(feature.flowsentry.reference_sample).toMatchObject({ capacity: 0, values: [] });
        expect(feature.numerical_statistics).toEqual(other.numerical_statistics);
        expect(feature.flowsentry.distinct_values).toBe(other.flowsentry.distinct_values);
      } else {
        expect(feature).toEqual(other);
      }
    }
    expect(none.constraints).toEqual(full.constraints);
    // Missing cells (null and NaN) in a typed column are not sampled either.
    const typed = buildBaseline({ x: Float64Array.of(3, Number.NaN, 1, 2) }, { sampleCapacity: 0 }).statistics.features[0]!;
    expect(typed.flowsentry.reference_sample!.values).toEqual([]);
    expect(typed.numerical_statistics).toMatchObject({ common: { num_present: 3, num_missing: 1 }, min: 1, max: 3, mean: 2, sum: 6 });
  });

  it('orders values exactly as Float64Array#sort does, signs, zeros and subnormals included', () => {
    // A sketch with k ≥ n keeps every value in order; 5 000 values take the radix path.
    let state = 9;
    const random = () => ((state = (state * 16807) % 2147483647) / 2147483647);
    const odd = [0, -0, 1, -1, 1.5, -1.5, 5e-324, -5e-324, 1e300, -1e300, 2 ** 53, 1767225600000];
    const columns: Array<() => number> = [
      () => odd[Math.floor(random() * odd.length)]!,
      () => (random() - 0.5) * 1e6,
      () => Math.floor(random() * 100),
      () => Math.fround(-Math.log(random())),
    ];
    for (const draw of columns) {
      const values = Float64Array.from({ length: 5000 }, draw);
      const sketch = buildBaseline({ x: values }, { sampleCapacity: 0, sketchK: 5000 }).statistics.features[0]!.numerical_statistics!.distribution.kll.sketch;
      expect(sketch.data).toEqual([Array.from(Float64Array.from(values).sort())]);
    }
  });

  it('types string columns as categorical or free-text string by cardinality', () => {
    const kinds = Object.fromEntries(baseline.statistics.features.map((f) => [f.name, f.flowsentry.kind]));
    expect(kinds).toEqual({ bytes_in: 'numeric', conn_state: 'categorical', duration_ms: 'numeric', packets_in: 'numeric', protocol: 'categorical', src_ip: 'string' });
  });

  it('records completeness from missing cells', () => {
    const b = buildBaseline({ x: [1, null, 3, Number.NaN] });
    expect(b.constraints.features[0].completeness).toBe(0.5);
    expect(b.statistics.features[0].numerical_statistics!.common).toEqual({ num_present: 2, num_missing: 2 });
  });

  it('rejects a reference column that mixes numbers and strings', () => {
    expect(() => buildBaseline({ x: [1, 'a'] })).toThrow(BaselineError);
  });

  it('names the bad field when a file does not have the expected shape', () => {
    const stats = JSON.parse(writeStatisticsJson(baseline));
    delete stats.features[0].numerical_statistics.std_dev;
    expect(() => readBaseline(JSON.stringify(stats), writeConstraintsJson(baseline))).toThrow(BaselineFormatError);
    expect(() => readBaseline(JSON.stringify(stats), writeConstraintsJson(baseline))).toThrow(/features\[0\]\.numerical_statistics\.std_dev/);
  });
});
