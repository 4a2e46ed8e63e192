import { PoisonMessageError } from '@flowsentry/contracts';
import { OnnxModelMetadata, readOnnxMetadata } from '@flowsentry/ml';
import { ObjectStore, readModelObject, sha256Hex } from '@flowsentry/storage';

/** A model as the registry and `model.trained` name it: ONNX bytes by hash, and its model.json. */
export interface ModelRefs {
  onnxKey: string;
  sha256: string;
  metadataKey: string;
}

/** A model read back from the MODELS layer and checked against what names it. */
export interface StoredModel {
  bytes: Buffer;
  metadata: OnnxModelMetadata;
  /** model.json as the trainer wrote it. */
  card: Record<string, unknown>;
  /** The alert rate the model was fitted for (see targetAlertRateOf). */
  targetAlertRate: number | null;
}

export type StoredModelErrorCode = 'missing-object' | 'hash-mismatch' | 'corrupt-model' | 'bad-object-ref';

/**
 * Reads model.onnx and model.json. Everything that can be wrong with them is wrong for good (the
 * objects are write-once), so each failure is a PoisonMessageError whose code becomes the DLQ
 * reason: missing-object, hash-mismatch, corrupt-model (not an ONNX model of ours, or model.json
 * not JSON) or bad-object-ref.
 */
export async function loadStoredModel(objects: Pick<ObjectStore, 'get'>, refs: ModelRefs): Promise<StoredModel> {
  const bytes = await readModelObject(objects, refs.onnxKey);
  const actual = sha256Hex(bytes);
  if (actual !== refs.sha256) throw new PoisonMessageError('hash-mismatch', `${refs.onnxKey} has sha256 ${actual}, it is named with ${refs.sha256}`);
  let metadata: OnnxModelMetadata;
  try {
    metadata = readOnnxMetadata(bytes);
  } catch (err) {
    throw new PoisonMessageError('corrupt-model', `${refs.onnxKey} is not a readable flowsentry ONNX model: ${(err as Error).message}`, { cause: err });
  }
  let card: Record<string, unknown>;
  try {
    card = JSON.parse((await readModelObject(objects, refs.metadataKey)).toString('utf8')) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof PoisonMessageError) throw err;
    throw new PoisonMessageError('corrupt-model', `${refs.metadataKey} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  return { bytes, metadata, card, targetAlertRate: targetAlertRateOf(card, metadata) };
}

/**
 * The alert rate a model was fitted for (the analysts' budget): model.json's `alertRate`, else the
 * contamination it was trained with, which the trainer sets to that rate (the forest's offset is the
 * alert-rate quantile of the training scores), from model.json's params or, last, from the ONNX
 * metadata that travels inside the model itself.
 */
export function targetAlertRateOf(card: Record<string, unknown>, metadata: Pick<OnnxModelMetadata, 'params'>): number | null {
  const params = (card.params ?? {}) as Record<string, unknown>;
  for (const value of [card.alertRate, params.contamination, metadata.params.contamination]) {
    if (typeof value === 'number' && value > 0 && value <= 1) return value;
  }
  return null;
}
