import { db } from '../shared/clients.js';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { getSigningKey } from '../shared/secrets.js';
import { sendReferralFeedback } from './states/feedback.js';
import { sendReferralFeedbackEnvSchema } from './env.js';
import { referralStepInputSchema } from './schemas.js';
import { workflowStep } from '../shared/workflow/step.js';
import { DEFAULT_RATING_DAYS } from '../shared/domain/deadlines.js';

const env = parseEnv(sendReferralFeedbackEnvSchema);

/**
 * State `SendFeedback`: the reply to each raiser with a rating link →
 * `{referralId, secondsUntilRatingDeadline, timesReopened}`.
 */
export const handler = workflowStep(referralStepInputSchema, async (event) =>
  sendReferralFeedback(
    {
      db,
      ...emailDepsFromEnv(env),
      tableName: env.TABLE_NAME,
      signingKey: () => getSigningKey(env.LINK_SIGNING_SECRET_ARN),
      publicBaseUrl: env.PUBLIC_BASE_URL ?? '',
      ratingDays: Number(env.RATING_DAYS ?? DEFAULT_RATING_DAYS),
      logger,
    },
    event.referralId,
  ),
);
