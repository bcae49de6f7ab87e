import { readableActivity } from '../audit/trail.js';
import { httpRoute } from '../shared/http/index.js';
import { activityReportEnvSchema } from './env.js';
import { reportPage } from './render-page.js';
import { activityReportRoute } from './routes.js';
import { loadReportView } from './store.js';
import { tableDeps } from '../shared/table-deps.js';

const deps = tableDeps(activityReportEnvSchema);

/**
 * The activity report (情况报告) as an HTML page; another street's activity is 404 as for the
 * audit trail, and so is one that is not COMPLETED yet.
 */
export const handler = httpRoute(activityReportRoute, async ({ path, caller }) => {
  // Scope first: an activity outside it is 404 whatever its status, so nothing leaks.
  const activity = await readableActivity(deps, caller, path.activityId);
  return reportPage(await loadReportView(deps, activity));
});
