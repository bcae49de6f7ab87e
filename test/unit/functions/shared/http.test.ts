// unit test: SDK mocked with aws-sdk-client-mock (none needed here: middlewares on a stub handler)
import middy from '@middy/core';
import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { NotFoundError, TransientError } from '../../../../functions/shared/errors.js';
import {
  bodyLimit,
  getCaller,
  httpErrorHandler,
  requireDistrictOrganiser,
  parseGroups,
  requireRole,
  validateRequest,
  type HttpResult,
  type ValidatedHttpEvent,
} from '../../../../functions/shared/http/index.js';
import { resolveScopeClaim } from '../../../../functions/shared/http/auth.js';
import { httpEvent, lambdaContext, setTestEnv } from '../helpers.js';

const logger = { warn: vi.fn(), error: vi.fn() };

const bodySchema = z.strictObject({
  title: z.string().check(z.minLength(1)),
  count: z.number().check(z.int()),
});

const build = (
  inner: (event: ValidatedHttpEvent<z.output<typeof bodySchema>>) => unknown,
  access = requireRole('organiser'),
) =>
  middy<ValidatedHttpEvent<z.output<typeof bodySchema>>, HttpResult>()
    .use(httpErrorHandler({ logger }))
    .use(access)
    .use(bodyLimit({ maxBytes: 1024 }))
    .use(validateRequest({ body: bodySchema }))
    .handler(async (event) => ({
      statusCode: 200,
      body: JSON.stringify(await inner(event)),
    }));

const call = async (
  handler: ReturnType<typeof build>,
  options: Parameters<typeof httpEvent>[0],
): Promise<{
  statusCode: number;
  headers: Record<string, unknown>;
  json: Record<string, unknown>;
}> => {
  const result = await handler(httpEvent(options) as never, lambdaContext());
  return {
    statusCode: result.statusCode ?? 0,
    headers: (result.headers ?? {}) as Record<string, unknown>,
    json: JSON.parse(result.body ?? 'null') as Record<string, unknown>,
  };
};

describe('validateRequest', () => {
  const handler = build((event) => event.body);

  it('hands the handler the parsed body', async () => {
    const { statusCode, json } = await call(handler, { body: { title: 'x', count: 2 } });
    expect(statusCode).toBe(200);
    expect(json).toEqual({ title: 'x', count: 2 });
  });

  it('answers 422 naming each offending field', async () => {
    const { statusCode, headers, json } = await call(handler, {
      body: { count: 'two', extra: true },
    });
    expect(statusCode).toBe(422);
    expect(headers['content-type']).toBe('application/json; charset=utf-8');
    expect(json.issues).toEqual(
      expect.arrayContaining([
        { path: 'title', message: 'required' },
        { path: 'count', message: expect.stringMatching(/number/) },
        { path: 'extra', message: 'unknown field' },
      ]),
    );
    expect(json.message).toMatch(/title: required/);
    expect(json.message).toMatch(/extra: unknown field/);
  });

  it('answers 400 to malformed JSON and to a missing body', async () => {
    expect((await call(handler, { rawBody: '{"title": ' })).statusCode).toBe(400);
    expect((await call(handler, {})).statusCode).toBe(400);
  });

  it('answers 415 to a body that is not JSON', async () => {
    const { statusCode } = await call(handler, {
      rawBody: 'title=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(statusCode).toBe(415);
  });

  it('answers 413 to an oversized body before parsing it', async () => {
    const { statusCode, json } = await call(handler, {
      body: { title: 'x'.repeat(2000), count: 1 },
    });
    expect(statusCode).toBe(413);
    expect(json.message).toMatch(/limit is 1024 bytes/);
  });
});

describe('requireRole', () => {
  const handler = build(() => 'ok');

  it('answers 401 without claims', async () => {
    const { statusCode } = await call(handler, { claims: null, body: { title: 'x', count: 1 } });
    expect(statusCode).toBe(401);
  });

  it('answers 403 with a message when the role is not allowed', async () => {
    const { statusCode, json } = await call(handler, {
      claims: { sub: 's', 'cognito:groups': '[deputy auditor]' },
      body: { title: 'x', count: 1 },
    });
    expect(statusCode).toBe(403);
    expect(json.message).toMatch(/requires the role organiser; you have deputy, auditor/);
  });

  it('accepts the API Gateway "[a b]" form and a real array', async () => {
    for (const groups of ['[deputy organiser]', ['organiser'], 'organiser', '["organiser"]']) {
      const { statusCode } = await call(handler, {
        claims: { sub: 's', 'cognito:groups': groups, 'custom:street': 'DISTRICT' },
        body: { title: 'x', count: 1 },
      });
      expect(statusCode).toBe(200);
    }
  });

  it('names the scope a token states that is no street, and says so when it states none', async () => {
    const refusal = async (claims: Record<string, unknown>) =>
      (await call(handler, { claims: { sub: 's', 'cognito:groups': '[organiser]', ...claims } }))
        .json.message;
    expect(await refusal({ 'custom:street': 'NOWHERE' })).toContain(
      `this token's "NOWHERE" names no street of the district (GET /jurisdiction lists them)`,
    );
    expect(await refusal({})).toContain('and this token has none');
  });

  it('fails closed: the organiser group counts only with a stated scope', async () => {
    for (const claims of [
      { sub: 's', 'cognito:groups': '[organiser]' },
      { sub: 's', 'cognito:groups': '[organiser]', 'custom:street': '' },
      { sub: 's', 'cognito:groups': '[organiser]', 'custom:street': 'NOWHERE' },
      { sub: 's', 'cognito:groups': '[organiser]', 'custom:street': 'district' },
    ]) {
      const { statusCode, json } = await call(handler, { claims, body: { title: 'x', count: 1 } });
      expect(statusCode, JSON.stringify(claims)).toBe(403);
      expect(json.message).toMatch(/custom:street claim must name a street or DISTRICT/);
    }
    const caller = (claims: Record<string, unknown>) =>
      getCaller(
        httpEvent({ claims: { sub: 'u', 'cognito:groups': '[organiser auditor]', ...claims } }),
      );
    expect(caller({}).roles).toEqual(['auditor']);
    expect(caller({ 'custom:street': 'DISTRICT' })).toEqual({
      sub: 'u',
      roles: ['organiser', 'auditor'],
      deputyId: 'u',
    });
    expect(caller({ 'custom:street': 'WENCHONG' })).toMatchObject({
      roles: ['organiser', 'auditor'],
      street: 'WENCHONG',
    });
    // A street's name in the claim is resolved against the stored streets before any role
    // check (the district's, which setTestEnv gives this container): 文冲 becomes its code.
    setTestEnv();
    const event = httpEvent({
      claims: { sub: 'u', 'cognito:groups': '[organiser]', 'custom:street': '文冲' },
    });
    await resolveScopeClaim(event);
    expect(getCaller(event)).toMatchObject({ roles: ['organiser'], street: 'WENCHONG' });
  });

  it('lets only district organisers through requireDistrictOrganiser', async () => {
    const district = build(() => 'ok', requireDistrictOrganiser());
    const status = async (claims: Record<string, unknown>) =>
      (await call(district, { claims, body: { title: 'x', count: 1 } })).statusCode;
    expect(
      await status({ sub: 's', 'cognito:groups': '[organiser]', 'custom:street': 'DISTRICT' }),
    ).toBe(200);
    expect(
      await status({ sub: 's', 'cognito:groups': '[organiser]', 'custom:street': 'WENCHONG' }),
    ).toBe(403);
    expect(await status({ sub: 's', 'cognito:groups': '[organiser]' })).toBe(403);
    expect(await status({ sub: 's', 'cognito:groups': '[auditor]' })).toBe(403);
  });

  it('reads the caller', () => {
    expect(parseGroups('[organiser deputy]')).toEqual(['organiser', 'deputy']);
    expect(
      getCaller(
        httpEvent({
          claims: { sub: 'u1', 'cognito:groups': ['deputy'], 'custom:deputyId': 'dep-0007' },
        }),
      ),
    ).toEqual({ sub: 'u1', roles: ['deputy'], deputyId: 'dep-0007' });
  });
});

describe('httpErrorHandler', () => {
  it('maps named errors and hides unknown ones', async () => {
    const cases: [Error, number, string][] = [
      [new NotFoundError('Activity X not found'), 404, 'Activity X not found'],
      [new TransientError('busy'), 503, 'The service is busy; retry later'],
      [
        Object.assign(new Error('x'), { name: 'IdempotencyValidationError' }),
        422,
        'different request body',
      ],
      [
        Object.assign(new Error('x'), { name: 'IdempotencyAlreadyInProgressError' }),
        409,
        'still in progress',
      ],
      [new Error('secret detail'), 500, 'Internal server error'],
    ];
    for (const [error, status, message] of cases) {
      const handler = build(() => {
        throw error;
      });
      const { statusCode, json } = await call(handler, { body: { title: 'x', count: 1 } });
      expect(statusCode).toBe(status);
      expect(json.message).toContain(message);
      expect(JSON.stringify(json)).not.toContain('secret detail');
    }
    expect(logger.error).toHaveBeenCalledTimes(1);
  });
});
