/**
 * The one error shape every flowsentry lib throws when the caller has a decision to make: a
 * stable machine-readable `code` (it becomes the DLQ reason) and whether trying again can help.
 * Anything that is not a FlowsentryError is treated as retriable (a dropped connection, a timeout).
 */
export class FlowsentryError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input that no retry will fix: the message goes to its dead-letter topic with `code` as the reason. */
export class PoisonMessageError extends FlowsentryError {
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(code, message, false, options);
  }
}

export function isRetriable(error: unknown): boolean {
  return !(error instanceof FlowsentryError) || error.retriable;
}
