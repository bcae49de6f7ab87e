import { db } from '../clients.js';
import { emailDepsFromEnv } from '../email/deps.js';
import type { EmailEnv } from '../email/env.js';
import { logger } from '../observability.js';

/**
 * The deps of a workflow step, built once from its parsed environment at module load, so a step
 * handler holds only its decision. The signed-link deps are in `link-deps.ts`: only the steps
 * that sign links load the secrets client.
 */

/** A step that reads and writes the table: the client, the table, the step's logger. */
export const tableStepDeps = (env: { TABLE_NAME: string }) => ({
  db,
  tableName: env.TABLE_NAME,
  logger,
});

/** A step that also sends email (its env schema spreads `emailEnv`). */
export const emailStepDeps = (env: EmailEnv & { TABLE_NAME: string }) => ({
  ...tableStepDeps(env),
  ...emailDepsFromEnv(env),
});
