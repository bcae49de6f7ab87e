import * as z from 'zod/mini';
import { emailEnv } from '../shared/email/env.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));
const secretArn = z.string().check(z.trim(), z.minLength(1));

/**
 * The deputy's activity page: the table, the secret of the link signing key, and the secret of
 * the check-in code key (a venue code typed on the page is checked against it).
 */
export const deputyPageEnvSchema = z.object({
  TABLE_NAME: tableName,
  LINK_SIGNING_SECRET_ARN: secretArn,
  CHECK_IN_CODE_SECRET_ARN: secretArn,
  /** The key of residents' lookup digests (docs/privacy.md): findings recorded on the page. */
  RESIDENT_LOOKUP_SECRET_ARN: secretArn,
});

/** "My activities": the request form (emails a home link) and the home page. */
export const deputyHomeEnvSchema = z.object({
  TABLE_NAME: tableName,
  LINK_SIGNING_SECRET_ARN: secretArn,
  ...emailEnv,
  /** Origin of the emailed home link (the API's URL). */
  PUBLIC_BASE_URL: z.optional(z.url()),
  /** Home links one address may be sent per hour (the rest are dropped, answered the same). */
  HOME_LINKS_PER_HOUR: z._default(z.coerce.number().check(z.int(), z.minimum(1)), 3),
});

/** `GET /me/activities` (JWT, role deputy). */
export const meActivitiesEnvSchema = z.object({ TABLE_NAME: tableName });
