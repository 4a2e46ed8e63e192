import os from 'node:os';
import { FlowObservation, SourceWindows } from '../../services/transform/src/windows/source-windows';
import { windowSpecs } from '../../services/transform/src/windows/window-spec';
import { mulberry32 } from '@flowsentry/ml';

/**
 * SourceWindows.observe throughput: 1M flows from 2000 sources over the 1m and 10m windows, in
 * event-time order with a little jitter (so some flows arrive late), destinations drawn from a few
 * hosts and ports per source, with 1 source in 97 spraying hosts and ports like a scanner.
 *
 * What a flow costs depends on how often its source's buckets slide, i.e. on flows per source per
 * bucket, so the same 1M flows are replayed spread over three event-time spans:
 *   dense   100 s: 5 flows/s per source, as a busy partition at ~10k flows/s sees it;
 *   medium  5 min: 1.7 flows/s per source;
 *   sparse 25 min: a flow every 3 s per source, so nearly every flow opens a new 10 s bucket of
 *                  the 1m window and evicts one: the worst case per flow.
 * The transform targets 100k rows/s, so ≥ 1M flows/s keeps the windows ≤ 10% of its time.
 * Rates are per wall-clock second and per CPU second (what a busy shared machine distorts least).
 * Also reports snapshot size and encode/restore time for the final state.
 * Usage: node --import tsx bench/transform/windows.ts [flows=1000000] [sources=2000]
 */
const FLOWS = Number(process.argv[2] ?? 1_000_000);
const SOURCES = Number(process.argv[3] ?? 2000);
const SPANS: [string, number][] = [
  ['dense', 100_000],
  ['medium', 5 * 60_000],
  ['sparse', 25 * 60_000],
];
const ROUNDS = 5;


function flows(count: number, sources: number, spanMs: number): FlowObservation[] {
  const rand = mulberry32(42);
  const start = Date.UTC(2026, 10, 30, 12);
  const perMs = count / spanMs;
  const srcIps = Array.from({ length: sources }, (_, i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
  const dstIps = Array.from({ length: 5000 }, (_, i) => `172.16.${(i >> 8) & 255}.${i & 255}`);
  const out: FlowObservation[] = [];
  for (let i = 0; i < count; i++) {
    const s = Math.floor(rand() * sources);
    const scanner = s % 97 === 0;
    const bytesIn = Math.floor(rand() * 4000);
    const bytesOut = Math.floor(rand() * 1500);
    out.push({
      srcIp: srcIps[s],
      tsMs: start + Math.floor(i / perMs) - Math.floor(rand() * rand() * 3000),
      dstIp: dstIps[scanner ? Math.floor(rand() * dstIps.length) : (s * 7 + Math.floor(rand() * 4)) % dstIps.length],
      dstPort: scanner ? Math.floor(rand() * 65536) : [443, 80, 53, 22][Math.floor(rand() * 4)],
      failed: rand() < (scanner ? 0.9 : 0.03),
      bytesIn,
      bytesOut,
      small: bytesIn + bytesOut < 256,
    });
  }
  return out;
}

function main(): void {
  const windows = windowSpecs([60_000, 600_000]);
  console.log(`${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${FLOWS} flows, ${SOURCES} sources, windows ${windows.map((w) => w.name).join(' + ')}`);
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  // Warm-up, so that the first scenario is not the one paying for the JIT's tiers.
  let state = new SourceWindows(windows);
  for (const flow of flows(200_000, SOURCES, 20_000)) state.observe(flow);
  for (let i = 0; i < 3; i++) SourceWindows.restore(windows, state.snapshot());
  for (const [name, spanMs] of SPANS) {
    const input = flows(FLOWS, SOURCES, spanMs);
    const wall: number[] = [];
    const cpu: number[] = [];
    let checksum = 0;
    for (let round = 0; round < ROUNDS; round++) {
      state = new SourceWindows(windows);
      checksum = 0;
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      for (const flow of input) checksum += state.observe(flow).src_conn_count_1m as number;
      const seconds = (performance.now() - started) / 1000;
      // user + system CPU, which includes the garbage collector's helper threads.
      const cpuUsed = process.cpuUsage(cpuStart);
      wall.push(FLOWS / seconds);
      cpu.push(FLOWS / ((cpuUsed.user + cpuUsed.system) / 1e6));
    }
    console.log(
      `${name.padEnd(6)} ${String(spanMs / 1000).padStart(5)} s of event time: median ${fmt(median(wall)).padStart(9)} flows/s wall clock (best ${fmt(Math.max(...wall))}), ` +
        `${fmt(median(cpu)).padStart(9)} per CPU second; mean src_conn_count_1m ${(checksum / FLOWS).toFixed(1)}`,
    );
  }

  let started = performance.now();
  const bytes = state.snapshot();
  const encodeMs = performance.now() - started;
  started = performance.now();
  SourceWindows.restore(windows, bytes);
  const restoreMs = performance.now() - started;
  console.log(`snapshot of ${state.sources} sources after the sparse run: ${(bytes.length / 1024).toFixed(0)} KiB, encode ${encodeMs.toFixed(0)} ms, restore ${restoreMs.toFixed(0)} ms`);
}

main();
