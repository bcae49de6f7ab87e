import middy from '@middy/core';
import { db, ses } from '../shared/clients.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput, retryableErrors } from '../shared/workflow/middleware.js';
import { sendActivityReportEnvSchema } from './env.js';
import { sendActivityReportInputSchema, type SendActivityReportInput } from './schemas.js';
import { organiserMailboxes, sendActivityReport, type SendReportResult } from './send.js';

const env = parseEnv(sendActivityReportEnvSchema);
const organiserEmails = organiserMailboxes(env.ORGANISER_EMAILS);

/** State `SendActivityReport`: emails the report to the organisers → numbers only. */
export const handler = middy<SendActivityReportInput, SendReportResult>()
  .use(observe())
  .use(retryableErrors())
  .use(parseInput(sendActivityReportInputSchema))
  .handler(async (event) => {
    logger.appendKeys({ activityId: event.activityId });
    return sendActivityReport(
      {
        db,
        ses,
        tableName: env.TABLE_NAME,
        senderEmail: env.SENDER_EMAIL,
        configurationSet: env.SES_CONFIGURATION_SET,
        organiserEmails,
        logger,
      },
      event.activityId,
    );
  });
