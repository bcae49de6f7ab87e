/**
 * Local KMS: the template's asymmetric signing keys (`AWS::KMS::Key` with `KeyUsage:
 * SIGN_VERIFY`, `KeySpec: ECC_NIST_P256`) over the KMS JSON 1.1 protocol (POST /,
 * `X-Amz-Target: TrentService.<Operation>`): `Sign` and `Verify` (`MessageType: RAW`,
 * `ECDSA_SHA_256`, DER signatures as KMS gives them), `GetPublicKey` (DER SubjectPublicKeyInfo)
 * and `DescribeKey`. Each key pair is generated once and kept in a file under the local data
 * folder (in memory for tests), so checkpoints signed yesterday still verify after a restart. The
 * private key never leaves this module, as it never leaves KMS.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { join } from 'node:path';
import { AwsJsonError, createAwsJsonServer, listen } from './http-server';
import { readKeptRecord, writeKeptRecord } from './paths';
import { assertPortFree } from './ports';
import type { LocalKmsKey } from './template';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const TARGET_PREFIX = 'TrentService.';
/** KMS's limit on a RAW message. */
const MAX_RAW_MESSAGE = 4096;

export interface LocalKms {
  url: string;
  port: number;
  /** Logical id → key ARN. */
  arns: Record<string, string>;
  /** The public key of a template key (by ARN, key id or logical id): what an auditor is given. */
  publicKeyPem(keyId: string): string;
  stop(): Promise<void>;
}

export interface LocalKmsOptions {
  keys: LocalKmsKey[];
  port?: number;
  host?: string;
  /** Where generated private keys are kept (JSON of PKCS#8 PEM); absent = in memory only. */
  dataFile?: string;
}

export function kmsDataFile(dataDir: string): string {
  return join(dataDir, 'kms', 'keys.json');
}

interface StoredKey {
  privateKeyPem: string;
  /** Epoch seconds. */
  createdDate: number;
}

const CURVES: Record<string, string> = { ECC_NIST_P256: 'prime256v1' };
const ALGORITHMS: Record<string, { hash: string; name: string }> = {
  ECC_NIST_P256: { hash: 'sha256', name: 'ECDSA_SHA_256' },
};

/** The template's keys with their private halves: kept ones from `dataFile`, new ones generated. */
function loadKeyPairs(keys: LocalKmsKey[], dataFile?: string): Map<string, StoredKey> {
  const kept = readKeptRecord<StoredKey>(dataFile);
  const pairs = new Map<string, StoredKey>();
  let changed = false;
  for (const key of keys) {
    const curve = CURVES[key.keySpec];
    if (key.keyUsage !== 'SIGN_VERIFY' || !curve) continue;
    let stored = kept[key.logicalId];
    if (!stored) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: curve });
      stored = {
        privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
        createdDate: Math.floor(Date.now() / 1000),
      };
      kept[key.logicalId] = stored;
      changed = true;
    }
    pairs.set(key.logicalId, stored);
  }
  if (dataFile && changed) writeKeptRecord(dataFile, kept);
  return pairs;
}

export async function startLocalKms(options: LocalKmsOptions): Promise<LocalKms> {
  const host = options.host ?? '127.0.0.1';
  if (options.port) {
    await assertPortFree('local KMS', options.port, 'set LIANDONG_KMS_PORT to another port', host);
  }
  const pairs = loadKeyPairs(options.keys, options.dataFile);
  const privateKeys = new Map<string, KeyObject>();
  for (const [logicalId, stored] of pairs) {
    privateKeys.set(logicalId, createPrivateKey(stored.privateKeyPem));
  }

  const find = (keyId: unknown): LocalKmsKey => {
    if (typeof keyId !== 'string' || keyId === '') {
      throw new AwsJsonError('ValidationException', 'KeyId is required');
    }
    const key = options.keys.find(
      (k) => k.arn === keyId || k.keyId === keyId || k.logicalId === keyId,
    );
    if (!key) throw new AwsJsonError('NotFoundException', `Key '${keyId}' does not exist`);
    return key;
  };
  const signingKey = (key: LocalKmsKey): KeyObject => {
    const privateKey = privateKeys.get(key.logicalId);
    if (!privateKey) {
      throw new AwsJsonError(
        'InvalidKeyUsageException',
        `${key.arn} is not a SIGN_VERIFY key of a spec the local KMS serves (${key.keySpec})`,
      );
    }
    return privateKey;
  };
  const message = (key: LocalKmsKey, request: Record<string, unknown>): Buffer => {
    const algorithm = ALGORITHMS[key.keySpec]!;
    if (request.SigningAlgorithm !== algorithm.name) {
      throw new AwsJsonError(
        'InvalidKeyUsageException',
        `SigningAlgorithm ${String(request.SigningAlgorithm)} is not supported by ${key.keySpec}`,
      );
    }
    if ((request.MessageType ?? 'RAW') !== 'RAW') {
      throw new AwsJsonError('ValidationException', 'the local KMS signs RAW messages only');
    }
    if (typeof request.Message !== 'string' || request.Message === '') {
      throw new AwsJsonError('ValidationException', 'Message is required');
    }
    const bytes = Buffer.from(request.Message, 'base64');
    if (bytes.length > MAX_RAW_MESSAGE) {
      throw new AwsJsonError(
        'ValidationException',
        `Message is longer than ${MAX_RAW_MESSAGE} bytes`,
      );
    }
    return bytes;
  };

  const operations: Record<string, (request: Record<string, unknown>) => unknown> = {
    Sign: (request) => {
      const key = find(request.KeyId);
      const privateKey = signingKey(key);
      const data = message(key, request);
      const signature = sign(ALGORITHMS[key.keySpec]!.hash, data, {
        key: privateKey,
        dsaEncoding: 'der',
      });
      return {
        KeyId: key.arn,
        Signature: signature.toString('base64'),
        SigningAlgorithm: request.SigningAlgorithm,
      };
    },
    Verify: (request) => {
      const key = find(request.KeyId);
      const privateKey = signingKey(key);
      const data = message(key, request);
      const signature = Buffer.from(String(request.Signature ?? ''), 'base64');
      const valid = verify(
        ALGORITHMS[key.keySpec]!.hash,
        data,
        { key: createPublicKey(privateKey), dsaEncoding: 'der' },
        signature,
      );
      if (!valid) {
        throw new AwsJsonError('KMSInvalidSignatureException', 'The signature is not valid');
      }
      return { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: request.SigningAlgorithm };
    },
    GetPublicKey: (request) => {
      const key = find(request.KeyId);
      const publicKey = createPublicKey(signingKey(key));
      return {
        KeyId: key.arn,
        PublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        KeySpec: key.keySpec,
        KeyUsage: key.keyUsage,
        SigningAlgorithms: [ALGORITHMS[key.keySpec]!.name],
      };
    },
    DescribeKey: (request) => {
      const key = find(request.KeyId);
      return {
        KeyMetadata: {
          KeyId: key.keyId,
          Arn: key.arn,
          AWSAccountId: key.arn.split(':')[4],
          Description: key.description ?? '',
          Enabled: true,
          KeyState: 'Enabled',
          KeySpec: key.keySpec,
          KeyUsage: key.keyUsage,
          CreationDate: pairs.get(key.logicalId)?.createdDate,
          KeyManager: 'CUSTOMER',
          Origin: 'AWS_KMS',
        },
      };
    },
  };

  const server = createAwsJsonServer({
    contentType: CONTENT_TYPE,
    targetPrefix: TARGET_PREFIX,
    operations,
    notPost: () => unsupported('this request'),
    unknownOperation: (target) => unsupported(target || 'this request'),
    internalErrorCode: 'KMSInternalException',
  });
  const { url, port, stop } = await listen(server, host, options.port);
  return {
    url,
    port,
    arns: Object.fromEntries(options.keys.map((k) => [k.logicalId, k.arn])),
    publicKeyPem: (keyId) =>
      createPublicKey(signingKey(find(keyId)))
        .export({ format: 'pem', type: 'spki' })
        .toString(),
    stop,
  };
}

function unsupported(what: string): AwsJsonError {
  return new AwsJsonError('UnsupportedOperationException', `The local KMS does not serve ${what}`);
}
