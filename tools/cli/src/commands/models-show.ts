import { parseArgs } from 'node:util';
import { RegistryError } from '@flowsentry/audit';
import { modelNameArg, parseOrUsage, positionalArgs, versionArg } from '../arguments';
import { jaegerUrl } from '../jaeger-url';
import { formatJson, formatModelDetail, ModelDetail } from '../models-format';
import { RegistryCommand } from './registry-command';

export interface ShowParams {
  modelName: string;
  version?: string;
  json: boolean;
}

const NAME = 'models show';

/**
 * One model name as an auditor reads it: each version with its threshold, metrics, eval report and
 * who decided what and why, then every move of the champion, every operator action and every
 * retrain request (the drift that asked for a version). With a VERSION, only what concerns it.
 */
export const modelsShow: RegistryCommand<ShowParams, ModelDetail> = {
  name: NAME,
  usage: 'models show NAME [VERSION] [--json]',
  parse(args) {
    const { values, positionals } = parseOrUsage(NAME, () => parseArgs({ args, options: { json: { type: 'boolean', default: false } }, allowPositionals: true }));
    const [name, version] = positionalArgs(NAME, positionals, ['NAME'], ['VERSION']);
    return { modelName: modelNameArg(NAME, name!), version: version === undefined ? undefined : versionArg(NAME, version), json: values.json! };
  },
  async run(registry, { modelName, version }) {
    const [versions, champion, history, actions, retrains, traces] = await Promise.all([
      registry.list(modelName),
      registry.champion(modelName),
      registry.history(modelName),
      registry.actions(modelName),
      registry.retrainRequests(modelName),
      registry.traces(modelName),
    ]);
    if (versions.length === 0) throw new RegistryError('version-not-found', `no model named ${modelName} in the registry`);
    const detail: ModelDetail = { modelName, champion: champion?.version ?? null, versions, history, actions, retrains, traces };
    if (version === undefined) return detail;
    if (!versions.some((v) => v.version === version)) throw new RegistryError('version-not-found', `${modelName} has no version ${version}`);
    return {
      ...detail,
      versions: versions.filter((v) => v.version === version),
      history: history.filter((h) => h.toVersion === version || h.fromVersion === version),
      actions: actions.filter((a) => a.version === version),
      retrains: retrains.filter((r) => r.resolvedBy === version),
      traces: version in traces ? { [version]: traces[version]! } : {},
    };
  },
  render(detail, params) {
    return params.json ? formatJson(detail) : formatModelDetail(detail, jaegerUrl());
  },
};
