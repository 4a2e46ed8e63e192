import { createHash } from 'node:crypto';
import os from 'node:os';
import type { NetworkEvent } from '../../libs/contracts/src';
import { ColumnarTable, writeParquet } from '../../libs/storage/src';
import { cleanLines, CleanFlow } from '../../services/transform/src/clean-flows';
import { BatchQuality, nullRatios, silverStatistics } from '../../services/transform/src/quality-statistics';
import { silverTable, SilverSource } from '../../services/transform/src/silver-table';
import { windowFeatureColumns, windowSpecs } from '../../services/transform/src/windows';
import { mulberry32 } from '@flowsentry/ml';

/**
 * Micro-benchmark of the SILVER build of one RAW batch (not a test): silverTable, writeParquet,
 * silverStatistics + JSON.stringify and nullRatios for a 5,000-row batch of producer-like flows
 * (ISO timestamps, event ids, optional tcp_flags/app_proto/label, heavy-tailed counters) and
 * 1m + 10m window feature rows (a row-major matrix) under the real column names with plausible values and nulls
 * (made up here rather than computed by SourceWindows: what is measured only reads them). Each
 * part is reported as µs per row, median of `rounds` runs after a warm-up, plus the sizes and
 * sha256 of what was written. The transform targets 100k rows/s: 10 µs per row for everything.
 * Usage: node --import tsx bench/transform/silver-table.ts [rows=5000] [rounds=40]
 */

export interface SilverBatch {
  flows: CleanFlow[];
  /** Row-major window features, NaN for no value. */
  windows: Float64Array;
  windowColumns: string[];
  source: SilverSource;
  quality: BatchQuality;
}


const CONN_STATES = ['SF', 'SF', 'SF', 'SF', 'S0', 'REJ', 'RSTO', 'RSTR', 'SH', 'OTH'] as const;
const APP_PROTOS = ['http', 'ssl', 'dns', 'ssh', 'smtp'];

/** `rows` NetworkEvents of a busy sensor over ~`rows / 50` seconds, decoded and cleaned as the transform does. */
export function silverBatch(rows: number, seed = 7): SilverBatch {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const start = Date.UTC(2026, 10, 30, 12);
  const hex = (n: number, width: number): string => Math.floor(n).toString(16).padStart(width, '0');
  const lines: Buffer[] = [];
  for (let i = 0; i < rows; i++) {
    const src = Math.floor(rand() * 300);
    const scanner = src % 61 === 0;
    const protocol = rand() < 0.75 ? 'tcp' : rand() < 0.9 ? 'udp' : 'icmp';
    const packetsIn = 1 + Math.floor(-Math.log(rand()) * 12);
    const packetsOut = Math.floor(-Math.log(rand()) * 9);
    const event: NetworkEvent = {
      event_id: `${hex(rand() * 2 ** 32, 8)}-${hex(rand() * 2 ** 16, 4)}-4${hex(rand() * 2 ** 12, 3)}-${hex(rand() * 2 ** 16, 4)}-${hex(rand() * 2 ** 48, 12)}`,
      ts: new Date(start + i * 20 + Math.floor(rand() * 400)).toISOString(),
      sensor_id: `sensor-${src % 4}`,
      src_ip: `10.${src >> 8}.${src & 255}.${10 + (src % 7)}`,
      dst_ip: scanner ? `172.16.${Math.floor(rand() * 8)}.${Math.floor(rand() * 256)}` : `172.16.0.${(src * 7 + Math.floor(rand() * 4)) % 256}`,
      src_port: 32768 + Math.floor(rand() * 28232),
      dst_port: scanner ? Math.floor(rand() * 65536) : pick([443, 443, 80, 53, 22]),
      protocol,
      bytes_in: packetsIn * (40 + Math.floor(rand() * 1400)),
      bytes_out: packetsOut * (40 + Math.floor(rand() * 600)),
      packets_in: packetsIn,
      packets_out: packetsOut,
      duration_ms: Math.round(-Math.log(rand()) * 800 * 1000) / 1000,
    };
    if (protocol === 'tcp') event.tcp_flags = pick(['SA', 'SAF', 'SAFP', 'S', 'R', 'SAR']);
    if (protocol !== 'icmp') event.conn_state = pick(CONN_STATES);
    if (rand() < 0.6) event.app_proto = pick(APP_PROTOS);
    if (rand() < 0.95) event.label = scanner ? 'portscan' : 'benign';
    lines.push(Buffer.from(JSON.stringify(event)));
  }
  const cleaned = cleanLines(lines);
  const windowColumns = windowFeatureColumns(windowSpecs([60_000, 600_000]));
  const seen = new Map<string, number>();
  // Row-major, NaN for no value: what BehaviourWindows.observeInto hands silverTable.
  const windows = new Float64Array(cleaned.flows.length * windowColumns.length);
  cleaned.flows.forEach((f, i) => {
    const flowsBefore = seen.get(f.event.src_ip) ?? 0;
    seen.set(f.event.src_ip, flowsBefore + 1);
    for (let c = 0; c < windowColumns.length; c++) {
      const feature = c % 8;
      const count = 1 + Math.min(flowsBefore, Math.floor(rand() * (c < 8 ? 12 : 90)));
      windows[i * windowColumns.length + c] =
        feature === 0 ? count
        : feature <= 2 ? 1 + Math.floor(rand() * count)
        : feature === 4 ? (rand() < 0.02 ? NaN : rand())
        : feature <= 5 ? Math.floor(rand() * count) / count
        : feature === 6 ? (count < 2 ? NaN : -Math.log(rand()) * 3)
        : count < 3 ? NaN : rand() * 2;
    }
  });
  return {
    flows: cleaned.flows,
    windows,
    windowColumns,
    source: { topic: 'network.events', partition: 2, firstOffset: '123456789', lastOffset: String(123456789 + rows - 1) },
    quality: { inputRows: rows, duplicates: 0, dropped: cleaned.dropped },
  };
}

export interface SilverImplementation {
  silverTable: typeof silverTable;
  silverStatistics: typeof silverStatistics;
  nullRatios: typeof nullRatios;
}

export type PartTimes = Record<'silverTable' | 'writeParquet' | 'statistics' | 'nullRatios' | 'total', number>;

/** One pass of the SILVER build, in ms per part, and what it wrote. */
export async function silverPass(impl: SilverImplementation, batch: SilverBatch): Promise<{ ms: PartTimes; parquet: Buffer; statistics: string; table: ColumnarTable }> {
  const t0 = performance.now();
  const table = impl.silverTable(batch.flows, batch.windows, batch.windowColumns, batch.source);
  const t1 = performance.now();
  const parquet = await writeParquet(table);
  const t2 = performance.now();
  const statistics = JSON.stringify(impl.silverStatistics(table, batch.quality));
  const t3 = performance.now();
  impl.nullRatios(table);
  const t4 = performance.now();
  return { ms: { silverTable: t1 - t0, writeParquet: t2 - t1, statistics: t3 - t2, nullRatios: t4 - t3, total: t4 - t0 }, parquet, statistics, table };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

async function main(): Promise<void> {
  const rows = Number(process.argv[2] ?? 5000);
  const rounds = Number(process.argv[3] ?? 40);
  console.log(`${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${rows} rows, ${rounds} rounds`);
  const batch = silverBatch(rows);
  const impl = { silverTable, silverStatistics, nullRatios };
  for (let i = 0; i < 5; i++) await silverPass(impl, batch);
  const times: PartTimes[] = [];
  let last: Awaited<ReturnType<typeof silverPass>> | undefined;
  for (let i = 0; i < rounds; i++) {
    last = await silverPass(impl, batch);
    times.push(last.ms);
  }
  const n = batch.flows.length;
  for (const part of Object.keys(times[0]!) as (keyof PartTimes)[]) {
    console.log(`${part.padEnd(13)} ${((median(times.map((t) => t[part])) * 1000) / n).toFixed(2).padStart(7)} µs/row`);
  }
  console.log(`parquet ${last!.parquet.length} B sha256 ${sha256(last!.parquet).slice(0, 16)}; statistics.json ${last!.statistics.length} B`);
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
