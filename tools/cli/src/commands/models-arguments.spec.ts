import { UsageError } from '../usage-error';
import { modelsApprove } from './models-approve';
import { modelsList } from './models-list';
import { modelsReject } from './models-reject';
import { modelsRollback } from './models-rollback';
import { modelsShow } from './models-show';

const env = { USER: 'alice' };

function usageError(parse: () => unknown): string {
  try {
    parse();
  } catch (err) {
    if (err instanceof UsageError) return err.message;
    throw err;
  }
  throw new Error('expected a usage error');
}

describe('models list arguments', () => {
  it('lists every model name by default, or one with --model, as a table or --json', () => {
    expect(modelsList.parse([], env)).toEqual({ modelName: undefined, json: false });
    expect(modelsList.parse(['--model', 'network-flows', '--json'], env)).toEqual({ modelName: 'network-flows', json: true });
  });

  it('refuses positional arguments and unknown options', () => {
    expect(usageError(() => modelsList.parse(['network-flows'], env))).toBe("models list takes no arguments besides options, got 'network-flows'");
    expect(usageError(() => modelsList.parse(['--modle', 'x'], env))).toMatch(/^models list: Unknown option '--modle'/);
  });
});

describe('models show arguments', () => {
  it('takes a model name and an optional version, written 3 or v3', () => {
    expect(modelsShow.parse(['network-flows'], env)).toEqual({ modelName: 'network-flows', version: undefined, json: false });
    expect(modelsShow.parse(['network-flows', 'v3', '--json'], env)).toEqual({ modelName: 'network-flows', version: '3', json: true });
  });

  it('needs the name, and a version that is a number', () => {
    expect(usageError(() => modelsShow.parse([], env))).toBe('models show takes NAME [VERSION], got nothing');
    expect(usageError(() => modelsShow.parse(['network-flows', 'latest'], env))).toBe("models show: VERSION must be a version number such as 3 (or v3), got 'latest'");
    expect(usageError(() => modelsShow.parse(['a', '1', '2'], env))).toBe("models show takes NAME [VERSION], got 'a' '1' '2'");
  });
});

describe.each([
  ['approve', modelsApprove],
  ['reject', modelsReject],
])('models %s arguments', (verb, command) => {
  it('records the operator from --actor, else $USER, else "cli"', () => {
    expect(command.parse(['network-flows', '2', '--reason', 'reviewed the report', '--actor', 'bob'], env)).toEqual({ modelName: 'network-flows', version: '2', actor: 'bob', reason: 'reviewed the report' });
    expect(command.parse(['network-flows', 'v2', '--reason', 'reviewed'], env)).toMatchObject({ version: '2', actor: 'alice' });
    expect(command.parse(['network-flows', '2', '--reason', 'reviewed'], {})).toMatchObject({ actor: 'cli' });
  });

  it('requires a reason, because it is recorded with the operator', () => {
    expect(usageError(() => command.parse(['network-flows', '2'], env))).toBe(`models ${verb}: --reason is required: say why, it is recorded in the audit with your name`);
    expect(usageError(() => command.parse(['network-flows', '2', '--reason', '  '], env))).toMatch(/--reason is required/);
    expect(usageError(() => command.parse(['network-flows', '2', '--reason'], env))).toMatch(new RegExp(`^models ${verb}: Option '--reason <value>' argument missing`));
  });

  it('requires NAME and VERSION, and refuses an empty --actor', () => {
    expect(usageError(() => command.parse(['network-flows', '--reason', 'r'], env))).toBe(`models ${verb} takes NAME VERSION, got 'network-flows'`);
    expect(usageError(() => command.parse(['network-flows', '2', '--reason', 'r', '--actor', ''], env))).toBe(`models ${verb}: --actor must name who makes the change`);
  });
});

describe('models rollback arguments', () => {
  it('rolls back to the default target, or to --to VERSION', () => {
    expect(modelsRollback.parse(['network-flows', '--reason', 'v3 floods the SOC'], env)).toEqual({ modelName: 'network-flows', actor: 'alice', reason: 'v3 floods the SOC' });
    expect(modelsRollback.parse(['network-flows', '--to', 'v1', '--reason', 'r', '--actor', 'carol'], env)).toEqual({ modelName: 'network-flows', to: '1', actor: 'carol', reason: 'r' });
  });

  it('requires a reason and a numeric --to', () => {
    expect(usageError(() => modelsRollback.parse(['network-flows'], env))).toMatch(/^models rollback: --reason is required/);
    expect(usageError(() => modelsRollback.parse(['network-flows', '--to', 'previous', '--reason', 'r'], env))).toMatch(/VERSION must be a version number/);
    expect(usageError(() => modelsRollback.parse(['network-flows', '2', '--reason', 'r'], env))).toBe("models rollback takes NAME, got 'network-flows' '2'");
  });
});
