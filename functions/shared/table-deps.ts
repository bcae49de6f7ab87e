import type { z } from 'zod/mini';
import { db } from './clients.js';
import { parseEnv } from './env.js';
import { logger } from './observability.js';

/** The table deps of an environment already parsed: what `tableDeps` and `emailStepDeps` share. */
export const tableDepsOf = (env: { TABLE_NAME: string }) => ({
  db,
  tableName: env.TABLE_NAME,
  logger,
});

/**
 * What a handler's decision reads and writes with: the table client, the table's name and the
 * logger, with the function's environment (`env`) parsed at module load (so a misconfigured
 * function fails at its first cold start, every bad variable named). `extra` adds what only some
 * handlers need, from the parsed environment: a secret's reader, the Step Functions client.
 *
 * `const deps = tableDeps(recordFindingEnvSchema, (env) => ({ residentLookupKey: … }))`
 */
export const tableDeps = <
  TSchema extends z.ZodMiniType<{ TABLE_NAME: string }>,
  TExtra extends object = object,
>(
  schema: TSchema,
  extra?: (env: z.output<TSchema>) => TExtra,
) => {
  const env = parseEnv(schema);
  return { ...tableDepsOf(env), env, ...(extra?.(env) as TExtra) };
};
