// The local HTTP API: the template's routes, its JWT authorizer and Lambda proxy integrations,
// plus the local issuer's endpoints under /_local.
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listen } from '../http-server';
import { assertPortFree } from '../ports';
import type { LocalHttpApi, LocalRoute } from '../template';
import {
  buildEventV2,
  errorResponse,
  newRequestId,
  translateResultV2,
  type HttpResponse,
} from './event';
import {
  ISSUER_PATH,
  ROLES,
  TokenRequestError,
  createLocalIssuer,
  issuerUrlFor,
  type LocalIssuer,
  type MintOptions,
  type Role,
} from './issuer';
import { createLocalConsole, type LocalConsole } from './console';
import { ForbiddenError, UnauthorizedError, authorizeJwt, tokenFrom } from './jwt';
import { Router } from './routes';
import { TokenBucket } from './throttle';

/** The generated OpenAPI document (`npm run openapi`), served at `GET /openapi.json` locally. */
export const OPENAPI_DOCUMENT = new URL('../../../docs/openapi.json', import.meta.url);

async function openApiDocument(): Promise<HttpResponse> {
  try {
    return {
      statusCode: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      cookies: [],
      body: await readFile(OPENAPI_DOCUMENT),
    };
  } catch {
    return json(404, { message: 'docs/openapi.json not found: run npm run openapi' });
  }
}

/** `POST /_local/invoke/{logicalId}`: a test-only Lambda Invoke (see `allowTokenMinting`). */
export const INVOKE_PATH = '/_local/invoke/';

async function invokeLocally(
  invoke: ApiBinding['invoke'],
  logicalId: string,
  body: Buffer,
): Promise<HttpResponse> {
  if (!/^[A-Za-z0-9]+$/.test(logicalId)) return json(404, { message: 'Not Found' });
  let event: unknown;
  try {
    event = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
  } catch {
    return json(400, { message: 'The event is not JSON' });
  }
  try {
    return json(200, { result: (await invoke(logicalId, event)) ?? null });
  } catch (err) {
    const error = err as Error;
    if (error.name === 'ResourceNotFoundException') return json(404, { message: error.message });
    // As Lambda's Invoke: the call succeeded, the function failed (X-Amz-Function-Error).
    return json(200, { errorType: error.name, errorMessage: error.message });
  }
}

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway's integration timeout. */
export const INTEGRATION_TIMEOUT_MS = 30_000;

class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

export interface ApiBinding {
  api: LocalHttpApi;
  /** The built console of the template (served under /console/). */
  consoleSite?: string;
  invoke(functionArn: string, event: unknown): Promise<unknown>;
}

export interface LocalApiServer {
  url: string;
  port: number;
  issuer: LocalIssuer;
  /** Serves the template's API from now on (the issuer must exist before the template resolves). */
  bind(binding: ApiBinding): void;
  stop(): Promise<void>;
}

export interface LocalApiOptions {
  port?: number;
  host?: string;
  clientId: string;
  keyFile?: string;
  /**
   * Enables POST /_local/issuer/token (tests, `npm run token`) and POST /_local/invoke/{logicalId}
   * (tests that inject events).
   */
  allowTokenMinting?: boolean;
  /** No access log. */
  quiet?: boolean;
  throttle?: boolean;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new BodyTooLargeError());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError());
        req.resume();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function json(statusCode: number, value: unknown): HttpResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json' },
    cookies: [],
    body: Buffer.from(JSON.stringify(value)),
  };
}

function parseMint(body: Buffer): MintOptions {
  let raw: unknown;
  try {
    raw = body.length ? JSON.parse(body.toString('utf8')) : {};
  } catch {
    throw new TokenRequestError('body is not JSON');
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new TokenRequestError('body must be a JSON object');
  }
  const o = raw as Record<string, unknown>;
  const str = (k: string) => {
    if (o[k] !== undefined && typeof o[k] !== 'string')
      throw new TokenRequestError(`${k} must be a string`);
    return o[k] as string | undefined;
  };
  const role = str('role');
  if (role !== undefined && !(ROLES as readonly string[]).includes(role)) {
    throw new TokenRequestError(`unknown role ${role} (roles: ${ROLES.join(', ')})`);
  }
  const groups = o.groups;
  if (
    groups !== undefined &&
    (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string'))
  ) {
    throw new TokenRequestError('groups must be a list of strings');
  }
  const ttl = o.ttlSeconds;
  if (ttl !== undefined && typeof ttl !== 'number')
    throw new TokenRequestError('ttlSeconds must be a number');
  const extra = o.extraClaims;
  if (extra !== undefined && (extra === null || typeof extra !== 'object')) {
    throw new TokenRequestError('extraClaims must be an object');
  }
  const opt = (k: string, v: unknown) => (v === undefined ? {} : { [k]: v });
  return {
    ...opt('role', role as Role | undefined),
    ...opt('groups', groups),
    ...opt('sub', str('sub')),
    ...opt('email', str('email')),
    ...opt('name', str('name')),
    // null: a token without the scope claim (refused as an organiser; for the tests of that).
    ...opt('street', o.street === null ? null : str('street')),
    ...opt('ttlSeconds', ttl),
    ...opt('extraClaims', extra),
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
const TIMED_OUT = Symbol('timed out');

function send(res: ServerResponse, response: HttpResponse, requestId: string): void {
  res.statusCode = response.statusCode;
  for (const [k, v] of Object.entries(response.headers)) res.setHeader(k, v);
  if (response.cookies.length) res.setHeader('set-cookie', response.cookies);
  res.setHeader('apigw-requestid', requestId);
  res.setHeader('content-length', response.body.length);
  res.end(response.body);
}

export async function startLocalApi(options: LocalApiOptions): Promise<LocalApiServer> {
  const host = options.host ?? '127.0.0.1';
  let binding:
    | {
        api: LocalHttpApi;
        router: Router<LocalRoute>;
        invoke: ApiBinding['invoke'];
        consoleSite?: string;
      }
    | undefined;
  let bucket: TokenBucket | undefined;
  // Set once the port is known (the issuer URL carries it); requests before that get a 503.
  const state: { issuer?: LocalIssuer; console?: LocalConsole } = {};

  const handle = async (req: IncomingMessage, requestId: string): Promise<HttpResponse> => {
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return errorResponse(413, 'Request Entity Too Large');
      throw err;
    }
    if (path === '/_local/health' && req.method === 'GET') {
      return json(200, { status: binding ? 'ok' : 'starting' });
    }
    // A local convenience only (no route of the stack): the API's own description.
    if (path === '/openapi.json' && req.method === 'GET') return openApiDocument();
    const issuer = state.issuer;
    if (!issuer) return errorResponse(503, 'Service Unavailable');
    const query = new URLSearchParams(url.split('?')[1] ?? '');
    const forConsole = await state.console?.handle(req.method ?? 'GET', path, query, body);
    if (forConsole) return forConsole;
    if (path.startsWith(ISSUER_PATH)) {
      const sub = path.slice(ISSUER_PATH.length);
      if (sub === '/.well-known/jwks.json' && req.method === 'GET') return json(200, issuer.jwks);
      if (sub === '/.well-known/openid-configuration' && req.method === 'GET') {
        return json(200, issuer.openIdConfiguration());
      }
      if (sub === '/token' && req.method === 'POST' && options.allowTokenMinting) {
        try {
          return json(200, { token: await issuer.mintToken(parseMint(body)) });
        } catch (err) {
          if (err instanceof TokenRequestError) return json(400, { message: err.message });
          throw err;
        }
      }
      return errorResponse(404, 'Not Found');
    }
    if (!binding) return errorResponse(503, 'Service Unavailable');
    // Local only, for tests that inject events no local engine produces (e.g. an SNS
    // notification of SES): invokes a function of the template by logical id, like Lambda's
    // Invoke. Guarded like token minting: never there unless the cloud was started to allow it.
    if (path.startsWith(INVOKE_PATH) && req.method === 'POST' && options.allowTokenMinting) {
      return invokeLocally(
        binding.invoke,
        decodeURIComponent(path.slice(INVOKE_PATH.length)),
        body,
      );
    }
    if (bucket && !bucket.take()) return errorResponse(429, 'Too Many Requests');

    const method = req.method ?? 'GET';
    const match = binding.router.match(method, path);
    if (!match) return errorResponse(404, 'Not Found');
    const route = match.route;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;

    let authorization;
    if (route.authorizationType === 'JWT') {
      // Never pass a JWT route through for want of an authorizer.
      if (!route.authorizer) return errorResponse(500, 'Internal Server Error');
      try {
        authorization = await authorizeJwt(
          tokenFrom(headers, route.authorizer.identitySource),
          route.authorizer,
          issuer.jwks,
          route.authorizationScopes,
        );
      } catch (err) {
        if (err instanceof ForbiddenError) return errorResponse(403, 'Forbidden');
        if (err instanceof UnauthorizedError) {
          const r = errorResponse(401, 'Unauthorized');
          r.headers['www-authenticate'] =
            `Bearer scope="" error="invalid_token" error_description="${err.message.replace(/"/g, "'")}"`;
          return r;
        }
        throw err;
      }
    }
    const now = new Date();
    const event = buildEventV2(
      {
        method,
        url,
        rawHeaders: req.rawHeaders,
        body,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        httpVersion: req.httpVersion,
      },
      {
        apiId: binding.api.apiId,
        stage: binding.api.stageName,
        routeKey: match.routeKey,
        pathParameters: match.pathParameters,
        requestId,
        now,
        ...(authorization ? { authorization } : {}),
      },
    );
    try {
      const result = await withTimeout(
        binding.invoke(route.functionArn, event),
        INTEGRATION_TIMEOUT_MS,
      );
      if (result === TIMED_OUT) return errorResponse(503, 'Service Unavailable');
      return translateResultV2(result);
    } catch (err) {
      // As on AWS, the caller learns nothing of the failure; the developer sees it here.
      if (!options.quiet) console.error(`[local api] ${route.routeKey} failed:`, err);
      return errorResponse(500, 'Internal Server Error');
    }
  };

  const server: Server = createServer((req, res) => {
    const started = Date.now();
    const requestId = newRequestId();
    handle(req, requestId)
      .catch((err: unknown) => {
        if (!options.quiet) console.error('[local api] request failed:', err);
        return errorResponse(500, 'Internal Server Error');
      })
      .then((response) => {
        send(res, response, requestId);
        if (!options.quiet) {
          console.log(
            `[api] ${req.method} ${req.url} ${response.statusCode} ${Date.now() - started}ms`,
          );
        }
      })
      .catch(() => res.destroy());
  });

  if (options.port) {
    await assertPortFree('local API', options.port, 'set LIANDONG_API_PORT to another port', host);
  }
  const { url, port, stop } = await listen(server, host, options.port);
  const issuer = await createLocalIssuer({
    issuerUrl: issuerUrlFor(url),
    clientId: options.clientId,
    ...(options.keyFile ? { keyFile: options.keyFile } : {}),
  });
  state.issuer = issuer;
  // Sign-in without a password mints tokens: only where minting is allowed (npm start, tests).
  if (options.allowTokenMinting) {
    state.console = createLocalConsole({
      apiUrl: url,
      issuer,
      issuerPath: ISSUER_PATH,
      site: () => binding?.consoleSite,
    });
  }

  return {
    url,
    port,
    issuer,
    bind: ({ api, invoke, consoleSite }) => {
      binding = {
        api,
        invoke,
        ...(consoleSite ? { consoleSite } : {}),
        router: new Router(api.routes.map((route) => ({ routeKey: route.routeKey, route }))),
      };
      bucket =
        options.throttle !== false && api.throttling
          ? new TokenBucket(api.throttling.rateLimit, api.throttling.burstLimit)
          : undefined;
    },
    stop,
  };
}
