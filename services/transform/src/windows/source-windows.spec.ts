import { deflateSync, inflateSync } from 'node:zlib';
import { eventTimeMs, type NetworkEvent } from '@flowsentry/contracts';
import { flowObservation } from './flow-observation';
import { FlowObservation, SourceWindows, WindowFeatures } from './source-windows';
import { WindowSnapshotError } from './window-snapshot';
import { WindowSpec, windowSpecs } from './window-spec';

/** 12:00:00 UTC: a multiple of every bucket width used here, so bucket k starts at T0 + k·bucket. */
const T0 = Date.UTC(2026, 10, 30, 12);
const ONE_MINUTE = windowSpecs([60_000]); // 6 buckets of 10 s
const TEN_MINUTES = windowSpecs([600_000]); // 6 buckets of 100 s
const BOTH = windowSpecs([60_000, 600_000]);

function flow(srcIp: string, seconds: number, over: Partial<FlowObservation> = {}): FlowObservation {
  return { srcIp, tsMs: T0 + Math.round(seconds * 1000), dstIp: '10.9.0.1', dstPort: 443, failed: false, bytesIn: 1000, bytesOut: 500, small: false, ...over };
}

/** The 1m columns without their suffix. */
function oneMinute(row: WindowFeatures): Record<string, number | null> {
  return Object.fromEntries(Object.entries(row).filter(([c]) => c.endsWith('_1m')).map(([c, v]) => [c.slice(0, -3), v]));
}

describe('SourceWindows features, computed by hand', () => {
  it('aggregates three flows of one source into every column', () => {
    const windows = new SourceWindows(ONE_MINUTE);
    const first = windows.observe(flow('a', 5, { dstIp: '10.9.0.2', dstPort: 22, failed: true, bytesIn: 40, bytesOut: 60, small: true }));
    expect(first).toEqual({
      src_conn_count_1m: 1,
      src_distinct_dst_hosts_1m: 1,
      src_distinct_dst_ports_1m: 1,
      src_failed_share_1m: 1,
      src_bytes_out_share_1m: 0.6, // 60 / (40 + 60)
      src_small_flow_share_1m: 1,
      src_iat_mean_s_1m: null, // no gap yet
      src_iat_cv_1m: null,
    });
    const second = windows.observe(flow('a', 20, { dstIp: '10.9.0.2', dstPort: 80, bytesIn: 1000, bytesOut: 200 }));
    expect(oneMinute(second)).toEqual({
      src_conn_count: 2,
      src_distinct_dst_hosts: 1,
      src_distinct_dst_ports: 2,
      src_failed_share: 0.5,
      src_bytes_out_share: 0.2, // 260 / 1300
      src_small_flow_share: 0.5,
      src_iat_mean_s: 15,
      src_iat_cv: null, // one gap
    });
    const third = windows.observe(flow('a', 50, { dstIp: '10.9.0.3', dstPort: 22, failed: true, bytesIn: 0, bytesOut: 60, small: true }));
    expect(oneMinute(third)).toEqual({
      src_conn_count: 3,
      src_distinct_dst_hosts: 2,
      src_distinct_dst_ports: 2,
      src_failed_share: 2 / 3,
      src_bytes_out_share: 4 / 17, // (60 + 200 + 60) / (100 + 1200 + 60)
      src_small_flow_share: 2 / 3,
      src_iat_mean_s: 22.5, // gaps 15 s and 30 s
      src_iat_cv: 1 / 3, // population std 7.5 / mean 22.5
    });
  });

  it('drops the oldest bucket once a flow enters the seventh: the 1m window spans 50 to 60 s', () => {
    const windows = new SourceWindows(ONE_MINUTE);
    windows.observe(flow('a', 5, { dstIp: '10.9.0.2', dstPort: 22, failed: true, bytesIn: 40, bytesOut: 60, small: true }));
    windows.observe(flow('a', 20, { dstIp: '10.9.0.2', dstPort: 80, bytesIn: 1000, bytesOut: 200 }));
    windows.observe(flow('a', 50, { dstIp: '10.9.0.3', dstPort: 22, failed: true, bytesIn: 0, bytesOut: 60, small: true }));
    // +65 s is in bucket 6, so the window is buckets 1–6 (10–70 s): the flow at +5 s has left.
    const row = oneMinute(windows.observe(flow('a', 65, { dstIp: '10.9.0.3', dstPort: 443, bytesIn: 500, bytesOut: 500 })));
    expect(row).toMatchObject({
      src_conn_count: 3,
      src_distinct_dst_hosts: 2, // .2 (20 s), .3 (50 s, 65 s)
      src_distinct_dst_ports: 3, // 80, 22, 443
      src_failed_share: 1 / 3,
      src_bytes_out_share: 38 / 113, // (200 + 60 + 500) / (1200 + 60 + 1000)
      src_small_flow_share: 1 / 3,
      src_iat_mean_s: 20, // gaps of the three flows inside: 15, 30, 15 s
    });
    expect(row.src_iat_cv).toBeCloseTo(Math.SQRT2 / 4, 15); // std √50 / mean 20
  });

  it('counts distinct hosts and ports with repeats, keeps a key sighted again, and lets keys leave with their buckets', () => {
    const windows = new SourceWindows(ONE_MINUTE);
    windows.observe(flow('a', 0, { dstIp: 'h-a', dstPort: 1 }));
    windows.observe(flow('a', 1, { dstIp: 'h-a', dstPort: 1 }));
    expect(oneMinute(windows.observe(flow('a', 2, { dstIp: 'h-b', dstPort: 2 })))).toMatchObject({
      src_conn_count: 3,
      src_distinct_dst_hosts: 2,
      src_distinct_dst_ports: 2,
    });
    expect(oneMinute(windows.observe(flow('a', 30, { dstIp: 'h-a', dstPort: 1 })))).toMatchObject({
      src_conn_count: 4,
      src_distinct_dst_hosts: 2,
      src_distinct_dst_ports: 2,
    });
    // Bucket 0 (0–2 s) leaves; h-a stays thanks to its sighting at 30 s, h-b and port 2 go.
    expect(oneMinute(windows.observe(flow('a', 61, { dstIp: 'h-c', dstPort: 3 })))).toMatchObject({
      src_conn_count: 2,
      src_distinct_dst_hosts: 2,
      src_distinct_dst_ports: 2,
    });
    // Bucket 3 (30 s) leaves, taking h-a and port 1 with it; they come back with this flow.
    expect(oneMinute(windows.observe(flow('a', 95, { dstIp: 'h-a', dstPort: 1 })))).toEqual({
      src_conn_count: 2,
      src_distinct_dst_hosts: 2,
      src_distinct_dst_ports: 2,
      src_failed_share: 0,
      src_bytes_out_share: 1 / 3,
      src_small_flow_share: 0,
      src_iat_mean_s: 32.5, // the gaps of the flows inside: 31 s and 34 s
      src_iat_cv: 3 / 65, // std 1.5 / mean 32.5
    });
    // 105 s later every bucket has left, and a gap longer than the longest window is no gap.
    expect(oneMinute(windows.observe(flow('a', 200, { dstIp: 'h-d', dstPort: 4 })))).toMatchObject({
      src_conn_count: 1,
      src_distinct_dst_hosts: 1,
      src_distinct_dst_ports: 1,
      src_iat_mean_s: null,
    });
  });

  it('counts a flow older than its source\'s latest in the latest bucket, with a gap of 0', () => {
    const windows = new SourceWindows(ONE_MINUTE);
    windows.observe(flow('a', 55));
    const late = oneMinute(windows.observe(flow('a', 5, { dstIp: '10.9.0.9' })));
    expect(late).toMatchObject({ src_conn_count: 2, src_distinct_dst_hosts: 2, src_iat_mean_s: 0, src_iat_cv: null });
    // At +65 s the window is buckets 1–6: the late flow still counts (it sits at 55 s, not 5 s).
    const next = oneMinute(windows.observe(flow('a', 65)));
    expect(next).toMatchObject({ src_conn_count: 3, src_distinct_dst_hosts: 2, src_iat_mean_s: 5, src_iat_cv: 1 }); // gaps 0 and 10 s
  });

  it('counts a flow more than the longest window behind the stream as arriving exactly that late', () => {
    const windows = new SourceWindows(BOTH);
    windows.observe(flow('a', 3600));
    windows.observe(flow('b', 0)); // an hour late: counted at 3600 − 600 = 3000 s
    const row = windows.observe(flow('b', 3030));
    expect(row.src_conn_count_10m).toBe(2);
    expect(row.src_iat_mean_s_10m).toBe(30);
  });

  it('gives a beacon every 60 s a mean gap of exactly 60 s and a CV of exactly 0', () => {
    const windows = new SourceWindows(TEN_MINUTES);
    const rows = Array.from({ length: 31 }, (_, k) => windows.observe(flow('beacon', k * 60)));
    for (const row of rows.slice(2)) {
      expect(row.src_iat_mean_s_10m).toBe(60);
      expect(row.src_iat_cv_10m).toBe(0);
    }
    // At 1800 s the window is buckets 13–18 (1300–1900 s): the flows at 1320 … 1800 s.
    expect(rows[30].src_conn_count_10m).toBe(9);
    expect(rows[1]).toMatchObject({ src_iat_mean_s_10m: 60, src_iat_cv_10m: null });
  });

  it('gives irregular gaps their population CV', () => {
    const windows = new SourceWindows(TEN_MINUTES);
    for (const s of [0, 20, 60]) windows.observe(flow('a', s));
    const row = windows.observe(flow('a', 120)); // gaps 20, 40, 60 s
    expect(row.src_iat_mean_s_10m).toBe(40);
    expect(row.src_iat_cv_10m).toBeCloseTo(Math.sqrt(800 / 3) / 40, 15); // variance (400 + 0 + 400) / 3
  });

  it('shares failed connections: REJ and S0 count, SF and S1 do not', () => {
    const windows = new SourceWindows(ONE_MINUTE);
    const event = (second: number, conn_state: NetworkEvent['conn_state']): NetworkEvent => ({
      ts: T0 + second * 1000,
      sensor_id: 's',
      src_ip: '10.0.0.1',
      dst_ip: '10.0.0.2',
      src_port: 40000 + second,
      dst_port: 22,
      protocol: 'tcp',
      bytes_in: 40,
      bytes_out: 60,
      packets_in: 1,
      packets_out: 1,
      duration_ms: 1,
      conn_state,
    });
    const rows = (['REJ', 'SF', 'S0', 'S1'] as const).map((state, i) => windows.observe(flowObservation(event(i, state))));
    expect(rows.map((r) => r.src_failed_share_1m)).toEqual([1, 0.5, 2 / 3, 0.5]);
    expect(eventTimeMs(event(3, 'S1'))).toBe(T0 + 3000);
  });

  it('leaves the bytes-out share empty while the window has carried no bytes', () => {
    const windows = new SourceWindows(ONE_MINUTE);
    expect(windows.observe(flow('a', 0, { bytesIn: 0, bytesOut: 0 })).src_bytes_out_share_1m).toBeNull();
    expect(windows.observe(flow('a', 1, { bytesIn: 100, bytesOut: 300 })).src_bytes_out_share_1m).toBe(0.75);
  });

  it('keeps sources apart: interleaving another source changes nothing', () => {
    const alone = new SourceWindows(BOTH);
    const mixed = new SourceWindows(BOTH);
    for (let k = 0; k < 40; k++) {
      const a = flow('a', k * 17, { dstPort: k % 3, failed: k % 4 === 0 });
      mixed.observe(flow('b', k * 17 - 5, { dstIp: `10.8.0.${k}`, bytesIn: 0, bytesOut: 0, small: true }));
      expect(mixed.observe(a)).toEqual(alone.observe(a));
    }
    expect(mixed.sources).toBe(2);
  });

  it('refuses observations that would break exact integer sums', () => {
    const windows = new SourceWindows(ONE_MINUTE);
    expect(() => windows.observe(flow('a', 0, { tsMs: T0 + 0.5 }))).toThrow(RangeError);
    expect(() => windows.observe(flow('a', 0, { tsMs: Number.NaN }))).toThrow(RangeError);
    expect(() => windows.observe(flow('a', 0, { bytesIn: -1 }))).toThrow(RangeError);
    expect(windows.sources).toBe(0);
  });
});

describe('SourceWindows eviction of idle sources', () => {
  it('drops sources idle for two longest windows, which bounds the state and changes no feature', () => {
    const windows = new SourceWindows(BOTH);
    for (let i = 0; i < 300; i++) windows.observe(flow(`idle-${i}`, i / 100));
    const busyRows: WindowFeatures[] = [];
    for (let s = 60; s <= 1200; s += 60) busyRows.push(windows.observe(flow('busy', s)));
    expect(windows.sources).toBe(301);
    // Past 2 × 600 s (+ one 100 s sweep period) after their last flow, the idle sources are gone.
    for (let s = 1260; s <= 1320; s += 60) busyRows.push(windows.observe(flow('busy', s)));
    expect(windows.sources).toBe(1);

    // The busy source's features are those of a stream that never had the idle sources,
    const busyOnly = new SourceWindows(BOTH);
    const expected = busyRows.map((_, i) => busyOnly.observe(flow('busy', 60 * (i + 1))));
    expect(busyRows).toEqual(expected);
    // and a returning source starts afresh, exactly as it would have had it been kept.
    const back = windows.observe(flow('idle-7', 1330));
    expect(back).toEqual(new SourceWindows(BOTH).observe(flow('idle-7', 1330)));
  });
});

describe('SourceWindows snapshots', () => {
  const stream = (): FlowObservation[] =>
    Array.from({ length: 200 }, (_, i) => flow(`10.0.0.${i % 13}`, i * 7, { dstIp: `10.9.0.${i % 5}`, dstPort: (i * 31) % 7, failed: i % 3 === 0, small: i % 2 === 0 }));

  it('writes the same bytes for the same state, whatever order sources were first seen in', () => {
    const flows = stream();
    // The same flows, except that two sources first show up in the opposite order.
    const b = new SourceWindows(BOTH);
    const c = new SourceWindows(BOTH);
    for (const f of [flow('x', 0), flow('y', 0), ...flows, flow('x', 1500), flow('y', 1500)]) b.observe(f);
    for (const f of [flow('y', 0), flow('x', 0), ...flows, flow('y', 1500), flow('x', 1500)]) c.observe(f);
    expect(b.snapshot().equals(c.snapshot())).toBe(true);
    expect(b.snapshot().equals(b.snapshot())).toBe(true);
    expect(SourceWindows.restore(BOTH, b.snapshot()).snapshot().equals(b.snapshot())).toBe(true);
  });

  it('goes on after a restore exactly as without it', () => {
    const flows = stream();
    const straight = new SourceWindows(BOTH);
    let restored = new SourceWindows(BOTH);
    flows.forEach((f, i) => {
      const expected = straight.observe(f);
      expect(restored.observe(f)).toEqual(expected);
      if (i % 50 === 49) restored = SourceWindows.restore(BOTH, restored.snapshot());
    });
    expect(restored.sources).toBe(straight.sources);
  });

  it('restores an empty state', () => {
    const restored = SourceWindows.restore(BOTH, new SourceWindows(BOTH).snapshot());
    expect(restored.sources).toBe(0);
    expect(restored.observe(flow('a', 0))).toEqual(new SourceWindows(BOTH).observe(flow('a', 0)));
  });

  it('refuses a snapshot made with other window specs', () => {
    const bytes = new SourceWindows(BOTH).snapshot();
    const others: WindowSpec[][] = [
      windowSpecs([60_000]),
      windowSpecs([600_000, 60_000]),
      [BOTH[0], { name: '10m', lengthMs: 600_000, bucketMs: 60_000 }],
      [...BOTH, ...windowSpecs([3_600_000])],
    ];
    for (const windows of others) {
      expect(() => SourceWindows.restore(windows, bytes)).toThrow(WindowSnapshotError);
      expect(() => SourceWindows.restore(windows, bytes)).toThrow(/snapshot was made with windows \[1m=60000ms\/10000ms, 10m=600000ms\/100000ms\]/);
    }
  });

  it('refuses a snapshot of another feature version, and bytes that are no snapshot', () => {
    const raw = inflateSync(new SourceWindows(BOTH).snapshot());
    const w0 = deflateSync(Buffer.from(raw.toString('latin1').replace('\u0002w1', '\u0002w0'), 'latin1'));
    expect(() => SourceWindows.restore(BOTH, w0)).toThrow(/features w0, this build computes w1/);
    expect(() => SourceWindows.restore(BOTH, Buffer.from('not a snapshot'))).toThrow(WindowSnapshotError);
    expect(() => SourceWindows.restore(BOTH, deflateSync(raw.subarray(0, raw.length - 3)))).toThrow(WindowSnapshotError);
  });
});
