import * as z from 'zod/mini';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));

/** `POST /campaigns` (writes the campaign and its first audit event), `GET /campaigns`. */
export const campaignsEnvSchema = z.object({ TABLE_NAME: tableName });

/** `GET /audit/campaigns/{campaignId}/statistics`: reads only. */
export const campaignStatisticsEnvSchema = z.object({ TABLE_NAME: tableName });
