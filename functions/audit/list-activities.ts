import { jurisdictionOf } from '../shared/data/jurisdiction.js';
import { httpRoute, jsonResponse } from '../shared/http/index.js';
import { streetQueryFilter } from '../shared/http/list-route.js';
import { listEndedActivities } from './activities.js';
import { auditActivitiesCsv, CSV_CONTENT_TYPE } from './csv.js';
import { listAuditActivitiesEnvSchema } from './env.js';
import { listAuditActivitiesRoute } from './routes.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(listAuditActivitiesEnvSchema);

/**
 * Ended activities of a period by status, type, street, organiser, with attendance, findings and
 * referral outcomes; an organiser's street scope narrows them. `format=csv` answers the same page
 * as CSV (UTF-8 with BOM), the next cursor in `x-next-cursor`.
 */
export const handler = httpRoute(
  { ...listAuditActivitiesRoute, ...streetQueryFilter() },
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
