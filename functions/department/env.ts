import * as z from 'zod/mini';
import { linkSigningEnv, tableEnv } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/** The response and rating pages: the table, and the link signing key's secret. */
export const linkPageEnvSchema = z.object({ ...tableEnv, ...linkSigningEnv });
