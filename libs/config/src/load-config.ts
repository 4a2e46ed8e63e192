import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Start-up failure that names the offending variable; main.ts prints it and exits non-zero. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Reads `NAME`, or the file named by `NAME_FILE` (Kubernetes/compose secrets are mounted as
 * files), so credentials never have to sit in the process environment or in an image.
 */
export function readEnv(env: Env, name: string): string | undefined {
  const fileVar = env[`${name}_FILE`];
  if (fileVar) return readFileSync(fileVar, 'utf8').trim();
  const value = env[name];
  return value === '' ? undefined : value;
}

/**
 * Validates a flat env-var schema (keys are the variable names) and returns typed values.
 * Every problem is reported at once so an operator fixes the deployment in one go; values
 * are never echoed, since some of them are secrets.
 */
export function loadConfig<S extends z.ZodRawShape>(shape: S, env: Env = process.env): z.infer<z.ZodObject<S>> {
  const raw: Record<string, string | undefined> = {};
  const problems: string[] = [];
  for (const name of Object.keys(shape)) {
    try {
      raw[name] = readEnv(env, name);
    } catch (err) {
      problems.push(`${name}_FILE: cannot read secret file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  const result = z.object(shape).safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(`${issue.path.join('.')}: ${issue.message}`);
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

/** Env helpers: numbers and booleans arrive as strings. */
export const env = {
  string: (fallback?: string) => (fallback === undefined ? z.string().min(1) : z.string().min(1).default(fallback)),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  url: (fallback: string) => z.url().default(fallback),
  list: (fallback: string) =>
    z
      .string()
      .default(fallback)
      .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean)),
  secret: () => z.string().min(1, 'is required (set it, or NAME_FILE pointing at a file)'),
};
