import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { PoisonMessageError, RawLandedData } from '@flowsentry/contracts';
import { isNotFoundError, ObjectStore, parseRef, sha256Hex } from '@flowsentry/storage';

const gunzipAsync = promisify(gunzip);
const LF = 0x0a;

/**
 * Reads the RAW object a `raw.landed` names and returns its JSONL lines (original bytes). What
 * no retry can fix is poison, with the reason the dead letter carries: the object is gone, its
 * bytes are not the ones ingest hashed, or it is not gzip. Anything else (MinIO down) is left
 * to the runtime's retries.
 */
export async function readRawLines(store: Pick<ObjectStore, 'get'>, landed: Pick<RawLandedData, 'objectKey' | 'sha256'>): Promise<Buffer[]> {
  let ref;
  try {
    ref = parseRef(landed.objectKey);
  } catch (err) {
    throw new PoisonMessageError('bad-object-ref', (err as Error).message);
  }
  let body: Buffer;
  try {
    body = await store.get(ref);
  } catch (err) {
    if (isNotFoundError(err)) throw new PoisonMessageError('missing-object', `${landed.objectKey} does not exist`, { cause: err });
    throw err;
  }
  const actual = sha256Hex(body);
  if (actual !== landed.sha256) throw new PoisonMessageError('hash-mismatch', `${landed.objectKey} has sha256 ${actual}, raw.landed says ${landed.sha256}`);
  let jsonl: Buffer;
  try {
    jsonl = await gunzipAsync(body);
  } catch (err) {
    throw new PoisonMessageError('corrupt-gzip', `${landed.objectKey} is not valid gzip: ${(err as Error).message}`, { cause: err });
  }
  return splitLines(jsonl);
}

export function splitLines(body: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = body.indexOf(LF); i !== -1; i = body.indexOf(LF, start)) {
    if (i > start) lines.push(body.subarray(start, i));
    start = i + 1;
  }
  if (start < body.length) lines.push(body.subarray(start));
  return lines;
}
