import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { z } from 'zod/mini';
import { db } from '../shared/clients.js';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import { parseEnv } from '../shared/env.js';
import { ValidationError } from '../shared/errors.js';
import { logger, metrics } from '../shared/observability.js';
import { observe } from '../shared/observe.js';
import { parseInput } from '../shared/workflow/middleware.js';
import { handleMailEvent, parseSesNotification, type MailEventOutcome } from './domain.js';
import { handleMailEventEnvSchema } from './env.js';
import { snsEventSchema } from './schemas.js';

const env = parseEnv(handleMailEventEnvSchema);
const organiserEmails = env.ORGANISER_EMAILS.split(',')
  .map((address) => address.trim())
  .filter(Boolean);

/**
 * SNS subscription of the configuration set's bounce and complaint events: marks the email
 * (and its referral) and alerts the organisers, once per message id. A record that fails for a
 * reason that may pass fails the invocation, so Lambda's asynchronous retries (and SNS) deliver
 * it again; every step is idempotent. A record that is not an SES notification is logged and
 * dropped: retrying it cannot help.
 */
export const handler = middy<z.output<typeof snsEventSchema>, { outcomes: MailEventOutcome[] }>()
  .use(observe())
  .use(parseInput(snsEventSchema))
  .handler(async (event) => {
    const deps = {
      db,
      ...emailDepsFromEnv(env),
      tableName: env.TABLE_NAME,
      organiserEmails,
      logger,
    };
    const outcomes: MailEventOutcome[] = [];
    let failure: unknown;
    for (const record of event.Records) {
      try {
        const outcome = await handleMailEvent(deps, parseSesNotification(record.Sns.Message));
        outcomes.push(outcome);
        if (outcome.result === 'MARKED') {
          metrics.addMetric(
            outcome.status === 'BOUNCED' ? 'EmailsBounced' : 'EmailsComplained',
            MetricUnit.Count,
            1,
          );
        }
      } catch (error) {
        if (error instanceof ValidationError) {
          logger.error('Dropped an SNS record that is not an SES notification', {
            snsMessageId: record.Sns.MessageId,
            issues: error.issues,
          });
          outcomes.push({ result: 'IGNORED', reason: 'not an SES notification' });
          continue;
        }
        logger.error('Mail event failed; the invocation will be retried', { error });
        failure ??= error;
      }
    }
    if (failure !== undefined) throw failure;
    return { outcomes };
  });
