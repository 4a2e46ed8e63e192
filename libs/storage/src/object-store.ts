import { Client } from 'minio';
import { sha256Hex } from './checksum';
import { bucketName, formatRef, ObjectRef } from './layers';
import { StorageSettings } from './storage-settings';

export interface StoredObject {
  ref: ObjectRef;
  sha256: string;
  size: number;
  /** False when an identical object was already there (a retry or replay). */
  written: boolean;
}

/** An immutable key was about to receive different bytes: a determinism bug, never overwrite. */
export class ImmutableObjectConflictError extends Error {
  constructor(
    readonly ref: ObjectRef,
    readonly existingSha256: string,
    readonly newSha256: string,
  ) {
    super(`${formatRef(ref)} already holds different content (sha256 ${existingSha256}, new ${newSha256})`);
    this.name = 'ImmutableObjectConflictError';
  }
}

const SHA_META = 'sha256';

/**
 * Layer-aware access to MinIO. Objects are write-once: putting the same bytes again is a
 * no-op, putting other bytes under an existing key is refused. Every object carries its
 * sha256 as user metadata so lineage can be verified without downloading it.
 */
export class ObjectStore {
  private readonly client: Client;

  constructor(private readonly settings: StorageSettings) {
    this.client = new Client({
      endPoint: settings.endpoint.hostname,
      port: Number(settings.endpoint.port || (settings.endpoint.protocol === 'https:' ? 443 : 80)),
      useSSL: settings.endpoint.protocol === 'https:',
      accessKey: settings.accessKey,
      secretKey: settings.secretKey,
      region: settings.region,
    });
  }

  bucket(ref: Pick<ObjectRef, 'layer'>): string {
    return bucketName(ref.layer, this.settings.bucketPrefix);
  }

  /**
   * Stores `bytes` under `ref` unless the key exists. Looking first keeps a retry or replay from
   * uploading what is already there, and works on any S3 server. The upload itself is
   * create-only (`If-None-Match: *`, honoured by MinIO and S3): another writer that put the key
   * between the look and the upload makes it fail with 412 instead of being overwritten, and the
   * key is then judged like one found at the start.
   */
  async put(ref: ObjectRef, bytes: Buffer, contentType: string): Promise<StoredObject> {
    const sha256 = sha256Hex(bytes);
    const existing = await this.stat(ref);
    if (existing) return this.alreadyStored(ref, existing, sha256, bytes.length);
    try {
      await this.client.putObject(this.bucket(ref), ref.key, bytes, bytes.length, { 'Content-Type': contentType, [`X-Amz-Meta-${SHA_META}`]: sha256, 'If-None-Match': '*' });
    } catch (err) {
      const winner = isPreconditionFailed(err) ? await this.stat(ref) : undefined;
      if (!winner) throw err;
      return this.alreadyStored(ref, winner, sha256, bytes.length);
    }
    return { ref, sha256, size: bytes.length, written: true };
  }

  private alreadyStored(ref: ObjectRef, existing: { sha256: string }, sha256: string, size: number): StoredObject {
    if (existing.sha256 !== sha256) throw new ImmutableObjectConflictError(ref, existing.sha256, sha256);
    return { ref, sha256, size, written: false };
  }

  async get(ref: ObjectRef): Promise<Buffer> {
    const stream = await this.client.getObject(this.bucket(ref), ref.key);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async stat(ref: ObjectRef): Promise<{ sha256: string; size: number } | undefined> {
    try {
      const stat = await this.client.statObject(this.bucket(ref), ref.key);
      return { sha256: String(stat.metaData?.[SHA_META] ?? ''), size: stat.size };
    } catch (err) {
      if (isNotFoundError(err)) return undefined;
      throw err;
    }
  }

  async list(layer: ObjectRef['layer'], prefix: string): Promise<ObjectRef[]> {
    const refs: ObjectRef[] = [];
    const stream = this.client.listObjectsV2(this.bucket({ layer }), prefix, true);
    for await (const item of stream) if (item.name) refs.push({ layer, key: item.name });
    return refs;
  }

  /** Provisioning and tests; the platform creates the real buckets. */
  async createBucket(layer: ObjectRef['layer']): Promise<void> {
    if (!(await this.client.bucketExists(this.bucket({ layer })))) await this.client.makeBucket(this.bucket({ layer }), this.settings.region);
  }

  /** Removes a layer's bucket with everything in it (tests). */
  async removeBucket(layer: ObjectRef['layer']): Promise<void> {
    const bucket = this.bucket({ layer });
    const names = (await this.list(layer, '')).map((r) => r.key);
    if (names.length) await this.client.removeObjects(bucket, names);
    await this.client.removeBucket(bucket);
  }

  /** Readiness: the bucket this service writes to answers. */
  async ping(layer: ObjectRef['layer']): Promise<void> {
    const exists = await this.client.bucketExists(this.bucket({ layer }));
    if (!exists) throw new Error(`bucket ${this.bucket({ layer })} does not exist (run the stack's provisioning)`);
  }
}

/** MinIO's answer for a key (or bucket) that is not there, as opposed to one it could not give. */
export function isNotFoundError(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === 'NotFound' || code === 'NoSuchKey';
}

/** A conditional request whose condition did not hold (HTTP 412): for a create-only put, the key exists. */
function isPreconditionFailed(err: unknown): boolean {
  return (err as { code?: string }).code === 'PreconditionFailed';
}
