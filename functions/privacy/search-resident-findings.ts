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

const env = parseEnv(residentFindingsEnvSchema);

const deps = {
  db,
  tableName: env.TABLE_NAME,
  logger,
  residentLookupKey: () => getSigningKey(env.RESIDENT_LOOKUP_SECRET_ARN),
};

/**
 * `POST /residents/findings/search` (organiser, in scope): the findings that carry a person's
 * name or contact, found by their lookup digests; the read is logged with the reason given.
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
      purpose: 'resident-request',
      reasonOf: (event: ValidatedHttpEvent<PersonQueryBody>) => event.body.reason,
    }),
  )
  .handler(async (event) => {
    const found = await findResidentFindings(deps, getCaller(event), event.body);
    return jsonResponse(200, { findings: found.map(residentFindingView) });
  });
