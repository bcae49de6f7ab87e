import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db, ses } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { getSigningKey } from '../shared/secrets.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { sendInvitations, type SendInvitationsResult } from './domain.js';
import { sendInvitationsEnvSchema } from './env.js';
import { sendInvitationsInputSchema } from './schemas.js';

const env = parseEnv(sendInvitationsEnvSchema);

/** State `SendInvitations`: `{activityId}` → `{activityId, secondsUntilStart}`. */
export const handler = middy<z.output<typeof sendInvitationsInputSchema>, SendInvitationsResult>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(sendInvitationsInputSchema))
  .handler(async (event, context) => {
    logger.appendKeys({ activityId: event.activityId });
    const { activityId, secondsUntilStart, sentNow, failed } = await sendInvitations(
      {
        db,
        ses,
        tableName: env.TABLE_NAME,
        senderEmail: env.SENDER_EMAIL,
        configurationSet: env.SES_CONFIGURATION_SET,
        signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
        publicBaseUrl: env.PUBLIC_BASE_URL ?? '',
        remainingMs: () => context.getRemainingTimeInMillis(),
        logger,
      },
      event.activityId,
    );
    metrics.addMetric('InvitationEmailsSent', MetricUnit.Count, sentNow);
    metrics.addMetric('InvitationEmailsFailed', MetricUnit.Count, failed);
    logger.info('Invitations sent', { sentNow, failed, secondsUntilStart });
    // Ids and numbers only: this is the state's output, kept in the execution history.
    return { activityId, secondsUntilStart };
  });
