import { FeaturePipeline } from '@flowsentry/ml';
import { modelColumns, modelRecipes, supportsFeatureVersion } from './model-features';

describe('model features', () => {
  it('reads the per-flow columns, the ports, conn_state and both windows of an f1.w1 dataset, but not the hour of day', () => {
    const columns = modelColumns('f1.w1-1m-10m');
    expect(columns).toEqual(expect.arrayContaining(['log_bytes_in', 'bytes_out_share', 'protocol_tcp', 'protocol_other', 'src_port', 'dst_port', 'conn_state', 'src_conn_count_1m', 'pair_iat_cv_10m']));
    expect(columns).toHaveLength(13 + 3 + 2 * 11);
    expect(columns).not.toContain('hour_of_day_utc');
    expect(columns).not.toContain('label');
  });

  it('takes window counts through log1p and shares, CVs and gaps as they are', () => {
    const byField = new Map(modelRecipes('f1.w1-5m').map((r) => [r.kind === 'ratio' ? r.name : r.field, r]));
    expect(byField.get('src_conn_count_5m')).toEqual({ kind: 'numeric', name: 'log1p_src_conn_count_5m', field: 'src_conn_count_5m', transform: 'log1p' });
    expect(byField.get('src_distinct_dst_ports_5m')).toMatchObject({ transform: 'log1p' });
    expect(byField.get('pair_conn_count_5m')).toMatchObject({ transform: 'log1p' });
    for (const field of ['src_failed_share_5m', 'src_iat_cv_5m', 'src_iat_mean_s_5m', 'pair_iat_mean_s_5m', 'log_bytes_in', 'protocol_udp', 'dst_port']) {
      expect(byField.get(field)).toMatchObject({ kind: 'numeric', transform: 'identity' });
    }
  });

  it('fits conn_state as an ordinal by training frequency and fills a missing window value with the training median', () => {
    const row = (conn_state: string | null, iat: number | null) => ({ conn_state, src_iat_cv_1m: iat });
    const recipes = modelRecipes('f1.w1-1m').filter((r) => r.kind === 'ordinal' || (r.kind === 'numeric' && r.field === 'src_iat_cv_1m'));
    const pipeline = FeaturePipeline.fit([row('SF', 0.1), row('SF', 0.3), row('REJ', 0.9), row('SF', null), row('S0', null)], recipes);
    expect(pipeline.spec.features).toEqual([
      expect.objectContaining({ name: 'conn_state', vocabulary: ['SF', 'REJ', 'S0'] }),
      expect.objectContaining({ name: 'src_iat_cv_1m', fill: 0.3 }),
    ]);
    expect(Array.from(pipeline.transform([row('S0', null), row('OTH', 2)]).data)).toEqual([2, Math.fround(0.3), 3, 2]);
  });

  it('knows f1 SILVER with w1 windows only: other versions are not trained on', () => {
    expect(supportsFeatureVersion('f1.w1-1m-10m')).toBe(true);
    expect(supportsFeatureVersion('f2.w1-1m-10m')).toBe(false);
    expect(supportsFeatureVersion('f1.w2-1m')).toBe(false);
    expect(() => modelRecipes('f1')).toThrow(/not one the trainer knows/);
  });
});
