import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { emailDepsFromEnv } from '../shared/email/deps.js';
import { activityDeps } from './deps.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { logger, metrics } from '../shared/observability.js';
import { startResidentRetention } from '../privacy/domain.js';
import { parseRetention } from '../privacy/retention.js';
import { cancelActivity } from './cancel.js';
import { cancelActivityEnvSchema } from './env.js';
import { cancelActivityRoute } from './routes.js';

const deps = activityDeps(cancelActivityEnvSchema, (env) => ({
  ...emailDepsFromEnv(env),
  retention: parseRetention(env.RESIDENT_RETENTION),
}));

/**
 * Residents of a cancelled activity: their retention starts now (docs/privacy.md). The
 * cancellation stands whatever happens here, so a failure is logged, not answered: a later
 * referral close (one cancelled during dispatch) or a resident's request still reaches them.
 */
const startRetentionAfterCancel = async (activityId: string) => {
  try {
    await startResidentRetention(deps, activityId);
  } catch (error) {
    logger.warn('Resident retention not started after the cancellation', { error });
  }
};

/**
 * Cancels the activity any time before completion and tells the invitees: 200 when every
 * invitee was told; 202 when notices remain (repeat the request to send them).
 */
export const handler = httpRoute(cancelActivityRoute, async ({ body, path, caller, context }) => {
  const result = await cancelActivity(
    { ...deps, remainingMs: () => context.getRemainingTimeInMillis() },
    { activityId: path.activityId, body, caller },
  );
  await startRetentionAfterCancel(path.activityId);
  metrics.addMetric('CancellationNoticesSent', MetricUnit.Count, result.notices.sent);
  logger.info('Activity cancelled', result.notices);
  return jsonResponse(result.notices.pending > 0 ? 202 : 200, result);
});
