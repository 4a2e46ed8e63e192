import { formatRef, ImmutableObjectConflictError, ObjectRef, sha256Hex, StoredObject } from '@flowsentry/storage';

/**
 * ObjectStore's contract in memory, for unit specs and in-process benches: write-once (the same
 * bytes again are a no-op, other bytes are refused as MinIO's policy refuses them) and a missing
 * key answered with MinIO's NoSuchKey.
 */
export class MemoryObjects {
  readonly objects = new Map<string, Buffer>();
  puts = 0;
  gets = 0;

  async get(ref: ObjectRef): Promise<Buffer> {
    this.gets++;
    const bytes = this.objects.get(formatRef(ref));
    if (!bytes) throw Object.assign(new Error(`no ${formatRef(ref)}`), { code: 'NoSuchKey' });
    return bytes;
  }

  async put(ref: ObjectRef, bytes: Buffer): Promise<StoredObject> {
    this.puts++;
    const sha256 = sha256Hex(bytes);
    const existing = this.objects.get(formatRef(ref));
    if (existing && !existing.equals(bytes)) throw new ImmutableObjectConflictError(ref, sha256Hex(existing), sha256);
    this.objects.set(formatRef(ref), bytes);
    return { ref, sha256, size: bytes.length, written: !existing };
  }

  /** Another store holding the same objects (e.g. each test's MODELS start empty beside shared SILVER). */
  clone(): MemoryObjects {
    const copy = new MemoryObjects();
    for (const [key, bytes] of this.objects) copy.objects.set(key, bytes);
    return copy;
  }

  /** A JSON object a step wrote (by its formatted ref), as the type the caller knows it to be. */
  json<T>(key: string): T {
    const bytes = this.objects.get(key);
    if (!bytes) throw new Error(`no ${key}`);
    return JSON.parse(bytes.toString('utf8')) as T;
  }
}
