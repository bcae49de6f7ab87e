import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { idempotentRoute } from '../shared/http/idempotent.js';
import { logger, metrics } from '../shared/observability.js';
import { getSigningKey } from '../shared/secrets.js';
import { tableDeps } from '../shared/table-deps.js';
import { recordFinding } from './domain.js';
import { recordFindingEnvSchema } from './env.js';
import { recordFindingRoute } from './routes.js';

const deps = tableDeps(recordFindingEnvSchema, (env) => ({
  residentLookupKey: () => getSigningKey(env.RESIDENT_LOOKUP_SECRET_ARN),
}));

/**
 * Records a finding while check-in or findings are open, for the deputy or on their behalf.
 * `Idempotency-Key` header honoured.
 */
export const handler = httpRoute(
  {
    ...recordFindingRoute,
    streets: ({ body }) => ({ street: body.street }),
    idempotency: idempotentRoute('RecordFinding', deps.tableName),
    personalData: { purpose: 'recording' },
  },
  async ({ body, path, caller }) => {
    const finding = await recordFinding(deps, { activityId: path.activityId, body, caller });
    // Ids and codes only: the description and any resident stay out of the logs.
    logger.info('Finding recorded', { findingId: finding.id, kind: finding.kind });
    metrics.addMetric('FindingsRecorded', MetricUnit.Count, 1);
    return jsonResponse(201, { finding });
  },
);
