import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod/mini';
import { logger } from '../observability.js';
import { observe } from '../observe.js';
import { parseInput, retryableErrors } from './middleware.js';

/** The ids a step's input may carry; each one present goes into every log line of the step. */
type StepIds = { activityId?: string; referralId?: string; phase?: string };

/**
 * The one way to write a workflow step (a Lambda a state machine's Task invokes): the Powertools
 * logger, tracer and metrics; lost races and passing AWS faults surfaced as `TransientError`
 * (the state machine's Retry); the state input parsed with zod. The activity and referral ids (and a phase) go
 * into every log line; nothing else of the payload does (a task token never). The step itself
 * holds only its decision. `docs/architecture.md` ("Adding a workflow step") shows the recipe.
 */
export const workflowStep = <TSchema extends z.ZodMiniType, TResult>(
  schema: TSchema,
  step: (input: z.output<TSchema>, context: Context) => Promise<TResult>,
) =>
  middy<z.output<TSchema>, TResult>()
    .use(observe())
    .use(retryableErrors())
    .use(parseInput(schema))
    .handler(async (input, context) => {
      const { activityId, referralId, phase } = input as StepIds;
      if (typeof activityId === 'string') logger.appendKeys({ activityId });
      if (typeof referralId === 'string') logger.appendKeys({ referralId });
      if (typeof phase === 'string') logger.appendKeys({ phase });
      return step(input, context);
    });
