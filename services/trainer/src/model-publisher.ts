import { ImmutableObjectConflictError, modelRefs, ObjectStore, StoredObject } from '@flowsentry/storage';
import { ModelPackage } from './model-package';

export interface PublishedModel {
  version: string;
  pkg: ModelPackage;
  onnx: StoredObject;
  card: StoredObject;
  /** Versions passed over because their keys hold another attempt's objects. */
  skipped: string[];
}

/** Versions tried past the registry's next one before giving up (each skip is a crashed attempt whose bytes differed). */
const MAX_SKIPPED_VERSIONS = 20;

/**
 * Writes model.onnx and model.json under the first version, from `firstVersion` (the registry's
 * next) on, whose keys are free or already hold exactly these bytes.
 *
 * The version must be known before the objects are written (it is inside both), and objects are
 * write-once. A crash between writing and the registry commit leaves objects of version N that no
 * row names. The rerun of the same event normally makes the same bytes and simply finds them there;
 * if it makes different ones (other datasets arrived meanwhile with earlier event times, so the
 * window changed), N is refused (ImmutableObjectConflictError) and the model takes N+1. Versions
 * stay monotonic; a gap marks an attempt that never committed, its objects left unreferenced.
 */
export async function publishModel(objects: Pick<ObjectStore, 'put'>, modelName: string, firstVersion: number, build: (version: string) => ModelPackage): Promise<PublishedModel> {
  const skipped: string[] = [];
  for (let n = firstVersion; n <= firstVersion + MAX_SKIPPED_VERSIONS; n++) {
    const version = String(n);
    const pkg = build(version);
    const refs = modelRefs(modelName, version);
    try {
      const onnx = await objects.put(refs.onnx, pkg.onnx, 'application/octet-stream');
      const card = await objects.put(refs.metadata, pkg.card, 'application/json');
      return { version, pkg, onnx, card, skipped };
    } catch (err) {
      if (!(err instanceof ImmutableObjectConflictError)) throw err;
      skipped.push(version);
    }
  }
  throw new Error(`${modelName}: versions ${skipped[0]}–${skipped.at(-1)} all hold other objects; the models bucket needs a look`);
}
