import type { z } from 'zod/mini';
// English zod messages (zod/mini loads no locale), set before any handler parses anything:
// every handler parses its environment through this module at load.
import './zod-locale.js';

/**
 * Parses a function's environment once, at module load, so a misconfigured function fails on
 * its first cold start with every missing or invalid variable named, rather than on some later
 * request. Imports only zod and its locale, like the env schemas themselves import only zod.
 */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
  readonly variables: string[];

  constructor(message: string, variables: string[]) {
    super(message);
    this.variables = variables;
  }
}

export const parseEnv = <TSchema extends z.ZodMiniType>(
  schema: TSchema,
  env: Record<string, string | undefined> = process.env,
): z.output<TSchema> => {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.map(String).join('.') || '(environment)';
    const missing = env[name] === undefined || env[name] === '';
    return { name, text: missing ? `${name} (missing)` : `${name} (${issue.message})` };
  });
  const names = [...new Set(problems.map((problem) => problem.name))];
  throw new EnvironmentError(
    `Invalid environment: ${problems.map((problem) => problem.text).join(', ')}`,
    names,
  );
};
