import { deflateSync, inflateSync } from 'node:zlib';
import { COUNT, Destination, FAILED, GAPS, SMALL, SourceState, SUMS, type WindowLayout } from './source-state';
import { describeWindowSpecs, sameWindowSpecs, type WindowSpec } from './window-spec';

/**
 * The checkpoint of a SourceWindows, stored with each batch so that a restarted transform goes on
 * exactly where the last committed batch left off. Layout (before deflate):
 *
 *   "FSWS" u8:format  str:featureVersion  varuint:windows { str:name varuint:lengthMs varuint:bucketMs }
 *   f64:watermark  varuint:sources
 *   per source, sorted by src_ip:  str:srcIp f64:last
 *     varuint:hosts { str:host varuint:last−hostLast }     sorted by host
 *     varuint:ports { varuint:port varuint:last−portLast }  sorted by port
 *     per window, in spec order:   varuint:nonEmptyBuckets
 *       per bucket, oldest first:  varuint:age (head − bucket)  8 × varuint:sums
 *                                  varuint:n { varuint:host index }  ascending (first sightings)
 *                                  varuint:n { varuint:port index }  ascending
 *
 * Running totals, distinct counters and per-destination window counts are rebuilt from this on
 * restore (exact: integer sums and counts), and each window's head is floor(last / bucketMs).
 * Sorting every collection makes the bytes a function of the state alone, not of insertion
 * history, and deflate is deterministic for a given input and level.
 */
const MAGIC = 'FSWS';
const FORMAT = 1;
/** Fastest level: the checkpoint is written every batch, and level 6 halves its speed for ~6% fewer bytes. */
const DEFLATE_LEVEL = 1;

export class WindowSnapshotError extends Error {
  override readonly name = 'WindowSnapshotError';
  /** A snapshot does not become readable by retrying; the stream must be replayed instead. */
  readonly retriable = false;
}

export function encodeWindowSnapshot(
  windows: readonly WindowSpec[],
  layouts: readonly WindowLayout[],
  featureVersion: string,
  watermark: number,
  sources: ReadonlyMap<string, SourceState>,
): Buffer {
  const out = new ByteWriter();
  out.ascii(MAGIC);
  out.u8(FORMAT);
  out.string(featureVersion);
  out.varuint(windows.length);
  for (const w of windows) {
    out.string(w.name);
    out.varuint(w.lengthMs);
    out.varuint(w.bucketMs);
  }
  out.f64(watermark);
  const ips = [...sources.keys()].sort();
  out.varuint(ips.length);
  const hosts: Destination[] = [];
  const ports: Destination[] = [];
  const indices: number[] = [];
  for (const ip of ips) {
    const source = sources.get(ip) as SourceState;
    out.string(ip);
    out.f64(source.last);
    hosts.length = ports.length = 0;
    for (const d of source.destinations.values()) (typeof d.key === 'string' ? hosts : ports).push(d);
    hosts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    ports.sort((a, b) => (a.key as number) - (b.key as number));
    out.varuint(hosts.length);
    hosts.forEach((h, i) => {
      out.string(h.key as string);
      out.varuint(source.last - h.last);
      h.mark = i;
    });
    out.varuint(ports.length);
    ports.forEach((p, i) => {
      out.varuint(p.key as number);
      out.varuint(source.last - p.last);
      p.mark = i;
    });
    for (const layout of layouts) {
      let live = 0;
      layout.forEachBucket(source, () => (live += 1));
      out.varuint(live);
      layout.forEachBucket(source, (age, at, queue, from, to) => {
        out.varuint(age);
        for (let k = 0; k < SUMS; k++) out.varuint(source.state[at + k]);
        indices.length = 0;
        for (let i = from; i < to; i++) if (typeof queue[i].key === 'string') indices.push(queue[i].mark);
        writeAscending(out, indices);
        indices.length = 0;
        for (let i = from; i < to; i++) if (typeof queue[i].key === 'number') indices.push(queue[i].mark);
        writeAscending(out, indices);
      });
    }
  }
  return deflateSync(out.bytes(), { level: DEFLATE_LEVEL });
}

export function decodeWindowSnapshot(
  windows: readonly WindowSpec[],
  layouts: readonly WindowLayout[],
  featureVersion: string,
  bytes: Buffer,
): { watermark: number; sources: Map<string, SourceState> } {
  let raw: Buffer;
  try {
    raw = inflateSync(bytes);
  } catch (err) {
    throw new WindowSnapshotError(`not a window snapshot (inflate failed: ${(err as Error).message})`);
  }
  const r = new ByteReader(raw);
  if (r.ascii(MAGIC.length) !== MAGIC) throw new WindowSnapshotError('not a window snapshot (bad magic)');
  const format = r.u8();
  if (format !== FORMAT) throw new WindowSnapshotError(`snapshot format ${format} is not the supported ${FORMAT}`);
  const version = r.string();
  if (version !== featureVersion) {
    throw new WindowSnapshotError(`snapshot holds window features ${version}, this build computes ${featureVersion}: replay the stream instead of restoring`);
  }
  const stored: WindowSpec[] = [];
  for (let i = r.varuint(); i > 0; i--) stored.push({ name: r.string(), lengthMs: r.varuint(), bucketMs: r.varuint() });
  if (!sameWindowSpecs(stored, windows)) {
    throw new WindowSnapshotError(
      `snapshot was made with windows [${describeWindowSpecs(stored)}], not [${describeWindowSpecs(windows)}]: replay the stream instead of restoring`,
    );
  }
  const watermark = r.f64();
  const sources = new Map<string, SourceState>();
  const sums: number[] = new Array<number>(SUMS).fill(0);
  const sightings: Destination[] = [];
  for (let s = r.varuint(); s > 0; s--) {
    const ip = r.string();
    const last = r.f64();
    const corrupt = (what: string): WindowSnapshotError => new WindowSnapshotError(`corrupt snapshot: ${what} of source ${ip}`);
    if (!Number.isSafeInteger(last) || !(last <= watermark) || sources.has(ip)) throw corrupt('latest time');
    const source = new SourceState(last, layouts);
    const hosts: Destination[] = [];
    for (let n = r.varuint(); n > 0; n--) hosts.push(new Destination(r.string(), last - r.varuint()));
    const ports: Destination[] = [];
    for (let n = r.varuint(); n > 0; n--) ports.push(new Destination(r.varuint(), last - r.varuint()));
    // Each window holding a destination must list it in the bucket of its latest sighting, or
    // that bucket's eviction would never let it leave the window: count those listings in `mark`.
    layouts.forEach((layout, w) => {
      layout.restoreHead(source);
      const head = layout.head(source);
      let previousAge = layout.buckets;
      for (let k = r.varuint(); k > 0; k--) {
        const age = r.varuint();
        if (age >= previousAge) throw corrupt(`bucket age ${age} in window ${windows[w].name}`);
        previousAge = age;
        for (let k = 0; k < SUMS; k++) sums[k] = r.varuint();
        const count = sums[COUNT];
        if (count === 0 || sums[FAILED] > count || sums[SMALL] > count || sums[GAPS] > count) throw corrupt(`bucket sums in window ${windows[w].name}`);
        sightings.length = 0;
        readIndices(r, hosts, sightings, corrupt);
        readIndices(r, ports, sightings, corrupt);
        for (const d of sightings) if (Math.floor(d.last / layout.bucketMs) === head - age) d.mark += 1;
        layout.restoreBucket(source, age, sums, sightings);
      }
    });
    for (const table of [hosts, ports]) {
      for (const d of table) {
        for (const layout of layouts) layout.restoreDestination(source, d);
        if (d.windows === 0 || d.windows !== d.mark) throw corrupt(`destination ${d.key}`);
        source.destinations.set(d.key, d);
      }
    }
    sources.set(ip, source);
  }
  if (!r.done()) throw new WindowSnapshotError('corrupt snapshot: trailing bytes');
  return { watermark, sources };
}

function writeAscending(out: ByteWriter, indices: number[]): void {
  indices.sort((a, b) => a - b);
  out.varuint(indices.length);
  for (let i = 0; i < indices.length; i++) out.varuint(indices[i]);
}

/** Appends the destinations a strictly ascending list of indices into `table` picks. */
function readIndices(r: ByteReader, table: Destination[], into: Destination[], corrupt: (what: string) => WindowSnapshotError): void {
  let previous = -1;
  for (let n = r.varuint(); n > 0; n--) {
    const i = r.varuint();
    if (i >= table.length || i <= previous) throw corrupt('destination index');
    previous = i;
    into.push(table[i]);
  }
}

class ByteWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private at = 0;

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(bigger, 0, 0, this.at);
    this.buf = bigger;
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.at++] = v;
  }

  ascii(s: string): void {
    this.room(s.length);
    this.at += this.buf.write(s, this.at, 'latin1');
  }

  /** LEB128 for integers up to 2^53: 32-bit shifts for the low bits, arithmetic above them. */
  varuint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`cannot encode ${v} as an unsigned varint`);
    this.room(8);
    while (v > 0xffffffff) {
      this.buf[this.at++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    let low = v >>> 0;
    while (low >= 0x80) {
      this.buf[this.at++] = (low & 0x7f) | 0x80;
      low >>>= 7;
    }
    this.buf[this.at++] = low;
  }

  f64(v: number): void {
    this.room(8);
    this.at = this.buf.writeDoubleLE(v, this.at);
  }

  string(s: string): void {
    const length = Buffer.byteLength(s, 'utf8');
    this.varuint(length);
    this.room(length);
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  bytes(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}

class ByteReader {
  private at = 0;

  constructor(private readonly buf: Buffer) {}

  private need(n: number): void {
    if (this.at + n > this.buf.length) throw new WindowSnapshotError('corrupt snapshot: truncated');
  }

  u8(): number {
    this.need(1);
    return this.buf[this.at++];
  }

  ascii(length: number): string {
    this.need(length);
    const s = this.buf.toString('latin1', this.at, this.at + length);
    this.at += length;
    return s;
  }

  varuint(): number {
    const first = this.u8();
    if (first < 0x80) return first;
    let v = first & 0x7f;
    let scale = 0x80;
    for (;;) {
      const byte = this.u8();
      v += (byte & 0x7f) * scale;
      if (byte < 0x80) break;
      scale *= 0x80;
      if (scale >= 2 ** 56) throw new WindowSnapshotError('corrupt snapshot: varint too long');
    }
    if (!Number.isSafeInteger(v)) throw new WindowSnapshotError('corrupt snapshot: varint out of range');
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.at);
    this.at += 8;
    return v;
  }

  string(): string {
    const length = this.varuint();
    this.need(length);
    const s = this.buf.toString('utf8', this.at, this.at + length);
    this.at += length;
    return s;
  }

  done(): boolean {
    return this.at === this.buf.length;
  }
}
