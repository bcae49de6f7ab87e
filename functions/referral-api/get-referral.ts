import middy from '@middy/core';
import type { z } from 'zod/mini';
import { isOrganiserOf } from '../activities/view.js';
import { db, sfn } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { NotFoundError } from '../shared/errors.js';
import {
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireRole,
  validateRequest,
  type HttpResult,
  type ValidatedHttpEvent,
} from '../shared/http/index.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { getReferralDetail } from './domain.js';
import { getReferralEnvSchema } from './env.js';
import { referralPathSchema } from './schemas.js';

const env = parseEnv(getReferralEnvSchema);
const deps = { db, sfn, tableName: env.TABLE_NAME, logger };

/**
 * `GET /referrals/{referralId}` (organiser in scope, auditor) → `200 {referral, responses,
 * ratings, history, chain}`: the referral with its routing history, the department's
 * responses, the ratings (comments for organisers only), and its audit trail with the result
 * of verifying the hash chain. The task token never appears.
 */
export const handler = middy<
  ValidatedHttpEvent<undefined, z.output<typeof referralPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser', 'auditor'))
  .use(validateRequest({ pathParameters: referralPathSchema }))
  .handler(async (event) => {
    const { referralId } = event.pathParameters;
    logger.appendKeys({ referralId });
    const caller = getCaller(event);
    const organiser = caller.roles.includes('organiser');
    const auditor = caller.roles.includes('auditor');
    const detail = await getReferralDetail(deps, referralId, {
      showComments: organiser,
      authorize: (activity) => {
        if (auditor || isOrganiserOf(caller, activity)) return;
        throw new NotFoundError(`Referral ${referralId} not found`);
      },
    });
    return jsonResponse(200, detail);
  });
