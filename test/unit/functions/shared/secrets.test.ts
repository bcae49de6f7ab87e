// unit test: SDK mocked with aws-sdk-client-mock
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  SecretUnavailableError,
  extractKey,
  getSigningKey,
} from '../../../../functions/shared/secrets.js';

process.env.AWS_REGION ??= 'ap-east-1';

const sm = mockClient(SecretsManagerClient);
const ARN = 'arn:aws:secretsmanager:ap-east-1:000000000000:secret:LinkSigningKey-abcdef';

beforeEach(() => sm.reset());

describe('getSigningKey', () => {
  it('returns the secret string and caches it', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'k'.repeat(40) });

    expect(await getSigningKey(`${ARN}-plain`)).toBe('k'.repeat(40));
    expect(await getSigningKey(`${ARN}-plain`)).toBe('k'.repeat(40));
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect(sm.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({
      SecretId: `${ARN}-plain`,
    });
  });

  it('fetches again when forced', async () => {
    sm.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'a'.repeat(32) })
      .resolves({ SecretString: 'b'.repeat(32) });

    expect(await getSigningKey(`${ARN}-rotated`)).toBe('a'.repeat(32));
    expect(await getSigningKey(`${ARN}-rotated`, { forceFetch: true })).toBe('b'.repeat(32));
  });

  it('returns the key field of a JSON secret', async () => {
    sm.on(GetSecretValueCommand).resolves({
      SecretString: JSON.stringify({ key: 'j'.repeat(48), note: 'generated' }),
    });
    expect(await getSigningKey(`${ARN}-json`)).toBe('j'.repeat(48));
  });

  it.each([
    ['an empty secret', { SecretString: '' }],
    ['a blank secret', { SecretString: '   ' }],
    ['JSON without a key field', { SecretString: '{"password":"xxxxxxxxxxxxxxxxxxxx"}' }],
    ['a too short key', { SecretString: 'short' }],
  ])('fails clearly on %s', async (what, output) => {
    sm.on(GetSecretValueCommand).resolves(output);
    await expect(getSigningKey(`${ARN}-${what.replace(/\W/g, '')}`)).rejects.toBeInstanceOf(
      SecretUnavailableError,
    );
  });

  it('fails clearly when the secret does not exist or no id is configured', async () => {
    sm.on(GetSecretValueCommand).rejects(
      new ResourceNotFoundException({ message: 'not found', $metadata: {} }),
    );
    await expect(getSigningKey(`${ARN}-missing`)).rejects.toThrow(/Cannot read the signing key/);
    await expect(getSigningKey('')).rejects.toBeInstanceOf(SecretUnavailableError);
  });
});

describe('extractKey', () => {
  it('keeps a string that only looks like JSON', () => {
    expect(extractKey('{not json')).toBe('{not json');
    expect(extractKey(new TextEncoder().encode('bytes-key'))).toBe('bytes-key');
    expect(extractKey(42)).toBeUndefined();
  });
});
