import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import {
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
import { readFindings } from './domain.js';
import { listFindingsEnvSchema } from './env.js';
import { activityPathSchema } from './schemas.js';

const env = parseEnv(listFindingsEnvSchema);

const deps = { db, tableName: env.TABLE_NAME, logger };

/**
 * `GET /activities/{activityId}/findings`: organisers and auditors see every finding (auditors
 * without residents' details); an invited deputy sees their own.
 */
export const handler = middy<
  ValidatedHttpEvent<undefined, z.output<typeof activityPathSchema>>,
  HttpResult
>()
  .use(httpErrorHandler({ logger }))
  .use(observe())
  .use(requireRole('organiser', 'auditor', 'deputy'))
  .use(validateRequest({ pathParameters: activityPathSchema }))
  .use(logPersonalDataRead({ logger, purpose: 'findings' }))
  .handler(async (event) => {
    const { activityId } = event.pathParameters;
    logger.appendKeys({ activityId });
    return jsonResponse(200, await readFindings(deps, activityId, getCaller(event)));
  });
