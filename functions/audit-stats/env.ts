import { tableEnvSchema } from '../shared/env-fields.js';

// Imported by the CDK app to type each function's `environment` (z.input<typeof schema>):
// zod only, no side effects.

/** `GET /audit/statistics`: reads only. */
export const auditStatisticsEnvSchema = tableEnvSchema;

/** `GET /audit/deputies/{deputyId}/duty-record` and `.../duty-report`: reads only. */
export const dutyRecordEnvSchema = tableEnvSchema;
