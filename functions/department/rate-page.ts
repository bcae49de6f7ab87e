import { linkPageHandler } from './link-page.js';
import { ratingRoutes } from './page-routes.js';

/**
 * Shows the department's reply to whoever raised the finding (a GET reads only) and stores their
 * rating once.
 */
export const handler = linkPageHandler(ratingRoutes);
