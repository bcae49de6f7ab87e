import { DEFAULT_RATING_DAYS } from '../shared/domain/deadlines.js';
import { parseEnv } from '../shared/env.js';
import { signedLinkDeps } from '../shared/workflow/link-deps.js';
import { emailStepDeps } from '../shared/workflow/step-deps.js';
import { workflowStep } from '../shared/workflow/step.js';
import { sendReferralFeedback } from './states/feedback.js';
import { sendReferralFeedbackEnvSchema } from './env.js';
import { referralStepInputSchema } from './schemas.js';

const env = parseEnv(sendReferralFeedbackEnvSchema);
const deps = {
  ...emailStepDeps(env),
  ...signedLinkDeps(env),
  ratingDays: Number(env.RATING_DAYS ?? DEFAULT_RATING_DAYS),
};

/**
 * State `SendFeedback`: the reply to each raiser with a rating link →
 * `{referralId, secondsUntilRatingDeadline, timesReopened}`.
 */
export const handler = workflowStep(referralStepInputSchema, async (event) =>
  sendReferralFeedback(deps, event.referralId),
);
