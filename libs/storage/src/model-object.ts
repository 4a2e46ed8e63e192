import { PoisonMessageError } from '@flowsentry/contracts';
import { ObjectRef, parseRef } from './layers';
import { isNotFoundError, ObjectStore } from './object-store';

/**
 * A MODELS object as an event names it (`models/<name>/<version>/…`). A ref that is not one, or an
 * object that is not there, is the event's fault and no retry mends it: both are poison messages.
 * The evaluator (the challenger and the champion) and the monitor (the champion) read through here.
 */
export async function readModelObject(objects: Pick<ObjectStore, 'get'>, key: string): Promise<Buffer> {
  let ref: ObjectRef;
  try {
    ref = parseRef(key);
  } catch (err) {
    throw new PoisonMessageError('bad-object-ref', (err as Error).message, { cause: err });
  }
  if (ref.layer !== 'models') throw new PoisonMessageError('bad-object-ref', `${key} is not in the MODELS layer`);
  try {
    return await objects.get(ref);
  } catch (err) {
    if (isNotFoundError(err)) throw new PoisonMessageError('missing-object', `${key} does not exist`, { cause: err });
    throw err;
  }
}
