import { db } from '../shared/clients.js';
import { deadlineConfig } from '../shared/domain/deadlines.js';
import { parseEnv } from '../shared/env.js';
import { logger } from '../shared/observability.js';
import { closeReferral } from './domain.js';
import { closeReferralEnvSchema } from './env.js';
import { closeReferralInputSchema } from './schemas.js';
import { referralStep } from './step-handler.js';

const env = parseEnv(closeReferralEnvSchema);
const config = deadlineConfig(env);

/** State `CloseReferral`: `{referralId, decision}` → closed, activity report data updated. */
export const handler = referralStep(closeReferralInputSchema, async (event) =>
  closeReferral({ db, tableName: env.TABLE_NAME, config, logger }, event),
);
