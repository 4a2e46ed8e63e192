import { parseArgs } from 'node:util';
import { AliasMove } from '@flowsentry/audit';
import { modelNameArg, Operator, operatorArgs, parseOrUsage, positionalArgs, versionArg } from '../arguments';
import { formatAliasMove } from '../models-format';
import { RegistryCommand } from './registry-command';

export interface ApproveParams extends Operator {
  modelName: string;
  version: string;
}

const NAME = 'models approve';

/** A person approves a pending (or approved, not serving) version: it becomes the champion at once. */
export const modelsApprove: RegistryCommand<ApproveParams, AliasMove> = {
  name: NAME,
  usage: 'models approve NAME VERSION --reason R [--actor A]',
  parse(args, env) {
    const { values, positionals } = parseOrUsage(NAME, () =>
      parseArgs({ args, options: { reason: { type: 'string' }, actor: { type: 'string' } }, allowPositionals: true }),
    );
    const [name, version] = positionalArgs(NAME, positionals, ['NAME', 'VERSION']);
    return { modelName: modelNameArg(NAME, name!), version: versionArg(NAME, version!), ...operatorArgs(NAME, values, env) };
  },
  run(registry, params) {
    return registry.approve({ ...params, channel: 'cli' });
  },
  render(move, params) {
    return formatAliasMove(move, params.actor, params.reason);
  },
};
