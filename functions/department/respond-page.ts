import { linkPageHandler } from './link-page.js';
import { responseRoutes } from './page-routes.js';

/**
 * Shows the referral to its department (a GET reads only) and receives one action (ACKNOWLEDGE,
 * RETURN, REQUEST_EXTENSION, PROGRESS, REPLY), at most once per round.
 */
export const handler = linkPageHandler(responseRoutes);
