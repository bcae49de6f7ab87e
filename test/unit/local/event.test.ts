// Unit: API Gateway HTTP API payload 2.0 events and the translation of function results.
import { describe, expect, it } from 'vitest';
import {
  buildEventV2,
  clfTime,
  isTextContent,
  translateResultV2,
} from '../../../infra/local/api/event';

/** The parts of an event these tests read. */
interface Event {
  headers: Record<string, string>;
  requestContext: Record<string, unknown>;
  body?: string;
  isBase64Encoded: boolean;
  [key: string]: unknown;
}

const now = new Date('2020-08-18T09:03:58.123Z');
const base = {
  method: 'POST',
  url: '/activities/a1?b=2&a=1&a=3&empty=',
  rawHeaders: [
    'Host',
    '127.0.0.1:3000',
    'User-Agent',
    'curl/8',
    'X-Multi',
    'one',
    'x-multi',
    'two',
    'Cookie',
    'c1=v1; c2=v2',
    'Content-Type',
    'application/json',
  ],
  body: Buffer.from('{"title":"联动"}'),
  sourceIp: '::ffff:127.0.0.1',
  httpVersion: '1.1',
};
const options = {
  apiId: 'httpapi',
  stage: '$default',
  routeKey: 'POST /activities/{id}',
  pathParameters: { id: 'a1' },
  requestId: 'req-1',
  now,
};

describe('buildEventV2', () => {
  const event = buildEventV2(base, {
    ...options,
    authorization: { claims: { sub: 's', 'cognito:groups': '[organiser]' }, scopes: null },
  }) as Event;

  it('has the top-level fields of payload 2.0', () => {
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /activities/{id}',
      rawPath: '/activities/a1',
      rawQueryString: 'b=2&a=1&a=3&empty=',
      cookies: ['c1=v1', 'c2=v2'],
      queryStringParameters: { a: '1,3', b: '2', empty: '' },
      pathParameters: { id: 'a1' },
      body: '{"title":"联动"}',
      isBase64Encoded: false,
    });
  });

  it('lower-cases headers, joins repeats with commas and keeps cookies out of them', () => {
    expect(event.headers).toMatchObject({
      host: '127.0.0.1:3000',
      'user-agent': 'curl/8',
      'x-multi': 'one,two',
      'content-type': 'application/json',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-port': '3000',
      'x-forwarded-proto': 'http',
    });
    expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.headers.cookie).toBeUndefined();
  });

  it('fills requestContext, the JWT claims included', () => {
    expect(event.requestContext).toEqual({
      accountId: '000000000000',
      apiId: 'httpapi',
      authorizer: { jwt: { claims: { sub: 's', 'cognito:groups': '[organiser]' }, scopes: null } },
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: {
        method: 'POST',
        path: '/activities/a1',
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'curl/8',
      },
      requestId: 'req-1',
      routeKey: 'POST /activities/{id}',
      stage: '$default',
      time: '18/Aug/2020:09:03:58 +0000',
      timeEpoch: now.getTime(),
    });
  });

  it('leaves out absent parts and base64-encodes binary bodies', () => {
    const bare = buildEventV2(
      { ...base, url: '/x', rawHeaders: ['Host', 'h'], body: Buffer.alloc(0) },
      { ...options, pathParameters: {} },
    ) as Event;
    expect(bare).not.toHaveProperty('cookies');
    expect(bare).not.toHaveProperty('queryStringParameters');
    expect(bare).not.toHaveProperty('pathParameters');
    expect(bare).not.toHaveProperty('body');
    expect(bare.requestContext).not.toHaveProperty('authorizer');
    const bin = buildEventV2(
      { ...base, rawHeaders: ['Content-Type', 'image/png'], body: Buffer.from([0, 1, 2]) },
      options,
    ) as Event;
    expect(bin.body).toBe('AAEC');
    expect(bin.isBase64Encoded).toBe(true);
  });
});

describe('isTextContent', () => {
  it('treats text, JSON and XML as text, the rest as binary', () => {
    expect(isTextContent('application/json; charset=utf-8')).toBe(true);
    expect(isTextContent('application/problem+json')).toBe(true);
    expect(isTextContent('text/html')).toBe(true);
    expect(isTextContent('application/octet-stream')).toBe(false);
    expect(isTextContent('multipart/form-data; boundary=x')).toBe(false);
  });
});

describe('translateResultV2', () => {
  it('takes a structured result field by field', () => {
    const r = translateResultV2({
      statusCode: 201,
      headers: { 'Content-Type': 'application/json', 'X-N': 1 },
      body: '{"ok":true}',
      cookies: ['a=1; Path=/'],
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers).toEqual({ 'content-type': 'application/json', 'x-n': '1' });
    expect(r.cookies).toEqual(['a=1; Path=/']);
    expect(r.body.toString()).toBe('{"ok":true}');
  });

  it('decodes a base64 body', () => {
    expect(
      translateResultV2({ statusCode: 200, body: 'AAEC', isBase64Encoded: true }).body,
    ).toEqual(Buffer.from([0, 1, 2]));
  });

  it('turns a bare object or string into a 200 JSON response', () => {
    const obj = translateResultV2({ id: 'a1' });
    expect(obj.statusCode).toBe(200);
    expect(obj.headers['content-type']).toBe('application/json');
    expect(obj.body.toString()).toBe('{"id":"a1"}');
    expect(translateResultV2('hello').body.toString()).toBe('hello');
  });

  it('answers 500 for a status code API Gateway would not accept', () => {
    expect(translateResultV2({ statusCode: 'abc' }).statusCode).toBe(500);
  });
});

describe('clfTime', () => {
  it('pads day and time', () => {
    expect(clfTime(new Date('2021-01-02T03:04:05Z'))).toBe('02/Jan/2021:03:04:05 +0000');
  });
});
