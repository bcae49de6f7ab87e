import type { z } from 'zod';

/**
 * Parses a function's environment once, at module load, so a misconfigured function fails on
 * its first cold start with every missing or invalid variable named, rather than on some later
 * request. Imports only zod (types), like the env schemas themselves.
 */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
  readonly variables: string[];

  constructor(message: string, variables: string[]) {
    super(message);
    this.variables = variables;
  }
}

export const parseEnv = <TSchema extends z.ZodType>(
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
