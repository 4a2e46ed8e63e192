import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type StackRole = 'ingest' | 'transform' | 'trainer' | 'evaluator' | 'monitor' | 'cli' | 'owner';

const stateDir = () => process.env.FLOWSENTRY_STATE ?? join(homedir(), '.cache', 'flowsentry', 'state');

/** The env a service gets from `tools/stack/stack.sh env <role>`, read from the file the stack writes. */
export function stackEnv(role: StackRole): Record<string, string> {
  const file = join(stateDir(), 'env', `${role}.env`);
  const text = existsSync(file) ? readFileSync(file, 'utf8') : fromStackScript(role);
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(?:export\s+)?([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) env[match[1]!] = unquote(match[2]!);
  }
  return env;
}

function fromStackScript(role: StackRole): string {
  try {
    return execFileSync('bash', [join(__dirname, '..', '..', 'tools', 'stack', 'stack.sh'), 'env', role], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    throw new Error(`cannot read the local stack's ${role} environment; start it first (bash tools/stack/stack.sh up): ${(err as Error).message}`);
  }
}

function unquote(value: string): string {
  if (value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/'\\''/g, "'");
  if (value.startsWith('"') && value.endsWith('"')) return value.slice(1, -1);
  return value;
}
