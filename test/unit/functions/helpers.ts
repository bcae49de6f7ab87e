// unit test helpers: SDK mocked with aws-sdk-client-mock in the tests that use them
import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../../../functions/shared/http/types.js';

export {
  REFERRAL_STATE_MACHINE_ARN,
  setTestEnv,
  STATE_MACHINE_ARN,
  TABLE,
} from '../../support/env';

export const lambdaContext = (remainingMs = 60_000): Context =>
  ({
    functionName: 'TestFunction',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:ap-east-1:000000000000:function:TestFunction',
    memoryLimitInMB: '512',
    awsRequestId: 'req-0001',
    logGroupName: '/aws/lambda/TestFunction',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  }) as Context;

export interface EventOptions {
  method?: string;
  path?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  /** `null`: no authorizer claims at all. */
  claims?: Record<string, unknown> | null;
}

/** A district-wide organiser: the scope is stated, never implied (an organiser without it is 403). */
export const organiserClaims = {
  sub: 'org-sub-0001',
  'cognito:groups': '[organiser]',
  'custom:street': 'DISTRICT',
};

export const httpEvent = (options: EventOptions = {}): HttpEvent => {
  const body =
    options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const claims = options.claims === undefined ? organiserClaims : options.claims;
  return {
    version: '2.0',
    routeKey: `${options.method ?? 'POST'} ${options.path ?? '/activities'}`,
    rawPath: options.path ?? '/activities',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    isBase64Encoded: false,
    ...(body !== undefined ? { body } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: options.method ?? 'POST',
        path: options.path ?? '/activities',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      requestId: 'req',
      routeKey: `${options.method ?? 'POST'} ${options.path ?? '/activities'}`,
      stage: '$default',
      time: '',
      timeEpoch: 0,
      ...(claims === null
        ? {}
        : { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } }),
    },
  } as unknown as HttpEvent;
};

/** A future ISO timestamp `days` from now, whole minutes, with the +08:00 offset. */
export const inDays = (days: number, hour = 9): string => {
  const date = new Date(Date.now() + days * 86_400_000);
  const ymd = new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  return `${ymd}T${String(hour).padStart(2, '0')}:00:00+08:00`;
};
