import { emailDepsFromEnv } from '../email/deps.js';
import type { EmailEnv } from '../email/env.js';
import { tableDepsOf } from '../table-deps.js';

/**
 * The deps of a workflow step that sends email (its env schema spreads `emailEnv`), built once
 * from its parsed environment at module load, so a step handler holds only its decision. A step
 * that only reads and writes the table takes `tableDeps(envSchema)` (`../table-deps.ts`), as
 * routes do; the signed-link deps are in `link-deps.ts`: only the steps that sign links load the
 * secrets client.
 */
export const emailStepDeps = (env: EmailEnv & { TABLE_NAME: string }) => ({
  ...tableDepsOf(env),
  ...emailDepsFromEnv(env),
});
