import { parseArgs } from 'node:util';
import { AliasMove } from '@flowsentry/audit';
import { modelNameArg, Operator, operatorArgs, parseOrUsage, positionalArgs, versionArg } from '../arguments';
import { formatAliasMove } from '../models-format';
import { RegistryCommand } from './registry-command';

export interface RollbackParams extends Operator {
  modelName: string;
  /** Absent: the registry picks the newest approved version older than the champion. */
  to?: string;
}

const NAME = 'models rollback';

/** Re-points the champion to an earlier approved version; the version it leaves is archived. */
export const modelsRollback: RegistryCommand<RollbackParams, AliasMove> = {
  name: NAME,
  usage: 'models rollback NAME [--to VERSION] --reason R [--actor A]',
  parse(args, env) {
    const { values, positionals } = parseOrUsage(NAME, () =>
      parseArgs({ args, options: { to: { type: 'string' }, reason: { type: 'string' }, actor: { type: 'string' } }, allowPositionals: true }),
    );
    const [name] = positionalArgs(NAME, positionals, ['NAME']);
    return {
      modelName: modelNameArg(NAME, name!),
      ...(values.to === undefined ? {} : { to: versionArg(NAME, values.to) }),
      ...operatorArgs(NAME, values, env),
    };
  },
  run(registry, params) {
    return registry.rollback({ ...params, channel: 'cli' });
  },
  render(move, params) {
    return formatAliasMove(move, params.actor, params.reason);
  },
};
