import { jsonResponse } from '../shared/http/index.js';
import { residentQueryRoute } from './resident-query.js';
import { searchResidentFindingsRoute } from './routes.js';
import { residentFindingView } from './views.js';

/**
 * The findings that carry a person's name or contact, found by their lookup digests; the read
 * is logged with the reason given.
 */
export const handler = residentQueryRoute(
  searchResidentFindingsRoute,
  'resident-request',
  async (found) => jsonResponse(200, { findings: found.map(residentFindingView) }),
);
