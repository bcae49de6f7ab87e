import type { z } from 'zod/mini';
import { sfn } from '../shared/clients.js';
import { deadlineConfig } from '../shared/domain/deadlines.js';
import { NotFoundError } from '../shared/errors.js';
import { isOrganiserOf } from '../shared/http/auth.js';
import { httpRoute, httpRoutes, jsonResponse, type Caller } from '../shared/http/index.js';
import { tableDeps } from '../shared/table-deps.js';
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
  committeeCloseAnswerSchema,
  extensionAnswerSchema,
  redriveReferralAnswerSchema,
  rerouteAnswerSchema,
  extensionBodySchema,
  redriveBodySchema,
  referralPathSchema,
  rerouteBodySchema,
} from './schemas.js';

const deps = tableDeps(referralActionsEnvSchema, (env) => ({ sfn, config: deadlineConfig(env) }));

/** The organiser in scope of the referral's activity; anyone else is told it does not exist. */
const contextOf = (caller: Caller, referralId: string): ActionContext => ({
  actor: caller.sub,
  authorize: (activity) => {
    if (!isOrganiserOf(caller, activity)) {
      throw new NotFoundError(`Referral ${referralId} not found`);
    }
  },
});

/**
 * One organiser action on a referral: its body, then the domain call; answers 200 with its
 * result, typed by the answer's schema (the one docs/openapi.json documents).
 */
const route = <TSchema extends z.ZodMiniType, TAnswer extends z.ZodMiniType>(
  body: TSchema,
  _answer: TAnswer,
  act: (
    referralId: string,
    body: z.output<TSchema>,
    context: ActionContext,
  ) => Promise<z.output<TAnswer>>,
) =>
  httpRoute(
    {
      roles: ['organiser'],
      body,
      path: referralPathSchema,
      logKeys: ({ routeKey }) => ({ route: routeKey }),
    },
    async ({ body, path: { referralId }, caller }) =>
      jsonResponse(
        200,
        await act(referralId, body as z.output<TSchema>, contextOf(caller, referralId)),
      ),
  );

/** `POST /referrals/{referralId}/reroute` {departmentId, reason}: a RETURNED referral only. */
export const reroute = route(rerouteBodySchema, rerouteAnswerSchema, (referralId, body, context) =>
  rerouteReferral(deps, referralId, body, context),
);

/** `POST /referrals/{referralId}/extension` {decision: GRANT | REFUSE, days?, reason}. */
export const extension = route(
  extensionBodySchema,
  extensionAnswerSchema,
  (referralId, body, context) => decideExtension(deps, referralId, body, context),
);

/** `POST /referrals/{referralId}/close` {reason}: the supervising committee closes it. */
export const close = route(
  closeBodySchema,
  committeeCloseAnswerSchema,
  (referralId, body, context) => closeByCommittee(deps, referralId, body, context),
);

/**
 * `POST /referrals/{referralId}/redrive` {reason}: runs the failed step of the referral's workflow
 * again once its cause is removed (a failed referral carries `failure`).
 */
export const redrive = route(
  redriveBodySchema,
  redriveReferralAnswerSchema,
  (referralId, body, context) =>
    redriveReferral(
      { ...deps, stateMachineArn: deps.env.REFERRAL_STATE_MACHINE_ARN },
      referralId,
      body,
      context,
    ),
);

/**
 * One function for the organiser actions (the same grants): dispatches on the route key.
 */
export const handler = httpRoutes({
  'POST /referrals/{referralId}/reroute': reroute,
  'POST /referrals/{referralId}/extension': extension,
  'POST /referrals/{referralId}/close': close,
  'POST /referrals/{referralId}/redrive': redrive,
});
