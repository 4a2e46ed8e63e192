import { UsageError } from './usage-error';

export type Env = Record<string, string | undefined>;

/**
 * Runs node's parseArgs and turns what it rejects (an unknown option, a missing option value) into
 * a UsageError, so a mistyped command line exits 2 like every other usage mistake.
 */
export function parseOrUsage<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('ERR_PARSE_ARGS')) {
      throw new UsageError(`${command}: ${(err as Error).message}`);
    }
    throw err;
  }
}

/** The positional arguments a command takes: `required` names first, then at most `optional` more. */
export function positionalArgs(command: string, given: string[], required: readonly string[], optional: readonly string[] = []): string[] {
  if (given.length < required.length || given.length > required.length + optional.length) {
    const expected = [...required, ...optional.map((name) => `[${name}]`)].join(' ') || 'no arguments besides options';
    throw new UsageError(`${command} takes ${expected}, got ${given.length === 0 ? 'nothing' : given.map((a) => `'${a}'`).join(' ')}`);
  }
  return given;
}

/** Versions are numbers (1, 2, …); `v2` is accepted too because that is how the CLI prints them. */
export function versionArg(command: string, value: string): string {
  const match = /^v?(\d+)$/i.exec(value.trim());
  if (!match) throw new UsageError(`${command}: VERSION must be a version number such as 3 (or v3), got '${value}'`);
  return BigInt(match[1]!).toString();
}

export function modelNameArg(command: string, value: string): string {
  const name = value.trim();
  if (!name || name.startsWith('-')) throw new UsageError(`${command}: NAME must be a model name, got '${value}'`);
  return name;
}

/** Who changes the registry and why: both are recorded, so a change without a reason is refused here. */
export interface Operator {
  actor: string;
  reason: string;
}

export function operatorArgs(command: string, values: { reason?: string; actor?: string }, env: Env): Operator {
  const reason = values.reason?.trim();
  if (!reason) throw new UsageError(`${command}: --reason is required: say why, it is recorded in the audit with your name`);
  if (values.actor !== undefined && !values.actor.trim()) throw new UsageError(`${command}: --actor must name who makes the change`);
  const actor = values.actor?.trim() || env.USER?.trim() || 'cli';
  return { actor, reason };
}
