import { sfn } from '../shared/clients.js';
import { NotFoundError } from '../shared/errors.js';
import { isOrganiserOf } from '../shared/http/auth.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { getReferralDetail } from './domain.js';
import { getReferralEnvSchema } from './env.js';
import { getReferralRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(getReferralEnvSchema, () => ({ sfn }));

/**
 * `200 {referral, responses, ratings, history, chain}`: the referral with its routing history,
 * the department's responses, the ratings (comments for organisers only), and its audit trail
 * with the result of verifying the hash chain; an organiser out of scope is told it does not
 * exist. The task token never appears.
 */
export const handler = httpRoute(getReferralRoute, async ({ path: { referralId }, caller }) => {
  const auditor = caller.roles.includes('auditor');
  const detail = await getReferralDetail(deps, referralId, {
    showComments: caller.roles.includes('organiser'),
    authorize: (activity) => {
      if (auditor || isOrganiserOf(caller, activity)) return;
      throw new NotFoundError(`Referral ${referralId} not found`);
    },
  });
  return jsonResponse(200, detail);
});
