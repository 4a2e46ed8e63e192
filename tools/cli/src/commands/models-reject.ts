import { parseArgs } from 'node:util';
import { ModelVersion } from '@flowsentry/audit';
import { modelNameArg, Operator, operatorArgs, parseOrUsage, positionalArgs, versionArg } from '../arguments';
import { formatRejection } from '../models-format';
import { RegistryCommand } from './registry-command';

export interface RejectParams extends Operator {
  modelName: string;
  version: string;
}

const NAME = 'models reject';

/** A person rejects a version that is not serving; the champion itself is taken back with rollback. */
export const modelsReject: RegistryCommand<RejectParams, ModelVersion> = {
  name: NAME,
  usage: 'models reject NAME VERSION --reason R [--actor A]',
  parse(args, env) {
    const { values, positionals } = parseOrUsage(NAME, () =>
      parseArgs({ args, options: { reason: { type: 'string' }, actor: { type: 'string' } }, allowPositionals: true }),
    );
    const [name, version] = positionalArgs(NAME, positionals, ['NAME', 'VERSION']);
    return { modelName: modelNameArg(NAME, name!), version: versionArg(NAME, version!), ...operatorArgs(NAME, values, env) };
  },
  run(registry, params) {
    return registry.reject({ ...params, channel: 'cli' });
  },
  render(version) {
    return formatRejection(version);
  },
};
