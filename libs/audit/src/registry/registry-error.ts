import { FlowsentryError } from '@flowsentry/contracts';

export type RegistryErrorCode = 'version-not-found' | 'invalid-transition' | 'no-champion' | 'no-rollback-target';

/** A registry operation that the registry's state does not allow; retrying it changes nothing. */
export class RegistryError extends FlowsentryError {
  constructor(code: RegistryErrorCode, message: string) {
    super(code, message, false);
  }
}
