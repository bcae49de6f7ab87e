import * as z from 'zod/mini';

// The settings many functions share, declared once; each area's env.ts composes its functions'
// schemas from them. Imported by the CDK app through the areas' env.ts (to type each function's
// `environment`): zod only, no side effects.

/** A setting that must be given and not blank: a table name, a key id, a secret's ARN. */
export const nonBlank = z.string().check(z.trim(), z.minLength(1));

/** The table every function keeps its state in. */
export const tableEnv = { TABLE_NAME: nonBlank };

/** The environment of a function that needs nothing but its table. */
export const tableEnvSchema = z.object(tableEnv);

/** The ARN of a Step Functions state machine (a workflow a function starts or reaches). */
export const stateMachineArn = z.string().check(
  z.regex(/^arn:[\w-]+:states:[\w-]+:\d{12}:stateMachine:[\w-]{1,80}$/, {
    message: 'must be a Step Functions state machine ARN',
  }),
);

/**
 * The Secrets Manager secret (ARN) of the key that signs personal links (deputies', and the
 * departments' response and rating links). Read with Powertools Parameters, cached
 * (functions/shared/secrets.ts): the key is never in the function configuration.
 */
export const linkSigningEnv = { LINK_SIGNING_SECRET_ARN: nonBlank };

/** A function that writes personal links into emails: the key, and the origin of their pages. */
export const emailedLinksEnv = {
  ...linkSigningEnv,
  /** Origin of the linked pages (the API's URL, `https://…`, no trailing slash needed). */
  PUBLIC_BASE_URL: z.optional(z.url()),
};

/**
 * The secret (ARN) of the HMAC key of check-in codes: read when a code is issued or verified,
 * never in the function configuration.
 */
export const checkInCodeEnv = { CHECK_IN_CODE_SECRET_ARN: nonBlank };

/** The secret (ARN) of the key of residents' lookup digests (docs/privacy.md). */
export const residentLookupEnv = { RESIDENT_LOOKUP_SECRET_ARN: nonBlank };
