import * as z from 'zod/mini';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));

const secretArn = z.string().check(z.trim(), z.minLength(1));

/** The resident lookup key (docs/privacy.md) files a resident's name and contact by HMAC. */
export const recordFindingEnvSchema = z.object({
  TABLE_NAME: tableName,
  RESIDENT_LOOKUP_SECRET_ARN: secretArn,
});

export const listFindingsEnvSchema = z.object({ TABLE_NAME: tableName });

/** `POST .../findings/close` ends the FINDINGS step with the stored task token. */
export const closeFindingsPhaseEnvSchema = z.object({ TABLE_NAME: tableName });
