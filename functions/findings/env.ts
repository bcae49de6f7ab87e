import * as z from 'zod/mini';
import { residentLookupEnv, tableEnv, tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/** The resident lookup key (docs/privacy.md) files a resident's name and contact by HMAC. */
export const recordFindingEnvSchema = z.object({ ...tableEnv, ...residentLookupEnv });

export const listFindingsEnvSchema = tableEnvSchema;

/** `POST .../findings/close` ends the FINDINGS step with the stored task token. */
export const closeFindingsPhaseEnvSchema = tableEnvSchema;
