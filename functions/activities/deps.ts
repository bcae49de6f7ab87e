import type { z } from 'zod/mini';
import { sfn } from '../shared/clients.js';
import { tableDeps } from '../shared/table-deps.js';

/**
 * What the activity routes that reach its workflow need: the table (`tableDeps`) and the
 * workflow's state machine, from their environment; `extra` as for `tableDeps`.
 */
export const activityDeps = <
  TSchema extends z.ZodMiniType<{ TABLE_NAME: string; ACTIVITY_STATE_MACHINE_ARN: string }>,
  TExtra extends object = object,
>(
  schema: TSchema,
  extra?: (env: z.output<TSchema>) => TExtra,
) =>
  tableDeps(schema, (env) => ({
    sfn,
    stateMachineArn: env.ACTIVITY_STATE_MACHINE_ARN,
    ...(extra?.(env) as TExtra),
  }));
