import { gzipSync } from 'node:zlib';
import { deterministicId, NetworkEvent, PipelineEventOf, Topics } from '@flowsentry/contracts';
import { StepContext, StepOutcome } from '@flowsentry/runtime';
import type { TransformHandler } from '../../src/transform.handler';
import { sha256Hex } from '@flowsentry/storage';
import { BatchRecord, StreamStore } from '../../src/stream-store';
import { MemoryObjects } from '../../../../test/support/memory-objects';

/** What transform's unit specs share: its state tables and RAW objects in memory, flows and raw.landed events to feed it. */

export type RawLanded = PipelineEventOf<typeof Topics.rawLanded>;

/** transform's state tables in memory, with the same offset and event-time rules as PostgresStreamStore. */
export class FakeStreams implements StreamStore {
  readonly batches = new Map<string, BatchRecord>();
  readonly checkpoints = new Map<string, Buffer>();
  private rows(stream: string, before: string) {
    return [...this.batches.entries()].filter(([k, b]) => k.startsWith(`${stream}|`) && BigInt(b.lastOffset) < BigInt(before)).map(([, b]) => b).sort((a, b) => Number(BigInt(a.lastOffset) - BigInt(b.lastOffset)));
  }
  async lastBatchBefore(stream: string, firstOffset: string) {
    return this.rows(stream, firstOffset).at(-1)?.lastOffset;
  }
  async checkpointBefore(stream: string, firstOffset: string) {
    const found = [...this.checkpoints.entries()].map(([k, state]) => ({ lastOffset: k.split('|')[1]!, state, stream: k.split('|')[0] })).filter((c) => c.stream === stream && BigInt(c.lastOffset) < BigInt(firstOffset));
    found.sort((a, b) => Number(BigInt(b.lastOffset) - BigInt(a.lastOffset)));
    return found[0] && { lastOffset: found[0].lastOffset, state: found[0].state };
  }
  async batchesBetween(stream: string, after: string | undefined, firstOffset: string) {
    return this.rows(stream, firstOffset).filter((b) => BigInt(b.lastOffset) > BigInt(after ?? '-1'));
  }
  async keysSince(stream: string, firstOffset: string, since: number) {
    return this.rows(stream, firstOffset).filter((b) => b.maxTs !== null && b.maxTs >= since).map((b) => ({ maxTs: b.maxTs!, keys: b.keys }));
  }
  async saveBatch(_em: unknown, stream: string, batch: BatchRecord) {
    if (!this.batches.has(`${stream}|${batch.lastOffset}`)) this.batches.set(`${stream}|${batch.lastOffset}`, batch);
  }
  async saveCheckpoint(_em: unknown, stream: string, lastOffset: string, state: Buffer) {
    if (!this.checkpoints.has(`${stream}|${lastOffset}`)) this.checkpoints.set(`${stream}|${lastOffset}`, state);
  }
  async prune() {}
}

export const T0 = Date.UTC(2026, 10, 30, 10, 0, 0);

export function flow(i: number, overrides: Partial<NetworkEvent> = {}): NetworkEvent {
  return {
    event_id: `e-${i}`,
    ts: new Date(T0 + i * 1000).toISOString(),
    sensor_id: 'sensor-1',
    src_ip: `10.0.0.${i % 5}`,
    dst_ip: `192.0.2.${i % 7}`,
    src_port: 40000 + i,
    dst_port: 443,
    protocol: 'tcp',
    bytes_in: 1000 + i,
    bytes_out: 200,
    packets_in: 5,
    packets_out: 4,
    duration_ms: 20,
    conn_state: 'SF',
    ...overrides,
  };
}

export function stores(): { objects: MemoryObjects; streams: FakeStreams } {
  return { objects: new MemoryObjects(), streams: new FakeStreams() };
}

/** Lands `lines` as a RAW object in `s` and returns the raw.landed that names it. */
export function landRaw(s: { objects: MemoryObjects }, first: number, lines: string[], partition = 0): RawLanded {
  const last = first + lines.length - 1;
  const key = `raw/date=2026-11-30/network.events/p${partition}-${first}-${last}.jsonl.gz`;
  const body = gzipSync(Buffer.from(lines.map((l) => `${l}\n`).join('')));
  s.objects.objects.set(key, body);
  return rawLandedFor(key, body, first, last, lines.length, partition);
}

export function rawLandedFor(key: string, body: Buffer, first: number, last: number, count: number, partition = 0): RawLanded {
  const datasetId = `network.events-p${partition}-${first}-${last}`;
  return {
    specversion: '1.0',
    id: deterministicId('raw.landed', datasetId),
    source: 'flowsentry/ingest',
    type: 'io.flowsentry.raw.landed.v1',
    time: '2026-11-30T10:00:00.000Z',
    subject: datasetId,
    data: { datasetId, objectKey: key, sha256: sha256Hex(body), bytes: body.length, count, rejected: 0, source: { topic: 'network.events', partition, firstOffset: String(first), lastOffset: String(last) } },
  };
}

export const context: StepContext<typeof Topics.rawLanded> = { runId: 'run', attempt: 1, source: { topic: 'raw.landed', partition: 0, offset: '0' }, heartbeat: async () => undefined, annotate: () => undefined, link: () => undefined, upcoming: () => undefined, assignment: 1 };
export const settings = { TRANSFORM_WINDOWS_MS: [60_000, 600_000], TRANSFORM_DEDUP_HORIZON_MS: 600_000, TRANSFORM_CHECKPOINT_EVERY: 3, TRANSFORM_READ_AHEAD: true };

/** Handles an event and applies its outcome the way the runtime's transaction would. */
export async function run(handler: TransformHandler, event: RawLanded): Promise<StepOutcome> {
  const outcome = await handler.handle(event, context);
  await outcome.persist?.({} as never);
  return outcome;
}

export const silverData = (o: StepOutcome) => o.outputs[0]!.data as PipelineEventOf<typeof Topics.silverReady>['data'];
