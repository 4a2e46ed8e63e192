import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post, UseFilters, UseGuards } from '@nestjs/common';
import { AliasMove, ModelRegistry, ModelVersion, RegistryActionName } from '@flowsentry/audit';
import { ATTR_MODEL_VERSION, injectTraceHeaders, withSpan } from '@flowsentry/telemetry';
import { BearerTokenGuard, RegistryMutation } from './bearer-token.guard';
import { evaluatorMetrics } from './evaluator.metrics';
import { OperatorBody, OperatorBodyError, parseOperatorBody } from './operator-request.dto';
import { RegistryErrorFilter } from './registry-error.filter';

/**
 * The model registry over HTTP (the CLI's operations, for tools that cannot run it): read the
 * versions, history and audit of a model name; approve, reject and roll back with who and why.
 * Thin by design: it checks the body, calls the registry (which audits applied and refused
 * changes and serialises them per model name) and returns what the registry returned.
 */
@Controller('models')
@UseGuards(BearerTokenGuard)
@UseFilters(RegistryErrorFilter)
export class RegistryController {
  constructor(private readonly registry: ModelRegistry) {}

  @Get()
  async list(): Promise<{ models: Array<{ name: string; champion: string | null; versions: Array<Pick<ModelVersion, 'version' | 'status' | 'createdAt'>> }> }> {
    const byName = new Map<string, ModelVersion[]>();
    for (const v of await this.registry.list()) byName.set(v.modelName, [...(byName.get(v.modelName) ?? []), v]);
    return {
      models: [...byName].map(([name, versions]) => ({
        name,
        champion: versions.find((v) => v.status === 'champion')?.version ?? null,
        versions: versions.map(({ version, status, createdAt }) => ({ version, status, createdAt })),
      })),
    };
  }

  @Get(':name')
  async show(@Param('name') name: string) {
    const versions = await this.registry.list(name);
    if (versions.length === 0) throw new NotFoundException(`no model named ${name}`);
    const [champion, history, actions] = await Promise.all([this.registry.champion(name), this.registry.history(name), this.registry.actions(name)]);
    return { name, champion, versions, history, actions };
  }

  @Get(':name/versions/:version')
  async version(@Param('name') name: string, @Param('version') version: string): Promise<ModelVersion> {
    const found = await this.registry.get(name, version);
    if (!found) throw new NotFoundException(`${name} has no version ${version}`);
    return found;
  }

  @Post(':name/versions/:version/approve')
  @HttpCode(200)
  @RegistryMutation('approve')
  async approve(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown): Promise<AliasMove> {
    const request = await this.operator('approve', name, version, body);
    return this.traced('approve', name, version, (traceparent) => this.registry.approve({ ...request, version, traceparent }));
  }

  @Post(':name/versions/:version/reject')
  @HttpCode(200)
  @RegistryMutation('reject')
  async reject(@Param('name') name: string, @Param('version') version: string, @Body() body: unknown): Promise<ModelVersion> {
    const request = await this.operator('reject', name, version, body);
    return this.traced('reject', name, version, () => this.registry.reject({ ...request, version }));
  }

  @Post(':name/rollback')
  @HttpCode(200)
  @RegistryMutation('rollback')
  async rollback(@Param('name') name: string, @Body() body: unknown): Promise<AliasMove> {
    const request = await this.operator('rollback', name, null, body, true);
    return this.traced('rollback', name, request.to ?? null, (traceparent) => this.registry.rollback({ ...request, traceparent }));
  }

  /** The caller's body as an OperatorRequest; a body without actor and reason is refused (400) and audited like any refused change. */
  private async operator(action: RegistryActionName, modelName: string, version: string | null, body: unknown, allowTo = false): Promise<OperatorBody & { modelName: string; channel: 'http' }> {
    try {
      return { ...parseOperatorBody(body, allowTo), modelName, channel: 'http' };
    } catch (err) {
      if (!(err instanceof OperatorBodyError)) throw err;
      const b = (body ?? {}) as Record<string, unknown>;
      evaluatorMetrics.registryRequests.inc({ action, outcome: 'bad-request' });
      await this.registry.refused(action, { modelName, version, actor: typeof b.actor === 'string' && b.actor.trim() ? b.actor.trim() : 'unknown', reason: typeof b.reason === 'string' ? b.reason : '', channel: 'http' }, `refused over HTTP: ${err.message}`);
      throw err;
    }
  }

  /** Runs the change in its own span, whose traceparent the alias move stores, so its champion.changed continues this trace. */
  private async traced<T>(action: RegistryActionName, modelName: string, version: string | null, run: (traceparent?: string) => Promise<T>): Promise<T> {
    return withSpan(`evaluator.registry.${action}`, { 'flowsentry.model_name': modelName, ...(version ? { [ATTR_MODEL_VERSION]: version } : {}) }, async () => {
      try {
        const result = await run(injectTraceHeaders({}).traceparent);
        evaluatorMetrics.registryRequests.inc({ action, outcome: 'applied' });
        return result;
      } catch (err) {
        evaluatorMetrics.registryRequests.inc({ action, outcome: 'refused' });
        throw err;
      }
    });
  }
}
