import { modelRefs } from '@flowsentry/storage';
import { MemoryObjects } from '../test/trainer-fakes';
import { ModelPackage } from './model-package';
import { publishModel } from './model-publisher';

/** A package whose bytes depend on the version and on `attempt` (what a changed window would change). */
const build = (attempt: string) => (version: string): ModelPackage => ({
  onnx: Buffer.from(`onnx ${version} ${attempt}`),
  onnxSha256: 'x',
  card: Buffer.from(`json ${version} ${attempt}`),
  threshold: 0.6,
});

describe('publishModel', () => {
  it('writes model.onnx and model.json under the next version', async () => {
    const objects = new MemoryObjects();
    const published = await publishModel(objects, 'flows', 3, build('a'));
    expect(published).toMatchObject({ version: '3', skipped: [] });
    expect(objects.objects.get('models/flows/3/model.onnx')?.toString()).toBe('onnx 3 a');
    expect(objects.objects.get('models/flows/3/model.json')?.toString()).toBe('json 3 a');
  });

  it('reuses the objects a crashed attempt left when this run makes the same bytes', async () => {
    const objects = new MemoryObjects();
    await publishModel(objects, 'flows', 1, build('a'));
    expect(await publishModel(objects, 'flows', 1, build('a'))).toMatchObject({ version: '1', skipped: [] });
  });

  it('takes the next version with no conflicting objects when a crashed attempt left other bytes', async () => {
    const objects = new MemoryObjects();
    await publishModel(objects, 'flows', 1, build('crashed'));
    // A second crashed attempt got as far as model.onnx of version 2.
    await objects.put(modelRefs('flows', '2').onnx, Buffer.from('onnx 2 crashed-again'));
    const published = await publishModel(objects, 'flows', 1, build('rerun'));
    expect(published).toMatchObject({ version: '3', skipped: ['1', '2'] });
    expect(objects.objects.get('models/flows/1/model.onnx')?.toString()).toBe('onnx 1 crashed');
    expect(objects.objects.get('models/flows/3/model.json')?.toString()).toBe('json 3 rerun');
  });
});
