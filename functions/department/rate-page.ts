import { linkPageHandler } from './link-page.js';
import { ratingRoutes } from './page-routes.js';

/**
 * `GET /rate/{token}` shows the department's reply to whoever raised the finding (reads only);
 * `POST /rate/{token}` stores their rating once. Public routes: the signed link is the
 * credential.
 */
export const handler = linkPageHandler(ratingRoutes);
