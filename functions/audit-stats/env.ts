import * as z from 'zod/mini';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

const tableName = z.string().check(z.trim(), z.minLength(1));

/** `GET /audit/statistics`: reads only. */
export const auditStatisticsEnvSchema = z.object({ TABLE_NAME: tableName });

/** `GET /audit/deputies/{deputyId}/duty-record` and `.../duty-report`: reads only. */
export const dutyRecordEnvSchema = z.object({ TABLE_NAME: tableName });
