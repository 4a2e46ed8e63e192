import { createHash } from 'node:crypto';
import os from 'node:os';
import { ColumnarTable, ColumnData, readParquet, writeParquet } from '../../libs/storage/src/parquet';

/**
 * SILVER Parquet benchmark (not a test): writes and reads a flow-features-shaped table of 45
 * columns (1 timestamp, 4 strings, 3 int64, 1 int32, 1 bool, 35 doubles; ~1% nulls) with
 * libs/storage's DuckDB writer. Cells are the best of `repeats` runs with the median in brackets,
 * and the median CPU time of all threads: the machine is shared and its speed drifts.
 * Usage: node --max-old-space-size=6144 --import tsx bench/storage/parquet-write.ts [rows...]   (default 100000 1000000)
 */
const sizes = process.argv.slice(2).map(Number);
const ROWS = sizes.length > 0 ? sizes : [100_000, 1_000_000];

function featureTable(rows: number): ColumnarTable {
  let state = 0x5eed;
  const random = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const column = <T>(name: string, type: ColumnData['type'], value: (row: number) => T): ColumnData => {
    const values = new Array<T | null>(rows);
    for (let r = 0; r < rows; r++) values[r] = random() < 0.01 ? null : value(r);
    return { name, type, values: values as ColumnData['values'] };
  };
  const hex = (n: number, width: number): string => Math.floor(n).toString(16).padStart(width, '0');
  const columns: ColumnData[] = [
    column('event_time', 'timestamp_ms', (r) => 1_767_225_600_000 + r * 7 + Math.floor(random() * 5)),
    column('event_id', 'utf8', () => `${hex(random() * 2 ** 32, 8)}-${hex(random() * 2 ** 16, 4)}-4${hex(random() * 2 ** 12, 3)}-${hex(random() * 2 ** 16, 4)}-${hex(random() * 2 ** 48, 12)}`),
    column('src_ip', 'utf8', () => `10.${Math.floor(random() * 4)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`),
    column('dst_ip', 'utf8', () => `192.168.${Math.floor(random() * 16)}.${Math.floor(random() * 256)}`),
    column('protocol', 'utf8', () => ['tcp', 'udp', 'icmp'][Math.floor(random() * 3)]),
    column('bytes_in', 'int64', () => Math.floor(-Math.log(random()) * 50_000)),
    column('bytes_out', 'int64', () => Math.floor(-Math.log(random()) * 20_000)),
    column('kafka_offset', 'int64', (r) => 1_000_000_000 + r),
    column('dst_port', 'int32', () => (random() < 0.7 ? [80, 443, 53, 22][Math.floor(random() * 4)] : Math.floor(random() * 65_536))),
    column('is_internal', 'bool', () => random() < 0.4),
  ];
  for (let f = 0; f < 35; f++) {
    // Alternating kinds as in real flow features: small counts, heavy-tailed rates, bounded ratios.
    const kind = f % 3;
    columns.push(column(`feature_${String(f).padStart(2, '0')}`, 'double', () => (kind === 0 ? Math.floor(-Math.log(random()) * 10) : kind === 1 ? -Math.log(random()) * 1e4 : random())));
  }
  return { rowCount: rows, columns };
}

/** Wall seconds, best (median), then the median CPU seconds of all threads: the CPU figure moves less when the machine is busy. */
async function timed(repeats: number, fn: () => Promise<unknown>): Promise<string> {
  const seconds: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(startCpu);
    seconds.push((performance.now() - start) / 1000);
    cpu.push((used.user + used.system) / 1e6);
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return `${Math.min(...seconds).toFixed(2)} s (${median(seconds).toFixed(2)}), cpu ${median(cpu).toFixed(2)} s`;
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  for (const rows of ROWS) {
    const table = featureTable(rows);
    const repeats = rows >= 1_000_000 ? 3 : 5;
    await writeParquet({ rowCount: 10, columns: table.columns.map((c) => ({ ...c, values: Array.from(c.values).slice(0, 10) })) });
    for (const compression of ['zstd', 'snappy', 'uncompressed'] as const) {
      if (rows >= 1_000_000 && compression !== 'zstd') continue;
      let bytes: Buffer = Buffer.alloc(0);
      const write = await timed(repeats, async () => {
        bytes = await writeParquet(table, { compression });
      });
      const sha = createHash('sha256').update(bytes).digest('hex').slice(0, 12);
      console.log(`write ${rows} rows × ${table.columns.length} cols ${compression.padEnd(12)} ${write}  ${(bytes.length / 1e6).toFixed(1)} MB  sha256 ${sha}`);
      if (compression === 'zstd') {
        console.log(`read  ${rows} rows, all columns                 ${await timed(repeats, () => readParquet(bytes))}`);
        console.log(`read  ${rows} rows, 3 columns                   ${await timed(repeats, () => readParquet(bytes, { columns: ['event_time', 'src_ip', 'feature_01'] }))}`);
      }
    }
  }
}

void main();
