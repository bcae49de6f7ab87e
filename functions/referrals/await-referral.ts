import { db, sfn } from '../shared/clients.js';
import { deadlineConfig } from '../shared/domain/deadlines.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { awaitReferral } from './states/await.js';
import { awaitReferralEnvSchema } from './env.js';
import { awaitReferralInputSchema } from './schemas.js';
import { workflowStep } from '../shared/workflow/step.js';

const env = parseEnv(awaitReferralEnvSchema);
const config = deadlineConfig(env);

/**
 * `.waitForTaskToken` states: `{referralId, phase, taskToken}` → stores the token and phase on
 * the referral, returns `{}` (the state then waits for SendTaskSuccess or its timeout).
 */
export const handler = workflowStep(awaitReferralInputSchema, async (event) => {
  logger.appendKeys({ phase: event.phase });
  return awaitReferral({ db, sfn, tableName: env.TABLE_NAME, config, logger }, event);
});
