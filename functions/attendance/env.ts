import { z } from 'zod';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().trim().min(1);

/**
 * The HMAC key of check-in codes (at least 32 characters).
 *
 * For now the secret itself is passed as an environment variable. On AWS the lead should keep
 * it in Secrets Manager (a generated secret, e.g. `new secretsmanager.Secret(..., {
 * generateSecretString: { excludePunctuation: true, passwordLength: 48 } })`) and, until the
 * functions read it at cold start with Powertools Parameters (`getSecret`, cached) from a
 * `CHECK_IN_CODE_SECRET_ARN` variable, pass `secret.secretValue.unsafeUnwrap()` here. That
 * puts the value in the function configuration, readable with lambda:GetFunctionConfiguration,
 * which is acceptable only because a code is not a credential (it names an activity and
 * expires; the check-in still requires the deputy's JWT).
 */
const checkInCodeSecret = z
  .string()
  .min(32, { message: 'must be at least 32 characters' })
  .max(512, { message: 'must be at most 512 characters' });

export const attendanceEnvSchema = z.object({ TABLE_NAME: tableName });

export const checkInEnvSchema = z.object({
  TABLE_NAME: tableName,
  CHECK_IN_CODE_SECRET: checkInCodeSecret,
});

export const checkInQrEnvSchema = z.object({
  TABLE_NAME: tableName,
  CHECK_IN_CODE_SECRET: checkInCodeSecret,
  /** How long a QR code's activity code is valid; default 15 minutes. */
  CHECK_IN_CODE_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(900),
  /**
   * Origin of the public check-in page (e.g. a custom domain of the API). Default: the origin
   * the request came in on.
   */
  PUBLIC_BASE_URL: z.url().optional(),
});

export const checkInPageEnvSchema = z.object({
  TABLE_NAME: tableName,
  CHECK_IN_CODE_SECRET: checkInCodeSecret,
});

export const phaseControlEnvSchema = z.object({ TABLE_NAME: tableName });

export type CheckInQrEnv = z.output<typeof checkInQrEnvSchema>;
