import { gunzipSync } from 'node:zlib';
import { DataSource } from 'typeorm';
import { IngestionBatch } from '@flowsentry/audit';
import { ObjectStore, parseRef } from '@flowsentry/storage';

/** Landed batches of one consumer group, with each RAW object's lines (original bytes). */
export async function landedBatches(db: DataSource, store: ObjectStore, consumerGroup: string): Promise<Array<IngestionBatch & { lines: Buffer[] }>> {
  const rows = await db.getRepository(IngestionBatch).find({ where: { consumerGroup, status: 'landed' }, order: { partition: 'ASC', firstOffset: 'ASC' } });
  const out: Array<IngestionBatch & { lines: Buffer[] }> = [];
  for (const row of rows) {
    if (row.eventCount === 0) {
      out.push({ ...row, lines: [] });
      continue;
    }
    const body = gunzipSync(await store.get(parseRef(row.objectRef)));
    out.push({ ...row, lines: splitLines(body) });
  }
  return out;
}

export function splitLines(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === 0x0a) {
      lines.push(body.subarray(start, i));
      start = i + 1;
    }
  }
  return lines;
}
