import { db } from '../shared/clients.js';
import { deadlineConfig } from '../shared/domain/deadlines.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { startResidentRetention } from '../privacy/domain.js';
import { parseRetention } from '../privacy/retention.js';
import { closeReferral } from './states/close.js';
import { closeReferralEnvSchema } from './env.js';
import { closeReferralInputSchema } from './schemas.js';
import { workflowStep } from '../shared/workflow/step.js';
import { getReferrals } from '../shared/data/referrals.js';

const env = parseEnv(closeReferralEnvSchema);
const config = deadlineConfig(env);
const retention = parseRetention(env.RESIDENT_RETENTION);

/**
 * State `CloseReferral`: `{referralId, decision}` → closed, activity report data updated; then
 * the retention of the residents this referral was the last open one to carry starts
 * (docs/privacy.md). A retry after the close does the second part again, once.
 */
export const handler = workflowStep(closeReferralInputSchema, async (event) => {
  const deps = { db, tableName: env.TABLE_NAME, config, logger };
  const result = await closeReferral(deps, event);
  const referral = (await getReferrals(deps, [event.referralId])).get(event.referralId);
  if (referral) await startResidentRetention({ ...deps, retention }, referral.activityId);
  return result;
});
