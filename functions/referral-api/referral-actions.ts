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
import * as routes from './routes.js';
import type { referralPathSchema } from './schemas.js';

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

/** The contracts of the organiser actions: each takes a body and the referral's path. */
type ActionContract =
  | typeof routes.rerouteReferralRoute
  | typeof routes.decideExtensionRoute
  | typeof routes.closeByCommitteeRoute
  | typeof routes.redriveReferralRoute;

/** What every action's domain call gets: the table, Step Functions, the deadline settings. */
const actionDeps = { ...deps, stateMachineArn: deps.env.REFERRAL_STATE_MACHINE_ARN };

/**
 * One organiser action on a referral: the domain call `act` with its validated body; answers 200
 * with its result, which the domain types by the answer's schema (the one docs/openapi.json
 * documents) without this function building it.
 */
const action = <TContract extends ActionContract>(
  contract: TContract,
  act: (
    deps: typeof actionDeps,
    referralId: string,
    body: z.output<TContract['body']>,
    context: ActionContext,
  ) => Promise<object>,
) =>
  httpRoute<TContract['body'], typeof referralPathSchema>(
    { ...contract, logKeys: ({ routeKey }) => ({ route: routeKey }) },
    async ({ body, path: { referralId }, caller }) => {
      const input = body as z.output<TContract['body']>;
      const context = contextOf(caller, referralId);
      return jsonResponse(200, await act(actionDeps, referralId, input, context));
    },
  );

/** Send a RETURNED referral to another department {departmentId, reason}: a new round. */
export const reroute = action(routes.rerouteReferralRoute, rerouteReferral);

/** Grant or refuse the extension a department asked for {decision: GRANT | REFUSE, days?, reason}. */
export const extension = action(routes.decideExtensionRoute, decideExtension);

/** The supervising committee closes the referral {reason}. */
export const close = action(routes.closeByCommitteeRoute, closeByCommittee);

/**
 * Runs the failed step of the referral's workflow again {reason}, once its cause is removed (a
 * failed referral carries `failure`).
 */
export const redrive = action(routes.redriveReferralRoute, redriveReferral);

/** One function for the organiser actions (the same grants): dispatches on the route key. */
export const handler = httpRoutes([reroute, extension, close, redrive]);
