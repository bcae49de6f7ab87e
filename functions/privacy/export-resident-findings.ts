import middy from '@middy/core';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import {
  bodyLimit,
  getCaller,
  httpErrorHandler,
  jsonResponse,
  requireRole,
  validateRequest,
  type HttpResult,
  type ValidatedHttpEvent,
} from '../shared/http/index.js';
import { logPersonalDataRead } from '../shared/http/personal-data.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { getSigningKey } from '../shared/secrets.js';
import { findResidentFindings } from './domain.js';
import { residentFindingsEnvSchema } from './env.js';
import { personQueryBodySchema, type PersonQueryBody } from './schemas.js';
import { residentFindingView } from './views.js';
import { getReferrals } from '../shared/data/referrals.js';

const env = parseEnv(residentFindingsEnvSchema);

const deps = {
  db,
  tableName: env.TABLE_NAME,
  logger,
  residentLookupKey: () => getSigningKey(env.RESIDENT_LOOKUP_SECRET_ARN),
};

/**
 * `POST /residents/findings/export` (organiser, in scope): a person's findings with their
 * activity, referral status and retention, as a JSON attachment (PIPL access and copy).
 */
export const handler = middy<ValidatedHttpEvent<PersonQueryBody>, HttpResult>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser'))
  .use(bodyLimit({ maxBytes: 8 * 1024 }))
  .use(validateRequest({ body: personQueryBodySchema }))
  .use(
    logPersonalDataRead({
      logger,
      purpose: 'resident-export',
      reasonOf: (event: ValidatedHttpEvent<PersonQueryBody>) => event.body.reason,
    }),
  )
  .handler(async (event) => {
    const caller = getCaller(event);
    const found = await findResidentFindings(deps, caller, event.body);
    const referrals = await getReferrals(
      deps,
      found.map((f) => f.finding.referralId).filter((id): id is string => !!id),
    );
    const exportedAt = new Date().toISOString();
    const findings = found.map((f) => {
      const referral = f.finding.referralId ? referrals.get(f.finding.referralId) : undefined;
      const closedAt = (referral as { closedAt?: string } | undefined)?.closedAt;
      return {
        ...residentFindingView(f),
        ...(referral
          ? {
              referral: {
                id: referral.id,
                departmentId: referral.departmentId,
                status: referral.status,
                ...(closedAt ? { closedAt } : {}),
              },
            }
          : {}),
      };
    });
    return jsonResponse(
      200,
      {
        exportedAt,
        exportedBy: caller.sub,
        person: {
          ...(event.body.name ? { name: event.body.name } : {}),
          ...(event.body.contact ? { contact: event.body.contact } : {}),
        },
        findings,
      },
      {
        'content-disposition': `attachment; filename="resident-findings-${exportedAt.slice(0, 10)}.json"`,
        'cache-control': 'no-store',
      },
    );
  });
