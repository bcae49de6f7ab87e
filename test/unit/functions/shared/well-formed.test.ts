// unit test: ill-formed Unicode refused at every input of a request and never answered (no SDK)
import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { formFields } from '../../../../functions/department/form.js';
import { respondPageContracts } from '../../../../functions/department/routes.js';
import {
  bodyText,
  httpErrorHandler,
  illFormedFields,
  jsonResponse,
  validateRequest,
  wellFormedJson,
  type HttpResult,
} from '../../../../functions/shared/http/index.js';
import { parseFormUrlEncoded } from '../../../../functions/shared/http/well-formed.js';
import { ValidationError } from '../../../../functions/shared/errors.js';
import { httpEvent, lambdaContext } from '../helpers.js';
import { strictlyWellFormed } from '../../../support/well-formed.js';

const LONE = '\ud800';
const ILL = 'is not well-formed Unicode (it holds a lone surrogate)';

describe('illFormedFields', () => {
  it('names every lone surrogate by its path, keys included, and passes paired ones', () => {
    expect(
      illFormedFields({
        title: `积水${LONE}`,
        ok: '😀 文冲',
        seats: [{ body: 'x' }, { body: '\udc00x' }],
        [`k${LONE}`]: 1,
      }),
    ).toEqual([
      { path: 'title', message: ILL },
      { path: 'seats.1.body', message: ILL },
      { path: 'k\ufffd', message: ILL },
    ]);
    expect(illFormedFields(['a', '\ud83d\ude00'])).toEqual([]);
    expect(illFormedFields(undefined)).toEqual([]);
  });
});

describe('validateRequest refuses ill-formed Unicode before any schema', () => {
  const inner = vi.fn(() => ({ ok: true }));
  const handler = middy<never, HttpResult>()
    .use(httpErrorHandler({ logger: { warn: vi.fn(), error: vi.fn() } }))
    .use(
      validateRequest({
        // A loose schema: the check does not depend on what the schema allows.
        body: z.object({ title: z.string() }),
        pathParameters: z.object({ activityId: z.string() }),
      }),
    )
    .handler(async () => jsonResponse(200, inner()));
  const call = async (options: Parameters<typeof httpEvent>[0]) => {
    const result = await handler(httpEvent(options) as never, lambdaContext());
    return { status: result.statusCode, json: JSON.parse(result.body ?? 'null') as never };
  };

  it('a JSON body: 422 naming the field, the handler never runs', async () => {
    inner.mockClear();
    // JSON.stringify writes the lone surrogate as the escape "\ud800", as a client sends it.
    const res = await call({
      body: { title: `积水${LONE}`, extra: { note: LONE } },
      pathParameters: { activityId: 'a1' },
    });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({
      message: `Invalid request body: title: ${ILL}; extra.note: ${ILL}`,
      issues: [
        { path: 'title', message: ILL },
        { path: 'extra.note', message: ILL },
      ],
    });
    expect(inner).not.toHaveBeenCalled();
  });

  it('path and query parameters, whether or not the route has a schema for them', async () => {
    inner.mockClear();
    const path = await call({ body: { title: 'x' }, pathParameters: { activityId: LONE } });
    expect(path.status).toBe(422);
    expect(path.json).toMatchObject({ issues: [{ path: 'activityId', message: ILL }] });
    expect(
      (await call({ body: { title: 'x' }, pathParameters: { activityId: 'a1' } })).status,
    ).toBe(200);
    const event = {
      ...httpEvent({ body: { title: 'x' }, pathParameters: { activityId: 'a1' } }),
      queryStringParameters: { cursor: `c${LONE}` },
    };
    const refused = await handler(event as never, lambdaContext());
    expect(refused.statusCode).toBe(422);
    expect(JSON.parse(refused.body ?? '')).toMatchObject({
      message: `Invalid query parameters: cursor: ${ILL}`,
    });
    expect(inner).toHaveBeenCalledTimes(1);
  });

  it('a base64 body that is not UTF-8 is refused, not turned into U+FFFD', async () => {
    const event = {
      ...httpEvent({ pathParameters: { activityId: 'a1' } }),
      isBase64Encoded: true,
      // {"title":"<ED A0 80>"}: a surrogate's bytes (CESU-8), not UTF-8.
      body: Buffer.concat([
        Buffer.from('{"title":"'),
        Buffer.from([0xed, 0xa0, 0x80]),
        Buffer.from('"}'),
      ]).toString('base64'),
    };
    const res = await handler(event as never, lambdaContext());
    expect(res.statusCode).toBe(422);
    expect(JSON.parse(res.body ?? '')).toMatchObject({
      message: 'The request body is not UTF-8 text',
    });
  });
});

describe('bodyText', () => {
  it('decodes base64 strictly and passes text through', () => {
    expect(bodyText({ body: Buffer.from('文冲').toString('base64'), isBase64Encoded: true })).toBe(
      '文冲',
    );
    expect(bodyText({ body: 'a=b' })).toBe('a=b');
    expect(() =>
      bodyText({ body: Buffer.from([0xff]).toString('base64'), isBase64Encoded: true }),
    ).toThrow(ValidationError);
  });
});

describe('responses are always well-formed JSON', () => {
  it('answers a stored lone surrogate as U+FFFD, in values and keys', () => {
    const body = { finding: { text: `积水${LONE}点`, [`k${LONE}`]: ['\udfff'] }, ok: '😀' };
    const text = wellFormedJson(body);
    expect(strictlyWellFormed(text)).toBe(true);
    expect(JSON.parse(text)).toEqual({
      finding: { text: '积水\ufffd点', 'k\ufffd': ['\ufffd'] },
      ok: '😀',
    });
    expect(strictlyWellFormed(jsonResponse(200, body).body ?? '')).toBe(true);
    // Without lone surrogates the text is JSON.stringify's, a literal "\ud800" text included.
    const plain = { note: '\\ud800 is how JSON escapes it', n: 1 };
    expect(wellFormedJson(plain)).toBe(JSON.stringify(plain));
    expect(JSON.parse(wellFormedJson(plain))).toEqual(plain);
  });
});

describe('forms (the department pages)', () => {
  const form = (body: string, contentType = 'application/x-www-form-urlencoded') =>
    formFields(
      { body, isBase64Encoded: false, headers: { 'content-type': contentType } },
      respondPageContracts.submit.maxBodyBytes,
    );

  it('decodes a browser form as URLSearchParams does', () => {
    expect(form('action=REPLY&text=%E7%A7%AF%E6%B0%B4+%E5%B7%B2%E5%A4%84%E7%BD%AE&text=b')).toEqual(
      {
        action: 'REPLY',
        text: 'b',
      },
    );
    expect(form('__proto__=x&a')).toEqual({ ['__proto__']: 'x', a: '' });
    expect(Object.getPrototypeOf(form('__proto__=x'))).toBe(Object.prototype);
  });

  it('refuses a percent-encoded surrogate, bytes that are not UTF-8 and a raw lone surrogate, naming the field', () => {
    for (const body of [
      'action=REPLY&text=%ED%A0%80',
      'action=REPLY&text=%FF',
      `action=REPLY&text=a${LONE}`,
    ]) {
      expect(() => form(body)).toThrow(`Invalid form: text: ${ILL}`);
    }
    expect(() => parseFormUrlEncoded('%ED%A0%80=1')).toThrow(
      `Invalid form: \ufffd\ufffd\ufffd: ${ILL}`,
    );
  });

  it('refuses a lone surrogate in a JSON form', () => {
    expect(() =>
      form(JSON.stringify({ action: 'RETURN', reason: LONE }), 'application/json'),
    ).toThrow(`Invalid form: reason: ${ILL}`);
  });
});
