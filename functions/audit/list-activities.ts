import { jurisdictionOf } from '../shared/data/jurisdiction.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { listEndedActivities } from './activities.js';
import { auditActivitiesCsv, CSV_CONTENT_TYPE } from './csv.js';
import { listAuditActivitiesEnvSchema } from './env.js';
import { auditActivitiesQuerySchema } from './schemas.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(listAuditActivitiesEnvSchema);

/**
 * `GET /audit/activities` (auditor; organiser within their street): ended activities of a
 * period by status, type, street, organiser, with attendance, findings and referral outcomes.
 * `format=csv` answers the same page as CSV (UTF-8 with BOM), the next cursor in
 * `x-next-cursor`.
 */
export const handler = httpRoute(
  {
    roles: ['auditor', 'organiser'],
    query: auditActivitiesQuerySchema,
    streets: ({ query }) => ({ 'query.street': query.street }),
    inactiveStreets: true,
  },
  async ({ query, caller }) => {
    const page = await listEndedActivities(deps, caller, query);
    if (query.format === 'csv') {
      return {
        statusCode: 200,
        headers: {
          'content-type': CSV_CONTENT_TYPE,
          'content-disposition': `attachment; filename="audit-activities-${page.status.toLowerCase()}.csv"`,
          ...(page.nextCursor ? { 'x-next-cursor': page.nextCursor } : {}),
        },
        body: auditActivitiesCsv(page.items, await jurisdictionOf(deps)),
      };
    }
    return jsonResponse(200, page);
  },
);
