import { createHash, timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, SetMetadata, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ModelRegistry, RegistryActionName } from '@flowsentry/audit';
import { evaluatorMetrics } from './evaluator.metrics';

/** Injection token of the configured API token (undefined: none configured). */
export const REGISTRY_API_TOKEN = 'flowsentry.evaluator.registry-api-token';

const MUTATION = 'flowsentry.registry.mutation';
/** Marks a route as a registry mutation, so a refused call is audited as an attempt of that action. */
export const RegistryMutation = (action: RegistryActionName) => SetMetadata(MUTATION, action);

export type TokenVerdict = 'ok' | 'missing' | 'wrong' | 'unconfigured';

/**
 * What an Authorization header proves. No token configured refuses everything: an API that
 * changes what model serves production is never open by omission. Compared as SHA-256 digests
 * with timingSafeEqual, so neither the token's content nor its length leaks through timing.
 */
export function checkBearer(header: string | undefined, token: string | undefined): TokenVerdict {
  if (!token) return 'unconfigured';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!match) return 'missing';
  return timingSafeEqual(digest(match[1]!), digest(token)) ? 'ok' : 'wrong';
}

const REFUSALS: Record<Exclude<TokenVerdict, 'ok'>, string> = {
  missing: 'no bearer token (send Authorization: Bearer <token>)',
  wrong: 'the bearer token is not valid',
  unconfigured: 'the registry API has no token configured (REGISTRY_API_TOKEN or REGISTRY_API_TOKEN_FILE), so it refuses every request',
};

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string>;
  body?: unknown;
}

/**
 * Every /models route needs the bearer token: missing → 401, wrong (or none configured) → 403.
 * A refused mutation is written to registry_actions (channel http) with whatever actor and reason
 * the caller sent, so an attempt to move the champion without the token is on record. The token
 * itself is never logged or stored.
 */
@Injectable()
export class BearerTokenGuard implements CanActivate {
  constructor(
    @Inject(REGISTRY_API_TOKEN) private readonly token: string | undefined,
    private readonly reflector: Reflector,
    private readonly registry: ModelRegistry,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequest>();
    const header = request.headers.authorization;
    const verdict = checkBearer(Array.isArray(header) ? header[0] : header, this.token);
    if (verdict === 'ok') return true;
    const action = this.reflector.get<RegistryActionName | undefined>(MUTATION, context.getHandler());
    evaluatorMetrics.registryRequests.inc({ action: action ?? 'read', outcome: verdict === 'missing' ? 'unauthenticated' : 'forbidden' });
    if (action) await this.registry.refused(action, refusedRequest(request), `refused over HTTP: ${REFUSALS[verdict]}`);
    if (verdict === 'missing') {
      http.getResponse<{ setHeader(name: string, value: string): void }>().setHeader('WWW-Authenticate', 'Bearer realm="flowsentry-registry"');
      throw new UnauthorizedException(REFUSALS[verdict]);
    }
    throw new ForbiddenException(REFUSALS[verdict]);
  }
}

/** The attempt as the caller described it; nothing in it is trusted, it is only recorded. */
function refusedRequest(request: HttpRequest) {
  const body = (request.body ?? {}) as Record<string, unknown>;
  const text = (v: unknown, fallback: string) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 200) : fallback);
  return {
    modelName: request.params?.name ?? '',
    version: request.params?.version ?? (typeof body.to === 'string' ? body.to : null),
    actor: text(body.actor, 'unknown'),
    reason: text(body.reason, ''),
    channel: 'http' as const,
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
