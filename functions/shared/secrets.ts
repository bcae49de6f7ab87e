import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { TransientError } from './errors.js';

/**
 * Secrets of the app, read through Powertools Parameters (Secrets Manager `GetSecretValue`),
 * cached per execution environment. No endpoint is configured here: the SDK reads
 * `AWS_ENDPOINT_URL_SECRETS_MANAGER`, which is how the local cloud serves the template's secrets.
 */

/** How long a secret value is kept in memory, in seconds (rotation shows up after this). */
export const SIGNING_KEY_MAX_AGE_SECONDS = 300;

/** Shorter keys make HMAC signatures guessable; generated secrets are far longer. */
export const MIN_SIGNING_KEY_LENGTH = 16;

/**
 * The key cannot be had now: Secrets Manager unreachable or throttling, or the secret missing,
 * empty or too short. Transient by type: an HTTP route answers 503 with Retry-After and a
 * workflow step retries it with backoff (its name is `TransientError`), which is what a
 * Secrets Manager outage needs; a misconfigured secret fails the same way, loudly, in the logs.
 */
export class SecretUnavailableError extends TransientError {}

/**
 * The key that signs response and rating links (docs/referral-workflow.md, `links.ts`).
 *
 * `secretArnOrName` is the secret's ARN or name (the CDK passes the ARN in an environment
 * variable). The secret is either the key itself or JSON with a `key` field (a
 * `GenerateSecretString` with `SecretStringTemplate` + `GenerateStringKey: 'key'`).
 */
export const getSigningKey = async (
  secretArnOrName: string,
  options: { maxAge?: number; forceFetch?: boolean } = {},
): Promise<string> => {
  if (!secretArnOrName) {
    throw new SecretUnavailableError('No signing key secret configured (empty secret id)');
  }
  let value: unknown;
  try {
    value = await getSecret(secretArnOrName, {
      maxAge: options.maxAge ?? SIGNING_KEY_MAX_AGE_SECONDS,
      ...(options.forceFetch ? { forceFetch: true } : {}),
    });
  } catch (error) {
    throw new SecretUnavailableError(
      `Cannot read the signing key secret ${secretArnOrName}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  const key = extractKey(value);
  if (!key || key.trim().length === 0) {
    throw new SecretUnavailableError(`The signing key secret ${secretArnOrName} is empty`);
  }
  if (key.length < MIN_SIGNING_KEY_LENGTH) {
    throw new SecretUnavailableError(
      `The signing key secret ${secretArnOrName} is too short (${key.length} < ${MIN_SIGNING_KEY_LENGTH})`,
    );
  }
  return key;
};

/** The secret string itself, or its `key` field when it is a JSON object. */
export const extractKey = (value: unknown): string | undefined => {
  if (value instanceof Uint8Array) value = Buffer.from(value).toString('utf8');
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { key?: unknown };
      return typeof parsed.key === 'string' ? parsed.key : undefined;
    } catch {
      // Not JSON after all: the whole string is the key.
    }
  }
  return value;
};
