// API Gateway HTTP API payload format 2.0: the request as the integration sees it, and the
// integration's answer as the client sees it.
import { randomBytes } from 'node:crypto';
import { LOCAL_ACCOUNT_ID } from '../template';
import type { JwtAuthorization } from './jwt';

export interface IncomingRequest {
  method: string;
  /** Path and query exactly as sent. */
  url: string;
  /** Raw header pairs, as node gives them in `rawHeaders`. */
  rawHeaders: string[];
  body: Buffer;
  sourceIp: string;
  httpVersion: string;
}

export interface EventOptions {
  apiId: string;
  stage: string;
  routeKey: string;
  pathParameters: Record<string, string>;
  requestId: string;
  now: Date;
  authorization?: JwtAuthorization;
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/** Lower-cased headers, repeated ones joined with commas, as API Gateway passes them. */
export function joinHeaders(rawHeaders: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? '';
    headers[name] = name in headers ? `${headers[name]},${value}` : value;
  }
  return headers;
}

const TEXT_TYPES = [
  /^text\//,
  /^application\/(json|xml|javascript|ecmascript|graphql)\b/,
  /\+(json|xml)\b/,
];

/** API Gateway base64-encodes every body that is not text. */
export function isTextContent(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = contentType.toLowerCase();
  return TEXT_TYPES.some((re) => re.test(type));
}

// "12/Mar/2020:19:03:58 +0000", the requestContext.time format.
export function clfTime(d: Date): string {
  const months = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${p(d.getUTCDate())}/${months[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
  );
}

export function traceId(now: Date): string {
  return `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
}

function normaliseIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

export function buildEventV2(req: IncomingRequest, o: EventOptions): Record<string, unknown> {
  const q = req.url.indexOf('?');
  const rawPath = q < 0 ? req.url : req.url.slice(0, q);
  const rawQueryString = q < 0 ? '' : req.url.slice(q + 1);
  const all = joinHeaders(req.rawHeaders);
  const sourceIp = normaliseIp(req.sourceIp);
  // Cookies travel in their own field, not among the headers.
  const { cookie, ...rest } = all;
  const host = rest.host ?? 'localhost';
  const domainName = host.replace(/:\d+$/, '');
  const headers: Record<string, string> = {
    ...rest,
    'x-forwarded-for': rest['x-forwarded-for']
      ? `${rest['x-forwarded-for']}, ${sourceIp}`
      : sourceIp,
    'x-forwarded-port': /:(\d+)$/.exec(host)?.[1] ?? '80',
    'x-forwarded-proto': 'http',
    'x-amzn-trace-id': traceId(o.now),
  };
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawQueryString)) {
    query[k] = k in query ? `${query[k]},${v}` : v;
  }
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: o.routeKey,
    rawPath,
    rawQueryString,
    ...(cookie ? { cookies: cookie.split(/;\s*/).filter(Boolean) } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: o.apiId,
      ...(o.authorization
        ? {
            authorizer: { jwt: { claims: o.authorization.claims, scopes: o.authorization.scopes } },
          }
        : {}),
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: req.method.toUpperCase(),
        path: rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: rest['user-agent'] ?? '',
      },
      requestId: o.requestId,
      routeKey: o.routeKey,
      stage: o.stage,
      time: clfTime(o.now),
      timeEpoch: o.now.getTime(),
    },
    ...(Object.keys(o.pathParameters).length ? { pathParameters: o.pathParameters } : {}),
    isBase64Encoded: false,
  };
  if (req.body.length > 0) {
    const text = isTextContent(rest['content-type']);
    event.body = text ? req.body.toString('utf8') : req.body.toString('base64');
    event.isBase64Encoded = !text;
  }
  return event;
}

/** A new API Gateway-like request id ("Jq3DbhkHIAMEVUQ="). */
export function newRequestId(): string {
  return randomBytes(10).toString('base64');
}

function jsonResponse(statusCode: number, value: unknown): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
  };
}

export function errorResponse(statusCode: number, message: string): HttpResponse {
  return jsonResponse(statusCode, { message });
}

/**
 * The function's result as API Gateway turns it into a response: a result with `statusCode`
 * is taken field by field; anything else is a 200 whose JSON body is the result.
 */
export function translateResultV2(result: unknown): HttpResponse {
  if (result === null || typeof result !== 'object' || !('statusCode' in result)) {
    return jsonResponse(200, result === undefined ? null : result);
  }
  const r = result as {
    statusCode: unknown;
    headers?: Record<string, unknown>;
    body?: unknown;
    isBase64Encoded?: unknown;
    cookies?: unknown;
  };
  const statusCode = Number(r.statusCode);
  if (!Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return errorResponse(500, 'Internal Server Error');
  }
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  const bodyText = r.body === undefined || r.body === null ? '' : String(r.body);
  return {
    statusCode,
    headers,
    cookies: Array.isArray(r.cookies) ? r.cookies.map(String) : [],
    body: Buffer.from(bodyText, r.isBase64Encoded === true ? 'base64' : 'utf8'),
  };
}
