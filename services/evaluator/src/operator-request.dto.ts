import { BadRequestException } from '@nestjs/common';

/** The body every registry mutation carries: who asks and why (both recorded in registry_actions and the alias history). */
export interface OperatorBody {
  actor: string;
  reason: string;
  /** rollback only: the version to return to (default: the most recently approved other version). */
  to?: string;
}

export class OperatorBodyError extends BadRequestException {}

/** Validates a mutation's JSON body; the message says exactly what to send. */
export function parseOperatorBody(body: unknown, allowTo = false): OperatorBody {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const missing = (['actor', 'reason'] as const).filter((field) => typeof b[field] !== 'string' || !(b[field] as string).trim());
  if (missing.length > 0) {
    throw new OperatorBodyError(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required: send a JSON body {"actor": "<who you are>", "reason": "<why>"${allowTo ? ', "to": "<version>" (optional)' : ''}}`);
  }
  if (allowTo && b.to !== undefined && (typeof b.to !== 'string' || !/^\d+$/.test(b.to))) throw new OperatorBodyError('"to" must be a version number as a string, e.g. "3"');
  return { actor: (b.actor as string).trim(), reason: (b.reason as string).trim(), ...(allowTo && typeof b.to === 'string' ? { to: b.to } : {}) };
}
