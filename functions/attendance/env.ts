import * as z from 'zod/mini';
import { checkInCodeEnv, linkSigningEnv, tableEnv, tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

export const attendanceEnvSchema = tableEnvSchema;

/** Check-in verifies a check-in code (functions/shared/env-fields.ts, `checkInCodeEnv`). */
export const checkInEnvSchema = z.object({ ...tableEnv, ...checkInCodeEnv });

export const checkInQrEnvSchema = z.object({
  ...tableEnv,
  ...checkInCodeEnv,
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

/** The link signing key too: a deputy's personal-link cookie identifies them on the page. */
export const checkInPageEnvSchema = z.object({
  ...tableEnv,
  ...checkInCodeEnv,
  ...linkSigningEnv,
});

export const phaseControlEnvSchema = tableEnvSchema;
