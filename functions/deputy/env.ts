import * as z from 'zod/mini';
import { emailEnv } from '../shared/email/env.js';
import {
  checkInCodeEnv,
  emailedLinksEnv,
  linkSigningEnv,
  residentLookupEnv,
  tableEnv,
  tableEnvSchema,
} from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/**
 * The deputy's activity page: the table, the secret of the link signing key, and the secret of
 * the check-in code key (a venue code typed on the page is checked against it).
 */
export const deputyPageEnvSchema = z.object({
  ...tableEnv,
  ...linkSigningEnv,
  ...checkInCodeEnv,
  /** The key of residents' lookup digests: findings recorded on the page. */
  ...residentLookupEnv,
});

/** "My activities": the request form (emails a home link) and the home page. */
export const deputyHomeEnvSchema = z.object({
  ...tableEnv,
  ...emailEnv,
  /** The emailed home link. */
  ...emailedLinksEnv,
  /** Home links one address may be sent per hour (the rest are dropped, answered the same). */
  HOME_LINKS_PER_HOUR: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 3),
});

/** `GET /me/activities` (JWT, role deputy). */
export const meActivitiesEnvSchema = tableEnvSchema;
