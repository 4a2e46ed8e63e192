import { deterministicId, NetworkEventV1 } from '@flowsentry/contracts';
import { FeatureMatrix, FeaturePipeline, FeatureSpec } from '@flowsentry/ml';
import { readParquet, SilverRows, SilverValue, writeParquet } from '@flowsentry/storage';
import { RECIPES, silverFlows } from '../test/monitor-fixtures';
import { anomalyOutputs, anomalyRows, ScoredBatch } from './anomalies';
import { MAX_REASONS, rankReasons } from './anomaly-reasons';
import { featureMatrixOf } from './batch-features';

async function batchRows(): Promise<SilverRows> {
  const read = await readParquet(await writeParquet(silverFlows({ rows: 40, seed: 5, scanEvery: 10 })));
  return { rowCount: read.rowCount, names: read.columns.map((c) => c.name), types: read.columns.map((c) => c.type), columns: read.columns.map((c) => c.values as SilverValue[]), datasets: [] };
}

const recordsOf = (rows: SilverRows) => Array.from({ length: rows.rowCount }, (_, i) => Object.fromEntries(rows.names.map((n, c) => [n, rows.columns[c]![i]])));

describe('anomaly selection', () => {
  it('selects the flows strictly above the threshold, in row order (ONNX label −1 ⇔ decision < 0)', () => {
    expect(anomalyRows([0.1, 0.5, 0.500001, 0.9, 0.2], 0.5)).toEqual([2, 3]);
    expect(anomalyRows([], 0.5)).toEqual([]);
  });
});

describe('reasons', () => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const ranges = new Map([['b', { low: 1, high: 2 }]]);

  it('ranks the features by their share of the isolation, at most five, each with its value and typical range when known', () => {
    const reasons = rankReasons([0.05, 0.4, 0, 0.1, 0.2, 0.15, 0.1], names, [1, 7.5, 0, null, 3, 4, 5], ranges);
    expect(reasons).toHaveLength(MAX_REASONS);
    expect(reasons.map((r) => r.feature)).toEqual(['b', 'e', 'f', 'd', 'g']);
    expect(reasons[0]).toEqual({ feature: 'b', value: 7.5, contribution: 0.4, typicalLow: 1, typicalHigh: 2 });
    expect(reasons[3]).toEqual({ feature: 'd', value: null, contribution: 0.1 });
  });

  it('breaks ties by the model column order and leaves out features with no share', () => {
    expect(rankReasons([0, 0.5, 0, 0, 0.5, 0, 0], names, names.map(() => 1), ranges).map((r) => r.feature)).toEqual(['b', 'e']);
  });
});

describe('anomalyOutputs', () => {
  let rows: SilverRows;
  let spec: FeatureSpec;
  let matrix: FeatureMatrix;
  let batch: ScoredBatch;

  beforeAll(async () => {
    rows = await batchRows();
    const pipeline = FeaturePipeline.fit(recordsOf(rows), RECIPES);
    spec = pipeline.spec;
    matrix = featureMatrixOf(rows, spec);
    const label = rows.columns[rows.names.indexOf('label')]!;
    batch = {
      datasetId: 'ds-1',
      silverKey: 'silver/date=2026-11-20/ds-1.parquet',
      modelName: 'flows',
      modelVersion: '3',
      threshold: 0.6,
      spec,
      featureNames: pipeline.featureNames,
      typical: new Map([['log1p_src_distinct_dst_ports_1m', { low: 0.69, high: 1.61 }]]),
      // Scans score high; the attribution puts most of each on the distinct-ports column.
      explainer: { explain: (_m, row) => Float64Array.from([0.1, 0.05, 0.15, row % 2 ? 0.5 : 0.6, row % 2 ? 0.2 : 0.1]) },
      rows,
      matrix,
      scores: Array.from(label, (l) => (l === 'portscan' ? 0.75 : 0.4)),
    };
  });

  it('emits one anomalies.detected per flow above the threshold, keyed by source IP, with a deterministic id', () => {
    const { outputs, unemittable } = anomalyOutputs(batch);
    expect(unemittable).toBe(0);
    expect(outputs).toHaveLength(4);
    expect(outputs.map((o) => o.data.event.label)).toEqual(['portscan', 'portscan', 'portscan', 'portscan']);
    const first = outputs[0]!;
    expect(first.key).toBe('203.0.113.7');
    expect(first.id).toBe(deterministicId('anomaly', 'ds-1', 'flows', '3', 'k-5-9'));
    expect(first.data).toMatchObject({ datasetId: 'ds-1', silverKey: batch.silverKey, score: 0.75, threshold: 0.6, modelName: 'flows', modelVersion: '3' });
    for (const o of outputs) expect(NetworkEventV1.safeParse(o.data.event).success).toBe(true);
    expect(anomalyOutputs(batch).outputs.map((o) => o.id)).toEqual(outputs.map((o) => o.id));
  });

  it('gives reasons by the model’s feature names, with the flow’s value in the model’s units and the typical range', () => {
    const reasons = anomalyOutputs(batch).outputs[0]!.data.reasons;
    expect(reasons[0]).toEqual({ feature: 'log1p_src_distinct_dst_ports_1m', value: Math.log1p(309), contribution: 0.5, typicalLow: 0.69, typicalHigh: 1.61 });
    expect(reasons.map((r) => r.feature)).toEqual(['log1p_src_distinct_dst_ports_1m', 'src_iat_cv_1m', 'conn_state', 'log_bytes_out', 'dst_port']);
    // An ordinal code is not a value an analyst reads: the state itself is on the event.
    expect(reasons.find((r) => r.feature === 'conn_state')!.value).toBeNull();
  });

  it('counts, and does not emit, a flow whose NetworkEvent cannot be rebuilt', () => {
    const src = rows.names.indexOf('src_ip');
    const broken = { ...batch, rows: { names: rows.names, columns: rows.columns.map((c, i) => (i === src ? c.map((v, r) => (r === 9 ? 'not-an-ip' : v)) : c)) } };
    const { outputs, unemittable } = anomalyOutputs(broken);
    expect(outputs).toHaveLength(3);
    expect(unemittable).toBe(1);
  });
});
