import { parseArgs } from 'node:util';
import { ModelVersion } from '@flowsentry/audit';
import { modelNameArg, parseOrUsage, positionalArgs } from '../arguments';
import { formatJson, formatVersionList } from '../models-format';
import { RegistryCommand } from './registry-command';

export interface ListParams {
  modelName?: string;
  json: boolean;
}

const NAME = 'models list';

/** Every version of every model name (or of one), newest first, with its status and decision. */
export const modelsList: RegistryCommand<ListParams, ModelVersion[]> = {
  name: NAME,
  usage: 'models list [--model NAME] [--json]',
  parse(args) {
    const { values, positionals } = parseOrUsage(NAME, () =>
      parseArgs({ args, options: { model: { type: 'string' }, json: { type: 'boolean', default: false } }, allowPositionals: true }),
    );
    positionalArgs(NAME, positionals, []);
    return { modelName: values.model === undefined ? undefined : modelNameArg(NAME, values.model), json: values.json! };
  },
  run(registry, params) {
    return registry.list(params.modelName);
  },
  render(versions, params) {
    return params.json ? formatJson(versions) : formatVersionList(versions);
  },
};
