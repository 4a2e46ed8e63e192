import { mulberry32 } from '@flowsentry/ml';
import { FlowObservation, SourceWindows, WindowFeatures, windowFeatureColumns } from './source-windows';
import { WindowSpec, windowSpecs } from './window-spec';

/**
 * Replays a random stream through SourceWindows and checks every feature of every flow, bit for
 * bit, against a model that keeps every flow forever and recomputes each window from scratch,
 * and against runs cut by snapshot/restore. If running totals drifted, eviction lost a source's
 * history, or a restore rebuilt state differently, some value would differ.
 */
const T0 = Date.UTC(2026, 10, 30, 8);
const WINDOWS: WindowSpec[] = [...windowSpecs([60_000, 600_000]), { name: '45s', lengthMs: 45_000, bucketMs: 15_000 }];
const COLUMNS = windowFeatureColumns(WINDOWS);


/**
 * ~20k flows from 400 sources over ~2 hours of event time. Sources come and go (so idle ones are
 * evicted and some come back), most flows are a few seconds out of order, a few are up to 25
 * minutes late (beyond the longest window), there are two long silences (every window empties at
 * once), and destinations repeat within small per-source sets with the odd scan-like spread.
 */
function randomStream(seed: number, count: number): FlowObservation[] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const flows: FlowObservation[] = [];
  let t = T0;
  for (let i = 0; i < count; i++) {
    t += Math.floor(-Math.log(1 - rand()) * 300);
    if (i === Math.floor(count / 3) || i === Math.floor((2 * count) / 3)) t += 40 * 60_000;
    // The active population drifts: the source id is drawn around a centre that moves with i.
    const centre = Math.floor((i / count) * 300);
    const s = rand() < 0.8 ? centre + Math.floor(rand() * 100) : Math.floor(rand() * 400);
    const late = rand();
    const lateness = late < 0.9 ? Math.floor(rand() * 5_000) : late < 0.99 ? Math.floor(rand() * 90_000) : Math.floor(rand() * 25 * 60_000);
    const scan = s % 50 === 0;
    const both = rand();
    const bytesIn = both < 0.05 ? 0 : Math.floor(rand() * 5_000);
    const bytesOut = both < 0.05 ? 0 : Math.floor(rand() * 2_000);
    flows.push({
      srcIp: `10.0.${s >> 8}.${s & 255}`,
      tsMs: t - lateness,
      dstIp: scan ? `172.16.${Math.floor(rand() * 4)}.${Math.floor(rand() * 256)}` : `172.16.9.${(s + Math.floor(rand() * 5)) % 256}`,
      dstPort: scan ? Math.floor(rand() * 1024) : pick([22, 53, 80, 443, 8080]),
      failed: rand() < (scan ? 0.8 : 0.05),
      bytesIn,
      bytesOut,
      small: bytesIn + bytesOut < 256,
    });
  }
  return flows;
}

interface Kept {
  time: number;
  flow: FlowObservation;
  gapMs: number | null;
}

/** The semantics written out the slow way: keep everything, filter each window, recount. */
function referenceFeatures(windows: WindowSpec[], flows: FlowObservation[]): WindowFeatures[] {
  const horizon = Math.max(...windows.map((w) => w.lengthMs));
  const history = new Map<string, Kept[]>();
  let watermark = -Infinity;
  return flows.map((flow) => {
    watermark = Math.max(watermark, flow.tsMs);
    const kept = history.get(flow.srcIp) ?? [];
    history.set(flow.srcIp, kept);
    const previous = kept.length > 0 ? kept[kept.length - 1].time : undefined;
    const time = Math.max(flow.tsMs, watermark - horizon, previous ?? -Infinity);
    const gapMs = previous !== undefined && time - previous <= horizon ? time - previous : null;
    kept.push({ time, flow, gapMs });
    const row: WindowFeatures = {};
    for (const w of windows) {
      const head = Math.floor(time / w.bucketMs);
      const inside = kept.filter((k) => Math.floor(k.time / w.bucketMs) > head - w.lengthMs / w.bucketMs);
      const gaps = inside.flatMap((k) => (k.gapMs === null ? [] : [k.gapMs]));
      const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
      const bytesIn = sum(inside.map((k) => k.flow.bytesIn));
      const bytesOut = sum(inside.map((k) => k.flow.bytesOut));
      const gapSum = sum(gaps);
      const gapSquares = sum(gaps.map((g) => g * g));
      row[`src_conn_count_${w.name}`] = inside.length;
      row[`src_distinct_dst_hosts_${w.name}`] = new Set(inside.map((k) => k.flow.dstIp)).size;
      row[`src_distinct_dst_ports_${w.name}`] = new Set(inside.map((k) => k.flow.dstPort)).size;
      row[`src_failed_share_${w.name}`] = inside.filter((k) => k.flow.failed).length / inside.length;
      row[`src_bytes_out_share_${w.name}`] = bytesIn + bytesOut === 0 ? null : bytesOut / (bytesIn + bytesOut);
      row[`src_small_flow_share_${w.name}`] = inside.filter((k) => k.flow.small).length / inside.length;
      row[`src_iat_mean_s_${w.name}`] = gaps.length === 0 ? null : gapSum / gaps.length / 1000;
      row[`src_iat_cv_${w.name}`] = gaps.length < 2 || gapSum === 0 ? null : Math.sqrt(gaps.length * gapSquares - gapSum * gapSum) / gapSum;
    }
    return row;
  });
}

/** Feeds the flows in batches; after each batch the state goes through snapshot bytes, as after a crash. */
function runWithRestores(flows: FlowObservation[], batch: number): { rows: WindowFeatures[]; snapshots: Buffer[] } {
  let windows = new SourceWindows(WINDOWS);
  const rows: WindowFeatures[] = [];
  const snapshots: Buffer[] = [];
  for (let i = 0; i < flows.length; i += batch) {
    for (const flow of flows.slice(i, i + batch)) rows.push(windows.observe(flow));
    const bytes = windows.snapshot();
    snapshots.push(bytes);
    windows = SourceWindows.restore(WINDOWS, bytes);
  }
  return { rows, snapshots };
}

function firstDifference(actual: WindowFeatures[], expected: WindowFeatures[]): string | undefined {
  if (actual.length !== expected.length) return `${actual.length} rows instead of ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    if (Object.keys(actual[i]).join() !== COLUMNS.join()) return `flow ${i}: columns ${Object.keys(actual[i]).join()}`;
    for (const c of COLUMNS) {
      if (!Object.is(actual[i][c], expected[i][c])) return `flow ${i} ${c}: ${actual[i][c]} instead of ${expected[i][c]}`;
    }
  }
  return undefined;
}

describe('SourceWindows over a random stream of 20k flows and 400 sources', () => {
  const flows = randomStream(20261130, 20_000);
  const uninterrupted = new SourceWindows(WINDOWS);
  const rows: WindowFeatures[] = [];
  const snapshotsEvery1000: Buffer[] = [];
  let maxSources = 0;
  flows.forEach((flow, i) => {
    rows.push(uninterrupted.observe(flow));
    maxSources = Math.max(maxSources, uninterrupted.sources);
    if ((i + 1) % 1000 === 0) snapshotsEvery1000.push(uninterrupted.snapshot());
  });

  it('exercises what it claims to: late flows past the horizon, silences, idle sources coming back', () => {
    let watermark = -Infinity;
    let beyondHorizon = 0;
    for (const f of flows) {
      if (f.tsMs < watermark - 600_000) beyondHorizon += 1;
      watermark = Math.max(watermark, f.tsMs);
    }
    expect(beyondHorizon).toBeGreaterThan(50);
    expect(new Set(flows.map((f) => f.srcIp)).size).toBe(400);
    expect(maxSources).toBeLessThan(400);
    expect(rows.some((r) => r.src_bytes_out_share_1m === null)).toBe(true);
    expect(rows.some((r) => typeof r.src_iat_cv_10m === 'number' && r.src_iat_cv_10m > 0)).toBe(true);
  });

  it('equals a from-scratch recount of every window for every flow, bit for bit', () => {
    expect(firstDifference(rows, referenceFeatures(WINDOWS, flows))).toBeUndefined();
  });

  it('gives bit-identical features when the state is snapshotted and restored after every batch', () => {
    for (const batch of [1000, 337]) {
      expect(firstDifference(runWithRestores(flows, batch).rows, rows)).toBeUndefined();
    }
  });

  it('gives bit-identical features when restored after every single flow', () => {
    const prefix = flows.slice(0, 1500);
    expect(firstDifference(runWithRestores(prefix, 1).rows, rows.slice(0, 1500))).toBeUndefined();
  });

  it('writes the same snapshot bytes from restored state as from the uninterrupted run', () => {
    const { snapshots } = runWithRestores(flows, 1000);
    expect(snapshots).toHaveLength(snapshotsEvery1000.length);
    snapshots.forEach((bytes, i) => expect(bytes.equals(snapshotsEvery1000[i])).toBe(true));
  });
});
