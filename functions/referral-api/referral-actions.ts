import middy from '@middy/core';
import type { z } from 'zod/mini';
import { isOrganiserOf } from '../activities/view.js';
import { db, sfn } from '../shared/clients.js';
import { deadlineConfig } from '../shared/domain/deadlines.js';
import { parseEnv } from '../shared/env.js';
import { NotFoundError } from '../shared/errors.js';
import {
  bodyLimit,
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireRole,
  validateRequest,
  type HttpEvent,
  type HttpResult,
  type ValidatedHttpEvent,
} from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import {
  closeByCommittee,
  decideExtension,
  redriveReferral,
  rerouteReferral,
  type ActionContext,
} from './domain.js';
import { referralActionsEnvSchema } from './env.js';
import {
  closeBodySchema,
  extensionBodySchema,
  redriveBodySchema,
  referralPathSchema,
  rerouteBodySchema,
} from './schemas.js';

const env = parseEnv(referralActionsEnvSchema);
const deps = { db, sfn, tableName: env.TABLE_NAME, logger, config: deadlineConfig(env) };

type PathEvent<TBody> = ValidatedHttpEvent<TBody, z.output<typeof referralPathSchema>>;

const contextOf = (event: HttpEvent | PathEvent<unknown>, referralId: string): ActionContext => {
  const caller = getCaller(event);
  return {
    actor: caller.sub,
    authorize: (activity) => {
      if (!isOrganiserOf(caller, activity)) {
        throw new NotFoundError(`Referral ${referralId} not found`);
      }
    },
  };
};

const route = <TSchema extends z.ZodMiniType>(
  bodySchema: TSchema,
  act: (referralId: string, body: z.output<TSchema>, context: ActionContext) => Promise<unknown>,
) =>
  middy<PathEvent<z.output<TSchema>>, HttpResult>()
    .use(httpErrorHandler({ logger }))
    .use(observe())
    .use(requireRole('organiser'))
    .use(bodyLimit())
    .use(validateRequest({ body: bodySchema, pathParameters: referralPathSchema }))
    .handler(async (event) => {
      const { referralId } = event.pathParameters;
      logger.appendKeys({ referralId, route: event.routeKey });
      const result = await act(referralId, event.body, contextOf(event, referralId));
      return jsonResponse(200, result);
    });

/** `POST /referrals/{referralId}/reroute` {departmentId, reason}: a RETURNED referral only. */
export const reroute = route(rerouteBodySchema, (referralId, body, context) =>
  rerouteReferral(deps, referralId, body, context),
);

/** `POST /referrals/{referralId}/extension` {decision: GRANT | REFUSE, days?, reason}. */
export const extension = route(extensionBodySchema, (referralId, body, context) =>
  decideExtension(deps, referralId, body, context),
);

/** `POST /referrals/{referralId}/close` {reason}: the supervising committee closes it. */
export const close = route(closeBodySchema, (referralId, body, context) =>
  closeByCommittee(deps, referralId, body, context),
);

/**
 * `POST /referrals/{referralId}/redrive` {reason}: runs the failed step of the referral's workflow
 * again once its cause is removed (a failed referral carries `failure`).
 */
export const redrive = route(redriveBodySchema, (referralId, body, context) =>
  redriveReferral(
    { ...deps, stateMachineArn: env.REFERRAL_STATE_MACHINE_ARN },
    referralId,
    body,
    context,
  ),
);

const HANDLERS: Record<string, (event: HttpEvent, context: never) => Promise<HttpResult>> = {
  'POST /referrals/{referralId}/reroute': reroute as never,
  'POST /referrals/{referralId}/extension': extension as never,
  'POST /referrals/{referralId}/close': close as never,
  'POST /referrals/{referralId}/redrive': redrive as never,
};

/**
 * One function for the organiser actions (the same grants): dispatches on the route key.
 */
export const handler = async (event: HttpEvent, context: never): Promise<HttpResult> => {
  const target = HANDLERS[event.routeKey];
  if (!target) return jsonResponse(404, { message: `No such route: ${event.routeKey}` });
  return target(event, context);
};
