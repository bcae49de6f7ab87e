import { linkPageHandler } from './link-page.js';
import { responseRoutes } from './page-routes.js';

/**
 * `GET /respond/{token}` shows the referral to its department (reads only);
 * `POST /respond/{token}` receives one action (ACKNOWLEDGE, RETURN, REQUEST_EXTENSION, PROGRESS,
 * REPLY), at most once per round. Public routes: the signed, expiring link is the credential.
 */
export const handler = linkPageHandler(responseRoutes);
