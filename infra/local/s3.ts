/**
 * Local S3: the template's `AWS::S3::Bucket`s over S3's REST protocol with path-style addressing
 * (`/<bucket>/<key>`; the SDK uses it by itself for an IP endpoint, through AWS_ENDPOINT_URL_S3),
 * for `PutObject` (with `If-None-Match: *`), `GetObject`/`HeadObject` (by version too),
 * `DeleteObject` (a delete marker, or one version) and `ListObjectsV2`. Buckets are versioned
 * when the template says so or enables Object Lock, and Object Lock behaves as on AWS: each new
 * version of a bucket with a default retention is locked until then; a locked version cannot be
 * deleted (`AccessDenied`) in either mode, the retention is not shortened, and a put never
 * replaces a version (it adds one on top; `If-None-Match: *` refuses it when one is there).
 * Objects live in memory, or in one JSON file per bucket under the local data folder.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { listen, readBody } from './http-server';
import { assertPortFree } from './ports';
import type { LocalBucket } from './template';

export interface LocalS3 {
  url: string;
  port: number;
  /** Logical id → bucket name. */
  buckets: Record<string, string>;
  stop(): Promise<void>;
}

export interface LocalS3Options {
  buckets: LocalBucket[];
  port?: number;
  host?: string;
  /** A folder for the buckets' files; absent = in memory only. */
  dataDir?: string;
  now?: () => Date;
}

export function s3DataDir(dataDir: string): string {
  return join(dataDir, 's3');
}

interface ObjectVersion {
  key: string;
  versionId: string;
  deleteMarker: boolean;
  /** Base64. */
  body: string;
  contentType: string;
  etag: string;
  lastModified: string;
  lockMode?: 'COMPLIANCE' | 'GOVERNANCE';
  retainUntil?: string;
}

class S3Error extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const xmlEscape = (text: string) =>
  text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );

/** Days or years of a default retention, added to `from`. */
function retainUntilOf(bucket: LocalBucket, from: Date): string | undefined {
  const rule = bucket.defaultRetention;
  if (!rule) return undefined;
  const until = new Date(from);
  if (rule.years) until.setUTCFullYear(until.getUTCFullYear() + rule.years);
  if (rule.days) until.setUTCDate(until.getUTCDate() + rule.days);
  return until.toISOString();
}

/** The body of an `aws-chunked` upload (the SDK's streaming checksums), without its trailers. */
export function decodeAwsChunked(raw: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) throw new S3Error(400, 'IncompleteBody', 'aws-chunked body is cut short');
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0]!, 16);
    if (!Number.isInteger(size)) throw new S3Error(400, 'InvalidRequest', 'bad chunk size');
    if (size === 0) return Buffer.concat(out);
    out.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? (() => new Date());
  if (options.port) {
    await assertPortFree('local S3', options.port, 'set LIANDONG_S3_PORT to another port', host);
  }
  const fileOf = (bucket: LocalBucket) =>
    options.dataDir ? join(options.dataDir, `${bucket.name}.json`) : undefined;
  const store = new Map<string, ObjectVersion[]>();
  for (const bucket of options.buckets) {
    const file = fileOf(bucket);
    store.set(
      bucket.name,
      file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ObjectVersion[]) : [],
    );
  }
  const save = (bucket: LocalBucket) => {
    const file = fileOf(bucket);
    if (!file) return;
    mkdirSync(options.dataDir!, { recursive: true });
    writeFileSync(file, JSON.stringify(store.get(bucket.name)));
  };

  const bucketOf = (name: string): LocalBucket => {
    const bucket = options.buckets.find((b) => b.name === name);
    if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    return bucket;
  };
  /** Versions of a key, newest last. */
  const versionsOf = (bucket: LocalBucket, key: string) =>
    store.get(bucket.name)!.filter((v) => v.key === key);
  const current = (bucket: LocalBucket, key: string) => versionsOf(bucket, key).at(-1);
  const locked = (v: ObjectVersion) =>
    v.retainUntil !== undefined && Date.parse(v.retainUntil) > now().getTime();

  const readVersion = (bucket: LocalBucket, key: string, versionId: string | null) => {
    const version = versionId
      ? versionsOf(bucket, key).find((v) => v.versionId === versionId)
      : current(bucket, key);
    if (!version || (version.deleteMarker && !versionId)) {
      throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    }
    if (version.deleteMarker) {
      throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed');
    }
    return version;
  };

  const objectHeaders = (v: ObjectVersion, bucket: LocalBucket) => ({
    'content-type': v.contentType,
    etag: v.etag,
    'last-modified': new Date(v.lastModified).toUTCString(),
    ...(bucket.versioned ? { 'x-amz-version-id': v.versionId } : {}),
    ...(v.lockMode ? { 'x-amz-object-lock-mode': v.lockMode } : {}),
    ...(v.retainUntil ? { 'x-amz-object-lock-retain-until-date': v.retainUntil } : {}),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://local');
    const [bucketName = '', ...keyParts] = url.pathname.slice(1).split('/');
    const bucket = bucketOf(decodeURIComponent(bucketName));
    const key = keyParts.map(decodeURIComponent).join('/');
    const raw = await readBody(req);
    const versionId = url.searchParams.get('versionId');

    if (key === '') {
      if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
        return listObjects(res, bucket, url.searchParams);
      }
      throw new S3Error(501, 'NotImplemented', 'The local S3 does not serve this bucket operation');
    }
    switch (req.method) {
      case 'PUT': {
        // The SDK names the operation in `x-id`; any other parameter is another operation.
        const others = [...url.searchParams.keys()].filter((name) => name !== 'x-id');
        if (others.length > 0 || req.headers['x-amz-copy-source']) {
          throw new S3Error(501, 'NotImplemented', 'The local S3 serves plain PutObject only');
        }
        const existing = current(bucket, key);
        if (req.headers['if-none-match'] === '*' && existing && !existing.deleteMarker) {
          throw new S3Error(
            412,
            'PreconditionFailed',
            'At least one of the pre-conditions you specified did not hold',
          );
        }
        const encoding = String(req.headers['content-encoding'] ?? '');
        const body = encoding.split(',').some((e) => e.trim() === 'aws-chunked')
          ? decodeAwsChunked(raw)
          : raw;
        const at = now();
        const explicitMode = req.headers['x-amz-object-lock-mode'];
        const explicitUntil = req.headers['x-amz-object-lock-retain-until-date'];
        const retainUntil =
          typeof explicitUntil === 'string'
            ? new Date(explicitUntil).toISOString()
            : retainUntilOf(bucket, at);
        const lockMode =
          typeof explicitMode === 'string'
            ? (explicitMode as ObjectVersion['lockMode'])
            : bucket.defaultRetention?.mode;
        if ((explicitMode || explicitUntil) && !bucket.objectLock) {
          throw new S3Error(400, 'InvalidRequest', 'Bucket is missing Object Lock Configuration');
        }
        const version: ObjectVersion = {
          key,
          versionId: bucket.versioned ? randomUUID().replaceAll('-', '') : 'null',
          deleteMarker: false,
          body: body.toString('base64'),
          contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
          etag: `"${createHash('md5').update(body).digest('hex')}"`,
          lastModified: at.toISOString(),
          ...(retainUntil && lockMode ? { lockMode, retainUntil } : {}),
        };
        const versions = store.get(bucket.name)!;
        if (!bucket.versioned) {
          // Unversioned: the put replaces the object.
          store.set(
            bucket.name,
            versions.filter((v) => v.key !== key),
          );
        }
        store.get(bucket.name)!.push(version);
        save(bucket);
        res.writeHead(200, {
          etag: version.etag,
          ...(bucket.versioned ? { 'x-amz-version-id': version.versionId } : {}),
        });
        return res.end();
      }
      case 'GET':
      case 'HEAD': {
        const version = readVersion(bucket, key, versionId);
        const body = Buffer.from(version.body, 'base64');
        res.writeHead(200, { ...objectHeaders(version, bucket), 'content-length': body.length });
        return res.end(req.method === 'GET' ? body : undefined);
      }
      case 'DELETE': {
        const versions = store.get(bucket.name)!;
        if (versionId) {
          const version = versions.find((v) => v.key === key && v.versionId === versionId);
          if (version && locked(version)) {
            throw new S3Error(
              403,
              'AccessDenied',
              'Access Denied because object protected by object lock.',
            );
          }
          if (version) versions.splice(versions.indexOf(version), 1);
          save(bucket);
          res.writeHead(204, {
            'x-amz-version-id': versionId,
            ...(version?.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
          });
          return res.end();
        }
        if (!bucket.versioned) {
          store.set(
            bucket.name,
            versions.filter((v) => v.key !== key),
          );
          save(bucket);
          res.writeHead(204);
          return res.end();
        }
        // Versioned: a delete marker on top; every version stays (locked or not).
        const marker: ObjectVersion = {
          key,
          versionId: randomUUID().replaceAll('-', ''),
          deleteMarker: true,
          body: '',
          contentType: '',
          etag: '',
          lastModified: now().toISOString(),
        };
        versions.push(marker);
        save(bucket);
        res.writeHead(204, { 'x-amz-delete-marker': 'true', 'x-amz-version-id': marker.versionId });
        return res.end();
      }
      default:
        throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed');
    }
  };

  const listObjects = (res: ServerResponse, bucket: LocalBucket, params: URLSearchParams) => {
    const prefix = params.get('prefix') ?? '';
    const maxKeys = Math.min(1000, Math.max(1, Number(params.get('max-keys') ?? 1000)));
    const after = params.get('continuation-token') ?? params.get('start-after') ?? '';
    const latest = new Map<string, ObjectVersion>();
    for (const v of store.get(bucket.name)!) latest.set(v.key, v);
    const live = [...latest.values()]
      .filter((v) => !v.deleteMarker && v.key.startsWith(prefix) && v.key > after)
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    const page = live.slice(0, maxKeys);
    const truncated = live.length > page.length;
    const contents = page
      .map(
        (v) =>
          `<Contents><Key>${xmlEscape(v.key)}</Key><LastModified>${v.lastModified}</LastModified>` +
          `<ETag>${xmlEscape(v.etag)}</ETag><Size>${Buffer.from(v.body, 'base64').length}</Size>` +
          '<StorageClass>STANDARD</StorageClass></Contents>',
      )
      .join('');
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>' +
      '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
      `<Name>${xmlEscape(bucket.name)}</Name><Prefix>${xmlEscape(prefix)}</Prefix>` +
      `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
      `<IsTruncated>${truncated}</IsTruncated>${contents}` +
      (truncated
        ? `<NextContinuationToken>${xmlEscape(page.at(-1)!.key)}</NextContinuationToken>`
        : '') +
      '</ListBucketResult>';
    res.writeHead(200, {
      'content-type': 'application/xml',
      'content-length': Buffer.byteLength(xml),
    });
    res.end(xml);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const e = error instanceof S3Error ? error : new S3Error(500, 'InternalError', String(error));
      const xml =
        '<?xml version="1.0" encoding="UTF-8"?>' +
        `<Error><Code>${e.code}</Code><Message>${xmlEscape(e.message)}</Message>` +
        `<RequestId>${randomUUID()}</RequestId></Error>`;
      if (res.headersSent) return res.end();
      res.writeHead(e.statusCode, {
        'content-type': 'application/xml',
        'content-length': req.method === 'HEAD' ? 0 : Buffer.byteLength(xml),
      });
      res.end(req.method === 'HEAD' ? undefined : xml);
    });
  });
  const { url, port, stop } = await listen(server, host, options.port);
  return {
    url,
    port,
    buckets: Object.fromEntries(options.buckets.map((b) => [b.logicalId, b.name])),
    stop,
  };
}
