import * as z from 'zod/mini';
import { emailEnv } from '../shared/email/env.js';
import { tableEnv } from '../shared/env-fields.js';

// Imported by the CDK app to type the function's `environment` (z.input<typeof schema>): zod
// only, no side effects.

export const handleMailEventEnvSchema = z.object({
  ...tableEnv,
  ...emailEnv,
  /** Comma-separated addresses of the organisers, told about each bounce and complaint. */
  ORGANISER_EMAILS: z.string().check(
    z.trim(),
    z.minLength(1),
    z.refine(
      (value) =>
        value
          .split(',')
          .map((address) => address.trim())
          .every((address) => z.email().safeParse(address).success),
      { message: 'must be comma-separated email addresses' },
    ),
  ),
});
