import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db, ses } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { getSigningKey } from '../shared/secrets.js';
import { changeNoticesEnvSchema } from './env.js';
import { startStepInputSchema } from './schemas.js';
import { sendChangeNotices } from './start-steps.js';

const env = parseEnv(changeNoticesEnvSchema);

/** State `SendChangeNotices`: `{activityId}` → `{activityId, changes, sent, failed}`. */
export const handler = middy<
  z.output<typeof startStepInputSchema>,
  { activityId: string; changes: number; sent: number; failed: number }
>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(startStepInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    const result = await sendChangeNotices(
      {
        db,
        ses,
        tableName: env.TABLE_NAME,
        senderEmail: env.SENDER_EMAIL,
        configurationSet: env.SES_CONFIGURATION_SET,
        deputyPage: {
          signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
          publicBaseUrl: env.PUBLIC_BASE_URL ?? '',
        },
        logger,
      },
      event.activityId,
    );
    metrics.addMetric('ChangeNoticeEmailsSent', MetricUnit.Count, result.sent);
    return result;
  });
