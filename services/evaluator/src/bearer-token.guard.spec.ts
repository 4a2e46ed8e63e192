import { ExecutionContext, ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ModelRegistry } from '@flowsentry/audit';
import { BearerTokenGuard, checkBearer, RegistryMutation } from './bearer-token.guard';

const TOKEN = 'a-registry-token-of-some-length';

class Routes {
  @RegistryMutation('approve')
  approve(): void {}

  show(): void {}
}

function call(handler: 'approve' | 'show', request: { authorization?: string; body?: unknown }) {
  const headers: Record<string, string> = {};
  const req = { headers: request.authorization ? { authorization: request.authorization } : {}, params: { name: 'network-flows', version: '3' }, body: request.body };
  const context = {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => ({ setHeader: (name: string, value: string) => (headers[name] = value) }) }),
    getHandler: () => Routes.prototype[handler],
    getClass: () => Routes,
  } as unknown as ExecutionContext;
  return { context, headers };
}

function guardWith(token: string | undefined) {
  const refused: unknown[][] = [];
  const registry = { refused: async (...args: unknown[]) => void refused.push(args) } as unknown as ModelRegistry;
  return { guard: new BearerTokenGuard(token, new Reflector(), registry), refused };
}

describe('registry API bearer token', () => {
  it('lets a request with the right token through, and audits nothing', async () => {
    const { guard, refused } = guardWith(TOKEN);
    await expect(guard.canActivate(call('approve', { authorization: `Bearer ${TOKEN}` }).context)).resolves.toBe(true);
    expect(refused).toEqual([]);
  });

  it('answers 401 with a Bearer challenge when no token is sent', async () => {
    const { guard } = guardWith(TOKEN);
    const { context, headers } = call('show', {});
    await expect(guard.canActivate(context)).rejects.toBeInstanceOf(UnauthorizedException);
    expect(headers['WWW-Authenticate']).toBe('Bearer realm="flowsentry-registry"');
  });

  it('answers 403 for a wrong token, including one that is a prefix of the right one', async () => {
    const { guard } = guardWith(TOKEN);
    for (const sent of ['not-the-token', TOKEN.slice(0, -1), `${TOKEN}x`]) {
      await expect(guard.canActivate(call('show', { authorization: `Bearer ${sent}` }).context)).rejects.toBeInstanceOf(ForbiddenException);
    }
  });

  it('refuses everything with 403 when no token is configured, even the right-looking one', async () => {
    const { guard } = guardWith(undefined);
    await expect(guard.canActivate(call('show', {}).context)).rejects.toBeInstanceOf(ForbiddenException);
    await expect(guard.canActivate(call('show', { authorization: 'Bearer anything-at-all-here' }).context)).rejects.toBeInstanceOf(ForbiddenException);
  });

  it('audits a refused mutation with the actor and reason the caller gave, on the http channel, without the token', async () => {
    const { guard, refused } = guardWith(TOKEN);
    await expect(guard.canActivate(call('approve', { authorization: 'Bearer guessed-token', body: { actor: 'mallory', reason: 'ship it' } }).context)).rejects.toBeInstanceOf(ForbiddenException);
    expect(refused).toEqual([['approve', { modelName: 'network-flows', version: '3', actor: 'mallory', reason: 'ship it', channel: 'http' }, 'refused over HTTP: the bearer token is not valid']]);
    expect(JSON.stringify(refused)).not.toContain('guessed-token');
  });

  it('does not audit refused reads (only changes are registry actions)', async () => {
    const { guard, refused } = guardWith(TOKEN);
    await expect(guard.canActivate(call('show', {}).context)).rejects.toBeInstanceOf(UnauthorizedException);
    expect(refused).toEqual([]);
  });

  it('accepts the scheme in any case and ignores trailing whitespace, nothing looser', () => {
    expect(checkBearer(`bearer ${TOKEN}  `, TOKEN)).toBe('ok');
    expect(checkBearer(TOKEN, TOKEN)).toBe('missing');
    expect(checkBearer(`Basic ${TOKEN}`, TOKEN)).toBe('missing');
  });
});
