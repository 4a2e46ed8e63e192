import { randomBytes } from 'node:crypto';
import { Client } from 'minio';
import { bucketName, ImmutableObjectConflictError, Layer, Layers, ObjectRef, ObjectStore, StorageSettings, storageSettingsFromEnv } from '@flowsentry/storage';
import { stackEnv } from '../../test/support/stack-env';

// Runs against the local stack's MinIO with each service's own credentials (tools/stack/lib/minio.sh
// provisions them; `stack.sh up` reprovisions when the policies change). The rights checked are BRIEF §6:
// each service reads its inputs, writes only its own layer, and nobody deletes.
type Service = 'ingest' | 'transform' | 'trainer' | 'evaluator' | 'monitor';
const MATRIX: Record<Service, { reads: Layer[]; writes: Layer }> = {
  ingest: { reads: [], writes: 'raw' },
  transform: { reads: ['raw'], writes: 'silver' },
  trainer: { reads: ['silver'], writes: 'models' },
  evaluator: { reads: ['silver', 'models'], writes: 'eval' },
  monitor: { reads: ['silver', 'models', 'eval'], writes: 'monitor' },
};
const SERVICES = Object.keys(MATRIX) as Service[];

interface Identity {
  settings: StorageSettings;
  store: ObjectStore;
  /** The bare client, for the calls ObjectStore deliberately lacks (delete) or guards (overwrite). */
  client: Client;
}

function identity(role: Service | 'owner'): Identity {
  const settings = storageSettingsFromEnv(stackEnv(role));
  const client = new Client({
    endPoint: settings.endpoint.hostname,
    port: Number(settings.endpoint.port || (settings.endpoint.protocol === 'https:' ? 443 : 80)),
    useSSL: settings.endpoint.protocol === 'https:',
    accessKey: settings.accessKey,
    secretKey: settings.secretKey,
    region: settings.region,
  });
  return { settings, store: new ObjectStore(settings), client };
}

const prefix = `it-policy-${randomBytes(4).toString('hex')}`;
const bytes = (text: string) => Buffer.from(`${text}\n`);
const bucketOf = (who: Identity, layer: Layer) => bucketName(layer, who.settings.bucketPrefix);

describe('MinIO policies: least privilege per service, no deletes (local stack)', () => {
  // `owner` gets the MinIO root credentials from the stack: the only identity that may remove what this
  // file writes, so leftovers are cleaned up through it alone.
  const owner = identity('owner');
  const ids = Object.fromEntries(SERVICES.map((s) => [s, identity(s)])) as Record<Service, Identity>;
  const written: ObjectRef[] = [];
  const put = async (who: Identity, ref: ObjectRef, text: string) => {
    const stored = await who.store.put(ref, bytes(text), 'text/plain');
    written.push(ref);
    return stored;
  };
  // One object per layer, written as root, for the read checks.
  const seed = (layer: Layer): ObjectRef => ({ layer, key: `${prefix}/seed/${layer}.txt` });

  beforeAll(async () => {
    for (const layer of Layers) await put(owner, seed(layer), `seed ${layer}`);
  });

  afterAll(async () => {
    for (const layer of Layers) {
      const keys = written.filter((r) => r.layer === layer).map((r) => r.key);
      if (keys.length) await owner.client.removeObjects(bucketOf(owner, layer), keys);
    }
  });

  it('ingest writes a new RAW object, is refused its delete, and the object stays', async () => {
    const ingest = ids.ingest;
    const ref: ObjectRef = { layer: 'raw', key: `${prefix}/ingest/p0-0-9.jsonl` };
    expect(await put(ingest, ref, 'raw batch')).toMatchObject({ written: true });

    await expect(ingest.client.removeObject(bucketOf(ingest, 'raw'), ref.key)).rejects.toMatchObject({ code: 'AccessDenied' });
    // Multi-object delete answers 200 and reports the refusal per key instead of failing the call (the
    // client returns the <Error> entries themselves, whatever its typings say).
    const bulk = await ingest.client.removeObjects(bucketOf(ingest, 'raw'), [ref.key]);
    expect(bulk).toEqual([expect.objectContaining({ Code: 'AccessDenied', Key: ref.key })]);

    expect((await owner.store.get(ref)).toString()).toBe('raw batch\n');
  });

  it('transform reads RAW and writes SILVER, but may not write RAW or delete SILVER', async () => {
    const transform = ids.transform;
    const raw = seed('raw');
    expect((await transform.store.get(raw)).toString()).toBe('seed raw\n');

    const silver: ObjectRef = { layer: 'silver', key: `${prefix}/transform/dataset.parquet` };
    expect(await put(transform, silver, 'silver rows')).toMatchObject({ written: true });

    await expect(transform.store.put({ layer: 'raw', key: `${prefix}/transform/forged.jsonl` }, bytes('forged'), 'text/plain')).rejects.toMatchObject({ code: 'AccessDenied' });
    await expect(owner.store.stat({ layer: 'raw', key: `${prefix}/transform/forged.jsonl` })).resolves.toBeUndefined();

    await expect(transform.client.removeObject(bucketOf(transform, 'silver'), silver.key)).rejects.toMatchObject({ code: 'AccessDenied' });
    await expect(transform.client.removeObject(bucketOf(transform, 'raw'), raw.key)).rejects.toMatchObject({ code: 'AccessDenied' });
    expect((await owner.store.get(silver)).toString()).toBe('silver rows\n');
  });

  it.each(SERVICES)('%s is refused the delete of its own output, which stays', async (service) => {
    const who = ids[service];
    const ref: ObjectRef = { layer: MATRIX[service].writes, key: `${prefix}/${service}/own-output.txt` };
    await put(who, ref, `${service} output`);

    await expect(who.client.removeObject(bucketOf(who, ref.layer), ref.key)).rejects.toMatchObject({ code: 'AccessDenied' });
    await expect(owner.store.stat(ref)).resolves.toMatchObject({ size: bytes(`${service} output`).length });
  });

  it.each(SERVICES)('%s writes only its own layer and reads only its inputs and its own layer', async (service) => {
    const who = ids[service];
    const { reads, writes } = MATRIX[service];
    for (const layer of Layers) {
      const ref: ObjectRef = { layer, key: `${prefix}/${service}/matrix-${layer}.txt` };
      const attempt = who.client.putObject(bucketOf(who, layer), ref.key, bytes('matrix'));
      if (layer === writes) {
        await attempt;
        written.push(ref);
      } else {
        await expect(attempt).rejects.toMatchObject({ code: 'AccessDenied' });
      }

      const read = who.store.get(seed(layer));
      if (layer === writes || reads.includes(layer)) await expect(read).resolves.toEqual(bytes(`seed ${layer}`));
      else await expect(read).rejects.toMatchObject({ code: 'AccessDenied' });
    }
  });

  // S3 has no "create only" right: PutObject covers a new key and an existing one alike, so the policy
  // cannot stop an overwrite. This pins that limit down (docs/DEPLOY.md): the write-once guard is
  // ObjectStore.put, and object locking/versioning on the buckets is the operator's defence.
  it('cannot refuse an overwrite by PUT in the policy; ObjectStore.put refuses different bytes', async () => {
    const ingest = ids.ingest;
    const ref: ObjectRef = { layer: 'raw', key: `${prefix}/ingest/overwrite.jsonl` };
    await put(ingest, ref, 'first');

    await expect(ingest.store.put(ref, bytes('second'), 'text/plain')).rejects.toBeInstanceOf(ImmutableObjectConflictError);
    expect((await owner.store.get(ref)).toString()).toBe('first\n');

    await ingest.client.putObject(bucketOf(ingest, 'raw'), ref.key, bytes('second'));
    expect((await owner.store.get(ref)).toString()).toBe('second\n');
  });

  // Two writers of one key (a rebalance's old and new owner): both look, find nothing, and upload.
  // The upload is create-only on the server, so the one that lands second is refused, not applied.
  it('refuses different bytes from a writer that looked before another writer\'s put landed', async () => {
    const ref: ObjectRef = { layer: 'raw', key: `${prefix}/ingest/race.jsonl` };
    await put(ids.ingest, ref, 'first writer');
    const late = new ObjectStore(ids.ingest.settings);
    // Its look ran before the first writer's put landed.
    jest.spyOn(late, 'stat').mockResolvedValueOnce(undefined);

    await expect(late.put(ref, bytes('second writer'), 'text/plain')).rejects.toBeInstanceOf(ImmutableObjectConflictError);
    expect((await owner.store.get(ref)).toString()).toBe('first writer\n');

    // The same bytes, after the same race, are a retry: nothing is written and nothing fails.
    jest.spyOn(late, 'stat').mockResolvedValueOnce(undefined);
    await expect(late.put(ref, bytes('first writer'), 'text/plain')).resolves.toMatchObject({ written: false });
  });
});
