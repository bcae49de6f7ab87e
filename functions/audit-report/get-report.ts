import { readableActivity } from '../audit/trail.js';
import { httpRoute } from '../shared/http/index.js';
import { activityReportEnvSchema } from './env.js';
import { reportPage } from './render-page.js';
import { auditActivityPathSchema } from './schemas.js';
import { loadReportView } from './store.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(activityReportEnvSchema);

/**
 * `GET /audit/activities/{activityId}/report`: the activity report (情况报告) as an HTML page
 * (auditor; organiser within their street, another street's is 404 as for the audit trail;
 * deputies 403). 404 too while the activity is not COMPLETED.
 */
export const handler = httpRoute(
  {
    roles: ['auditor', 'organiser'],
    path: auditActivityPathSchema,
  },
  async ({ path, caller }) => {
    // Scope first: an activity outside it is 404 whatever its status, so nothing leaks.
    const activity = await readableActivity(deps, caller, path.activityId);
    return reportPage(await loadReportView(deps, activity));
  },
);
