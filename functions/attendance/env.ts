import * as z from 'zod/mini';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));

/**
 * The Secrets Manager secret (ARN) holding the HMAC key of check-in codes. The functions read it
 * with Powertools Parameters, cached, when they issue or verify a code: the key is never in the
 * function configuration.
 */
const checkInCodeSecretArn = z.string().check(z.trim(), z.minLength(1));

export const attendanceEnvSchema = z.object({ TABLE_NAME: tableName });

export const checkInEnvSchema = z.object({
  TABLE_NAME: tableName,
  CHECK_IN_CODE_SECRET_ARN: checkInCodeSecretArn,
});

export const checkInQrEnvSchema = z.object({
  TABLE_NAME: tableName,
  CHECK_IN_CODE_SECRET_ARN: checkInCodeSecretArn,
  /** How long a QR code's activity code is valid; default 15 minutes. */
  CHECK_IN_CODE_TTL_SECONDS: z._default(
    z.coerce.number().check(z.int(), z.minimum(60), z.maximum(86_400)),
    900,
  ),
  /**
   * Origin of the public check-in page (e.g. a custom domain of the API). Default: the origin
   * the request came in on.
   */
  PUBLIC_BASE_URL: z.optional(z.url()),
});

export const checkInPageEnvSchema = z.object({
  TABLE_NAME: tableName,
  CHECK_IN_CODE_SECRET_ARN: checkInCodeSecretArn,
  /** The link signing key: a deputy's personal-link cookie identifies them on the page. */
  LINK_SIGNING_SECRET_ARN: z.string().check(z.trim(), z.minLength(1)),
});

export const phaseControlEnvSchema = z.object({ TABLE_NAME: tableName });

export type CheckInQrEnv = z.output<typeof checkInQrEnvSchema>;
