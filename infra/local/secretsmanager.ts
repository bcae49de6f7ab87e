/**
 * Local Secrets Manager: the template's `AWS::SecretsManager::Secret` resources served over the
 * Secrets Manager JSON 1.1 protocol (POST /, `X-Amz-Target: secretsmanager.<Operation>`), for
 * `GetSecretValue`, `DescribeSecret` and `ListSecrets`: what `@aws-sdk/client-secrets-manager`
 * and Powertools Parameters call. Generated values are made once and kept in a file under the
 * local data folder (in memory for tests), so signed links stay valid across restarts.
 *
 * It also resolves CloudFormation dynamic references
 * (`{{resolve:secretsmanager:<id>:SecretString:<json-key>::}}`) as a deployment would.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AwsJsonError, createAwsJsonServer, listen } from './http-server';
import { readKeptRecord, writeKeptRecord } from './paths';
import { assertPortFree } from './ports';
import type { LocalGenerateSecretString, LocalSecret } from './template';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'secretsmanager.';

export interface StoredSecret {
  value: string;
  versionId: string;
  /** Epoch seconds. */
  createdDate: number;
}

export interface LocalSecretsManager {
  url: string;
  port: number;
  /** Logical id → ARN. */
  arns: Record<string, string>;
  /** The current value of a secret, by ARN (full or partial), name or logical id. */
  valueOf(secretId: string): string | undefined;
  stop(): Promise<void>;
}

export interface LocalSecretsManagerOptions {
  secrets: LocalSecret[];
  port?: number;
  host?: string;
  /** Where generated values are kept (JSON); absent = in memory only. */
  dataFile?: string;
}

export function secretsDataFile(dataDir: string): string {
  return join(dataDir, 'secretsmanager', 'secrets.json');
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGITS = '0123456789';
// What Secrets Manager's GetRandomPassword calls punctuation.
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** A value as `GenerateSecretString` describes it (length, character classes, JSON template). */
export function generateSecretString(spec: LocalGenerateSecretString = {}): string {
  const exclude = new Set(spec.ExcludeCharacters ?? '');
  const classes = [
    spec.ExcludeLowercase ? '' : LOWER,
    spec.ExcludeUppercase ? '' : UPPER,
    spec.ExcludeNumbers ? '' : DIGITS,
    spec.ExcludePunctuation ? '' : PUNCTUATION,
    spec.IncludeSpace ? ' ' : '',
  ]
    .map((chars) => [...chars].filter((c) => !exclude.has(c)).join(''))
    .filter((chars) => chars.length > 0);
  const alphabet = classes.join('');
  if (alphabet.length === 0) throw new Error('GenerateSecretString excludes every character');
  const length = Math.max(1, Math.min(4096, Number(spec.PasswordLength ?? 32)));
  const pick = (chars: string) => chars[randomInt(chars.length)] ?? '';
  const out = Array.from({ length }, () => pick(alphabet));
  if (spec.RequireEachIncludedType ?? true) {
    // One of each class at distinct random positions (when the length allows).
    const positions = [...Array(length).keys()];
    for (const chars of classes.slice(0, length)) {
      const [at] = positions.splice(randomInt(positions.length), 1);
      if (at !== undefined) out[at] = pick(chars);
    }
  }
  const password = out.join('');
  if (spec.SecretStringTemplate !== undefined && spec.GenerateStringKey !== undefined) {
    const template = JSON.parse(spec.SecretStringTemplate) as Record<string, unknown>;
    return JSON.stringify({ ...template, [spec.GenerateStringKey]: password });
  }
  return password;
}

/** The secrets of a template with their values: kept ones from `dataFile`, new ones generated. */
export function loadSecretValues(
  secrets: LocalSecret[],
  dataFile?: string,
  now: () => number = () => Math.floor(Date.now() / 1000),
): Map<string, StoredSecret> {
  const kept = readKeptRecord<StoredSecret>(dataFile);
  const values = new Map<string, StoredSecret>();
  let changed = false;
  for (const secret of secrets) {
    const previous = kept[secret.logicalId];
    if (secret.secretString !== undefined) {
      // A value fixed in the template is what a deployment would store: it always wins.
      const same = previous?.value === secret.secretString;
      values.set(secret.logicalId, {
        value: secret.secretString,
        versionId: same && previous ? previous.versionId : randomUUID(),
        createdDate: same && previous ? previous.createdDate : now(),
      });
      changed ||= !same;
    } else if (previous) {
      values.set(secret.logicalId, previous);
    } else {
      values.set(secret.logicalId, {
        value: generateSecretString(secret.generate),
        versionId: randomUUID(),
        createdDate: now(),
      });
      changed = true;
    }
  }
  if (dataFile && changed) {
    // Keep secrets of other templates (another stack) that share the folder.
    writeKeptRecord(dataFile, { ...kept, ...Object.fromEntries(values) });
  }
  return values;
}

/** Finds a secret the way Secrets Manager matches `SecretId`: full or partial ARN, or name. */
export function findSecret(secrets: LocalSecret[], secretId: string): LocalSecret | undefined {
  return secrets.find(
    (s) =>
      s.arn === secretId ||
      s.name === secretId ||
      s.logicalId === secretId ||
      // A partial ARN: the ARN without its 6-character suffix.
      s.arn.slice(0, s.arn.lastIndexOf('-')) === secretId,
  );
}

const DYNAMIC_REFERENCE =
  /\{\{resolve:secretsmanager:(.+?)(?::SecretString:([^:}]*):([^:}]*):([^:}]*))?\}\}/g;

/**
 * Replaces `{{resolve:secretsmanager:...}}` references in `text` with the secret (or one JSON
 * key of it), as CloudFormation does at deployment.
 */
export function resolveDynamicReferences(
  text: string,
  valueOf: (secretId: string) => string | undefined,
): string {
  return text.replace(DYNAMIC_REFERENCE, (whole, id: string, jsonKey?: string) => {
    const value = valueOf(id);
    if (value === undefined) {
      throw new Error(`${whole}: no secret ${id} in the template`);
    }
    if (!jsonKey) return value;
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const field = parsed[jsonKey];
    if (field === undefined) throw new Error(`${whole}: the secret has no key ${jsonKey}`);
    return typeof field === 'string' ? field : JSON.stringify(field);
  });
}

export async function startLocalSecretsManager(
  options: LocalSecretsManagerOptions,
): Promise<LocalSecretsManager> {
  const host = options.host ?? '127.0.0.1';
  const { secrets } = options;
  const values = loadSecretValues(secrets, options.dataFile);
  if (options.port) {
    await assertPortFree(
      'local Secrets Manager',
      options.port,
      'set LIANDONG_SECRETS_PORT to another port',
      host,
    );
  }

  const lookup = (request: Record<string, unknown>) => {
    const secretId = request.SecretId;
    if (typeof secretId !== 'string' || secretId.length === 0) {
      throw new AwsJsonError('InvalidParameterException', 'SecretId is required');
    }
    const secret = findSecret(secrets, secretId);
    const stored = secret && values.get(secret.logicalId);
    if (!secret || !stored) {
      throw new AwsJsonError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    }
    const versionId = request.VersionId;
    const stage = request.VersionStage;
    if (
      (versionId !== undefined && versionId !== stored.versionId) ||
      (stage !== undefined && stage !== 'AWSCURRENT')
    ) {
      throw new AwsJsonError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret value for the requested version.",
      );
    }
    return { secret, stored };
  };

  const describe = (secret: LocalSecret, stored: StoredSecret) => ({
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description ? { Description: secret.description } : {}),
    CreatedDate: stored.createdDate,
    LastChangedDate: stored.createdDate,
    VersionIdsToStages: { [stored.versionId]: ['AWSCURRENT'] },
  });

  const operations: Record<string, (request: Record<string, unknown>) => unknown> = {
    GetSecretValue: (request) => {
      const { secret, stored } = lookup(request);
      return {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: stored.versionId,
        SecretString: stored.value,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: stored.createdDate,
      };
    },
    DescribeSecret: (request) => {
      const { secret, stored } = lookup(request);
      return describe(secret, stored);
    },
    ListSecrets: () => ({
      SecretList: secrets.flatMap((secret) => {
        const stored = values.get(secret.logicalId);
        return stored ? [describe(secret, stored)] : [];
      }),
    }),
  };

  const server = createAwsJsonServer({
    contentType: CONTENT_TYPE,
    targetPrefix: TARGET_PREFIX,
    operations,
    notPost: () => new AwsJsonError('InvalidRequestException', 'Only POST is supported'),
    unknownOperation: (target) =>
      new AwsJsonError(
        'UnknownOperationException',
        `The local Secrets Manager does not serve ${target || 'this request'}`,
      ),
    internalErrorCode: 'InternalServiceError',
  });
  const { url, port, stop } = await listen(server, host, options.port);

  const valueOf = (secretId: string) => {
    const secret = findSecret(secrets, secretId);
    return secret ? values.get(secret.logicalId)?.value : undefined;
  };
  return {
    url,
    port,
    arns: Object.fromEntries(secrets.map((s) => [s.logicalId, s.arn])),
    valueOf,
    stop,
  };
}
