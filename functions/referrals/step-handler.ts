import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';

/**
 * A referral workflow step: Powertools logger, tracer and metrics, lost races surfaced as
 * TransientError (the state machine's Retry), the state input parsed with zod. The referral id
 * goes into every log line; nothing else of the payload does (the task token never).
 */
export const referralStep = <TSchema extends z.ZodMiniType<{ referralId: string }>, TResult>(
  schema: TSchema,
  step: (event: z.output<TSchema>, context: Context) => Promise<TResult>,
) =>
  middy<z.output<TSchema>, TResult>()
    .use(observe())
    .use(retryableErrors())
    .use(parseInput(schema))
    .handler(async (event, context) => {
      logger.appendKeys({ referralId: event.referralId });
      return step(event, context);
    });
