// Integration (local cloud): property-based fuzzing (fast-check) of every route of the HTTP API,
// through the local API (JWT authorizer, stage throttling, routing, the functions in process,
// DynamoDB Local, local Step Functions and SES). The routes come from the synthesized template
// and docs/openapi.json (inventory.ts); request bodies are generated from each operation's
// request schema (valid-looking), then mutated: wrong types, huge and unicode strings, missing
// fields, prototype-pollution keys, fields the client may not set (status, pk, sk, createdBy,
// organiserId, hash ...) carrying a sentinel, non-object JSON, malformed JSON; path ids are real
// ids of fuzz-owned items or wrong ones; query parameters (cursors, limits) valid or garbage.
// Ill-formed Unicode (lone surrogates) goes to every route: in JSON bodies as the escapes
// JSON.stringify writes (one mutation makes an otherwise valid body ill-formed in one string or
// key), in forms, paths and queries as the surrogate's bytes percent-encoded (%ED%A0%80, what a
// client that never checks sends), in CSV cells (sent as text, which UTF-8 cannot carry: they
// arrive as U+FFFD, as through API Gateway; the roster's own refusal is unit-tested).
// Asserted per request: no 5xx, every 4xx with a message, every JSON answer strictly
// well-formed (no escape of a lone surrogate); a JSON body or form holding an ill-formed
// string is never accepted, and its 422 names each such field. After the run: no item in the
// table holds the sentinel (nothing the client may not set was persisted). The stage throttle (50 rps)
// is honoured by pacing, and a 429 from it is retried and counted apart from the app's answers.
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLink } from '../../../functions/shared/data/links';
import { DEMO_DEPUTY_IDS } from '../../../infra/local/seed';
import { scheduleActivity, waitForPhase } from '../support/activity';
import { api } from '../support/api';
import { routingKeysOf } from '../support/reference';
import { ddbDoc } from '../support/aws';
import { localCloud, tableName } from '../support/cloud';
import { linkSigningKey, linkStore, seedReferral } from '../support/referral';
import { mintToken, type MintOptions } from '../support/token';
import { fillPath, routeInventory, type JsonSchema, type RouteInfo } from './inventory';

const RUN = Date.now().toString(36);
const SENTINEL = `MASSASSIGN${RUN}`;
// FUZZ_REQUESTS only shortens a local try-out; the figure in docs/reliability.md is of the default.
const TOTAL_REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 10_000);
const RATE_PER_SECOND = 45; // under the stage's 50 rps, so 429s stay rare
const CONCURRENCY = 8; // latency-bound at 4 (about 21 rps measured), the pacing keeps it under 45 rps
/** Fields a client never sets: keys, state, ownership, audit chain. */
const FORBIDDEN_FIELDS = [
  'pk',
  'sk',
  'listPk',
  'ownerPk',
  'status',
  'phase',
  'createdBy',
  'organiserId',
  'hash',
  'prevHash',
  'auditSeq',
  'auditHash',
  'entity',
  'id',
  'approvedBy',
  'pendingTask',
  'cognito:groups',
  'role',
  'isAdmin',
];

const INVITED = DEMO_DEPUTY_IDS.wenchong;
const ROLE_TOKENS: Record<string, MintOptions> = {
  organiser: { role: 'organiser', sub: `fuzz-org-${RUN}` },
  deputy: { role: 'deputy', sub: INVITED },
  auditor: { role: 'auditor', sub: `fuzz-aud-${RUN}` },
};
const tokens = new Map<string, string>();

/** Real ids of fuzz-owned items, by path parameter name. */
const ids: Record<string, string> = {};
const checkInCodes: string[] = [];

const figures = {
  requests: 0,
  byClass: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 } as Record<string, number>,
  throttled429Retried: 0,
  fiveXX: [] as string[],
  missingMessage: [] as string[],
  massAssignmentHits: 0,
  /** Requests whose JSON body or form held an ill-formed string, and how many got 422. */
  illFormedSent: 0,
  illFormedRefused422: 0,
  illFormedAccepted: [] as string[],
  illFormedUnnamed: [] as string[],
  illFormedAnswers: [] as string[],
  /** Routes that got a lone surrogate somewhere: body, form, path or query. */
  illFormedRoutes: new Set<string>(),
  seconds: 0,
};

// ---- pacing: a client-side token bucket under the stage throttle -------------------------
let nextSlot = Date.now();
const paced = async (): Promise<void> => {
  const now = Date.now();
  const slot = Math.max(now, nextSlot);
  nextSlot = slot + 1000 / RATE_PER_SECOND;
  if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
};

// ---- arbitraries from the OpenAPI request schemas -----------------------------------------
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\r\nBcc: attacker@example.org',
  '%0d%0aX-Injected: 1',
  '\u2028\u2029',
  '<script>alert(1)</script>',
  "'; DROP TABLE x; --",
  '{{7*7}}${7*7}',
  '../../etc/passwd',
  '\ud83d\ude00'.repeat(50),
  '\ud800',
  '=cmd|/c calc!A1',
  'A'.repeat(70_000),
  '𠀀'.repeat(3000),
  'null',
  'NaN',
];

const ILL_FORMED_MESSAGE = 'is not well-formed Unicode (it holds a lone surrogate)';
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A string with at least one lone surrogate, anywhere in it. */
const illFormedString = fc
  .tuple(
    fc.string({ unit: 'grapheme', maxLength: 12 }),
    fc.integer({ min: 0xd800, max: 0xdfff }),
    fc.string({ unit: 'grapheme', maxLength: 12 }),
  )
  .map(([before, unit, after]) => `${before}${String.fromCharCode(unit)}${after}`)
  .filter((s) => !s.isWellFormed());

/**
 * encodeURIComponent, except that a lone surrogate goes as its three bytes (%ED%A0%80 for
 * U+D800), as a client that never checks would send it; encodeURIComponent itself throws.
 */
const encodeLoosely = (s: string): string => {
  let out = '';
  let last = 0;
  for (const match of s.matchAll(LONE_SURROGATE)) {
    const unit = match[0].charCodeAt(0);
    const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
    out += encodeURIComponent(s.slice(last, match.index));
    out += bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    last = match.index + 1;
  }
  return out + encodeURIComponent(s.slice(last));
};

/** Paths (as the API names fields) of every ill-formed string and key of a JSON value. */
const illFormedPaths = (value: unknown, path: string[] = []): string[] => {
  if (typeof value === 'string') return value.isWellFormed() ? [] : [path.join('.')];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const at = [...path, key.toWellFormed()];
    return [...(key.isWellFormed() ? [] : [at.join('.')]), ...illFormedPaths(child, at)];
  });
};

/** Strict JSON: no string or key with a lone surrogate (as serde_json or Go would demand). */
const strictlyWellFormedJson = (text: string): boolean => {
  try {
    return illFormedPaths(JSON.parse(text)).length === 0;
  } catch {
    return false;
  }
};

const nastyString = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  illFormedString,
);

/** Every path to a string in a JSON value, as arrays of keys. */
const stringPaths = (value: unknown, path: string[] = []): string[][] => {
  if (typeof value === 'string') return [path];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => stringPaths(child, [...path, key]));
};

/** A copy of `value` with the string at `path` replaced by `replacement`. */
const replaceAt = (value: unknown, path: string[], replacement: string): unknown => {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string, ...string[]];
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<
    string,
    unknown
  >;
  copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
};

const isoIn = (minDays: number, maxDays: number) =>
  fc
    .integer({ min: Math.round(minDays * 86_400), max: Math.round(maxDays * 86_400) })
    .map((s) => new Date(Date.now() + s * 1000).toISOString());

function arbitraryOf(schema: JsonSchema, name = ''): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return fc.oneof(...variants.map((v) => arbitraryOf(v, name)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, sub] of Object.entries(props)) model[key] = arbitraryOf(sub, key);
      return fc.record(model, { requiredKeys: [...required].filter((k) => k in props) });
    }
    case 'array':
      return fc.array(arbitraryOf(schema.items ?? {}, name), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'integer':
      return fc.integer({ min: schema.minimum ?? -10, max: Math.min(schema.maximum ?? 1000, 1e6) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -10, max: schema.maximum ?? 1000, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'string':
    default:
      if (schema.format === 'date-time') {
        // Times around now: most in the future (schedules), some in the past.
        return /At$/.test(name) ? isoIn(-1, 60) : isoIn(-30, 30);
      }
      if (schema.format === 'date') return isoIn(-10, 200).map((s) => s.slice(0, 10));
      if (schema.format === 'email') {
        return fc.stringMatching(/^[a-z]{3,10}$/).map((s) => `fuzz-${s}-${RUN}@example.org`);
      }
      if (schema.pattern) {
        return fc
          .stringMatching(new RegExp(schema.pattern))
          .filter((s) => s.length <= (schema.maxLength ?? 200));
      }
      return fc.string({
        unit: fc.constantFrom(...'文冲村积水河涌abcXYZ 0123-_.'.split('')),
        minLength: Math.max(1, schema.minLength ?? 1),
        maxLength: Math.min(schema.maxLength ?? 40, 40),
      });
  }
}

type Body =
  | { kind: 'json'; value: unknown }
  | {
      kind: 'raw';
      text: string;
      contentType: string;
      /** A form's fields that hold ill-formed strings (the request must be refused). */
      illFormed?: string[];
    };

/** A valid-looking body mutated in one of the ways a client can get it wrong or mean harm. */
function mutated(route: RouteInfo, valid: fc.Arbitrary<unknown>): fc.Arbitrary<Body> {
  const props = new Set(Object.keys(route.body?.schema.properties ?? {}));
  const extraField = fc.constantFrom(...FORBIDDEN_FIELDS.filter((f) => !props.has(f)));
  const asObject = valid.map((v) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {},
  );
  const json = (a: fc.Arbitrary<unknown>): fc.Arbitrary<Body> =>
    a.map((value) => ({ kind: 'json', value }));
  return fc.oneof(
    // Valid but for one string (a value anywhere, or a key) that holds a lone surrogate: the
    // attack that was answered 201 and broke the workflow.
    json(
      fc.tuple(valid, illFormedString, fc.nat(), fc.boolean()).map(([body, ill, pick, asKey]) => {
        const paths = stringPaths(body);
        if (asKey || paths.length === 0) {
          return { ...(body as Record<string, unknown>), [ill]: 'x' };
        }
        return replaceAt(body, paths[pick % paths.length]!, ill);
      }),
    ),
    json(
      fc
        .tuple(asObject, extraField)
        .map(([body, field]) => ({ ...body, [field]: `${SENTINEL}-${field}` })),
    ),
    // `__proto__` and `constructor` as own keys, as JSON.parse makes them.
    fc
      .tuple(asObject, fc.constantFrom('__proto__', 'constructor', 'prototype'))
      .map(([body, key]): Body => ({
        kind: 'raw',
        contentType: 'application/json',
        text: JSON.stringify(body).replace(
          /^\{/,
          `{"${key}":{"status":"${SENTINEL}-proto","isAdmin":true,"polluted":"${SENTINEL}"}${Object.keys(body).length ? ',' : ''}`,
        ),
      })),
    json(
      fc
        .tuple(
          asObject,
          fc.constantFrom(...(props.size ? [...props] : ['x'])),
          fc.oneof(
            nastyString,
            fc.integer(),
            fc.constant(null),
            fc.boolean(),
            fc.array(fc.integer(), { maxLength: 3 }),
            fc.object({ maxDepth: 2 }),
            fc.double(),
          ),
        )
        .map(([body, key, value]) => ({ ...body, [key]: value })),
    ),
    json(
      fc.tuple(asObject, fc.constantFrom(...(props.size ? [...props] : ['x']))).map(([b, key]) => {
        const copy = { ...b };
        delete copy[key];
        return copy;
      }),
    ),
    json(
      fc.oneof(
        fc.constant(null),
        fc.integer(),
        nastyString,
        fc.array(fc.anything(), { maxLength: 3 }),
      ),
    ),
    fc
      .constantFrom('{', '{"a":', '[1,', 'not json', '\u0000', '{"a":1}}', '')
      .map((text): Body => ({ kind: 'raw', contentType: 'application/json', text })),
    fc
      .constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x')
      .chain((contentType) =>
        valid.map((v): Body => ({ kind: 'raw', contentType, text: JSON.stringify(v) })),
      ),
  );
}

function bodyArbitrary(route: RouteInfo): fc.Arbitrary<Body | undefined> {
  if (route.method === 'GET') return fc.constant(undefined); // fetch sends no GET body
  if (!route.body) {
    return fc.oneof(
      { weight: 4, arbitrary: fc.constant(undefined) },
      {
        weight: 1,
        arbitrary: fc.constant<Body>({ kind: 'json', value: { status: `${SENTINEL}-nobody` } }),
      },
    );
  }
  const { contentType, schema } = route.body;
  if (contentType === 'text/csv') {
    const cell = fc.oneof(
      nastyString,
      fc.stringMatching(/^[a-z]{1,8}$/),
      fc.constantFrom('区', '市', '广州市黄埔区人民代表大会'),
    );
    const row = fc
      .array(cell, { minLength: 1, maxLength: 6 })
      .map((cells) =>
        cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','),
      );
    return fc
      .tuple(
        fc.constantFrom(
          'name,email,level1,body1',
          'name,email',
          'status,pk,name,email,level1,body1',
          '',
        ),
        fc.array(row, { maxLength: 5 }),
      )
      .map(([header, rows]): Body => ({
        kind: 'raw',
        contentType: 'text/csv',
        text: [header, ...rows].join('\n'),
      }));
  }
  if (contentType === 'application/x-www-form-urlencoded') {
    const field = fc.oneof(
      fc.constantFrom(
        'action',
        'result',
        'text',
        'rating',
        'comment',
        'days',
        'reason',
        'status',
        '__proto__',
      ),
      fc.string({ maxLength: 10 }),
    );
    const value = fc.oneof(
      fc.constantFrom(
        'ACKNOWLEDGE',
        'PROGRESS',
        'REPLY',
        'RETURN',
        'REQUEST_EXTENSION',
        'RESOLVED',
        'SATISFIED',
        'NOT_SATISFIED',
        '30',
        '-1',
        '1e9',
      ),
      nastyString,
    );
    return fc.dictionary(field, value, { maxKeys: 5 }).map((fields): Body => ({
      kind: 'raw',
      contentType,
      text: Object.entries(fields)
        .map(([name, text]) => `${encodeLoosely(name)}=${encodeLoosely(text)}`)
        .join('&'),
      illFormed: illFormedPaths(fields),
    }));
  }
  const valid = arbitraryOf(schema);
  return fc.oneof(
    { weight: 5, arbitrary: valid.map((value): Body => ({ kind: 'json', value })) },
    { weight: 5, arbitrary: mutated(route, valid) },
  );
}

function pathArbitrary(route: RouteInfo): fc.Arbitrary<Record<string, string>> {
  const params = route.parameters.filter((p) => p.in === 'path');
  const model: Record<string, fc.Arbitrary<string>> = {};
  for (const p of params) {
    const real = p.name === 'code' ? checkInCodes : ids[p.name] ? [ids[p.name]!] : [];
    const wrong = fc
      .oneof(
        p.schema.pattern
          ? fc.stringMatching(new RegExp(p.schema.pattern))
          : fc.string({ minLength: 1, maxLength: 30 }),
        fc.constantFrom(
          '..',
          '%2e%2e%2f',
          'ACTIVITY#x',
          '*',
          '00000000000000000000000000',
          'a'.repeat(300),
          '文冲',
          'null',
        ),
        nastyString.filter((s) => s.length > 0),
      )
      // Longer URLs are refused by the HTTP server before any route (431 here, 414 on AWS).
      .filter((s) => encodeLoosely(s).length <= 2000);
    const wrongOrIllFormed = fc.oneof(
      { weight: 3, arbitrary: wrong },
      { weight: 1, arbitrary: illFormedString },
    );
    model[p.name] = real.length
      ? fc.oneof(
          { weight: 3, arbitrary: fc.constantFrom(...real) },
          { weight: 2, arbitrary: wrongOrIllFormed },
        )
      : wrongOrIllFormed;
  }
  return fc.record(model);
}

function queryArbitrary(route: RouteInfo): fc.Arbitrary<string> {
  const params = route.parameters.filter((p) => p.in === 'query');
  if (params.length === 0) return fc.constant('');
  const model: Record<string, fc.Arbitrary<string>> = {};
  for (const p of params) {
    const valid =
      p.name === 'cursor'
        ? fc.oneof(
            fc.base64String({ maxLength: 40 }),
            fc.json().map((j) => Buffer.from(j).toString('base64url')),
            fc.constant(
              Buffer.from(
                JSON.stringify({ v: 1, f: 'x', p: { pk: 'DEPUTY#dep-0001', sk: 'PROFILE' } }),
              ).toString('base64url'),
            ),
          )
        : p.name === 'limit'
          ? fc.integer({ min: -5, max: 2000 }).map(String)
          : arbitraryOf(p.schema, p.name).map(String);
    model[p.name] = fc.oneof(
      { weight: 3, arbitrary: valid },
      {
        weight: 1,
        arbitrary: nastyString.filter((s) => encodeLoosely(s).length <= 2000),
      },
      { weight: 1, arbitrary: illFormedString },
    );
  }
  const required = params.filter((p) => p.required).map((p) => p.name);
  return fc.record(model, { requiredKeys: required }).map((q) => {
    const text = Object.entries(q as Record<string, string>)
      .map(([name, value]) => `${encodeLoosely(name)}=${encodeLoosely(value)}`)
      .join('&');
    return text ? `?${text}` : '';
  });
}

// ---- one request ----------------------------------------------------------------------------
async function send(
  route: RouteInfo,
  path: string,
  body: Body | undefined,
  role: string | null,
  idempotencyKey: string | undefined,
): Promise<{ status: number; text: string; contentType: string }> {
  const headers: Record<string, string> = {};
  if (role) {
    if (!tokens.has(role)) tokens.set(role, await mintToken(ROLE_TOKENS[role]!));
    headers.authorization = `Bearer ${tokens.get(role)}`;
  }
  if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
  let payload: string | undefined;
  if (body?.kind === 'json') {
    payload = JSON.stringify(body.value) ?? 'null';
    headers['content-type'] = 'application/json';
  } else if (body) {
    payload = body.text;
    headers['content-type'] = body.contentType;
  }
  for (let attempt = 0; ; attempt++) {
    await paced();
    const res = await fetch(`${localCloud().api}${path}`, {
      method: route.method,
      headers,
      body: payload,
    });
    const text = await res.text();
    if (res.status === 429 && attempt < 20) {
      figures.throttled429Retried++;
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    return { status: res.status, text, contentType: res.headers.get('content-type') ?? '' };
  }
}

const hasMessage = (res: { text: string; contentType: string }): boolean => {
  if (/text\/html/.test(res.contentType))
    return /<h1[^>]*>[^<]+/.test(res.text) || res.text.trim().length > 0;
  try {
    const json = JSON.parse(res.text) as { message?: unknown };
    return typeof json.message === 'string' && json.message.trim().length > 0;
  } catch {
    return false;
  }
};

/** The fields of a JSON body (of a route that reads one) or of a form that are ill-formed. */
const illFormedBody = (route: RouteInfo, body: Body | undefined): string[] =>
  body?.kind === 'json' && route.body && route.body.contentType !== 'text/csv'
    ? // As the server sees it: what JSON.stringify kept.
      illFormedPaths(JSON.parse(JSON.stringify(body.value) ?? 'null'))
    : body?.kind === 'raw'
      ? (body.illFormed ?? [])
      : [];

/**
 * No JSON answer carries a lone surrogate; a JSON body (of a route that reads one) or a form
 * holding one is never accepted, and a 422 for it names each such field.
 */
function checkIllFormed(
  route: RouteInfo,
  path: string,
  body: Body | undefined,
  res: { status: number; text: string; contentType: string },
): void {
  const what = `${route.key} ${path.slice(0, 120)} → ${res.status} ${res.text.slice(0, 200)}`;
  if (/json/.test(res.contentType) && !strictlyWellFormedJson(res.text)) {
    figures.illFormedAnswers.push(what);
  }
  const ill = illFormedBody(route, body);
  if (ill.length === 0) return;
  figures.illFormedSent++;
  if (res.status < 400) figures.illFormedAccepted.push(what);
  if (res.status !== 422) return;
  figures.illFormedRefused422++;
  if (/json/.test(res.contentType)) {
    const issues = (JSON.parse(res.text) as { issues?: { path: string; message: string }[] })
      .issues;
    const named = ill.every((p) =>
      issues?.some((issue) => issue.path === p && issue.message === ILL_FORMED_MESSAGE),
    );
    if (!named) figures.illFormedUnnamed.push(`${what} (expected ${ill.join(', ')})`);
  } else if (!res.text.includes(ILL_FORMED_MESSAGE)) {
    figures.illFormedUnnamed.push(what);
  }
}

// ---- fixtures: fuzz-owned items, so valid writes never touch other suites' data ------------
beforeAll(async () => {
  const organiser = api(ROLE_TOKENS.organiser!);
  const idOf = (json: unknown): string => {
    const found = Object.values(json as Record<string, { id?: string }>).find((v) => v?.id);
    if (!found?.id) throw new Error(`no id in ${JSON.stringify(json)}`);
    return found.id;
  };
  const activityId = await scheduleActivity(organiser, {
    title: `模糊测试 ${RUN}`,
    invitedDeputyIds: [INVITED, DEMO_DEPUTY_IDS.national],
  });
  await waitForPhase(organiser, activityId, 'START');
  ids.activityId = activityId;
  const department = await organiser.post('/departments', {
    name: `模糊测试部门 ${RUN}`,
    emails: [`fuzz-dept-${RUN}@example.org`],
    categories: ['HEALTH'],
  });
  expect(department.status, department.text).toBe(201);
  ids.departmentId = idOf(department.json);
  const committee = await organiser.post('/committees', {
    name: `模糊测试工委 ${RUN}`,
    emails: [`fuzz-cmte-${RUN}@example.org`],
  });
  expect(committee.status, committee.text).toBe(201);
  ids.committeeId = idOf(committee.json);
  const deputy = await organiser.post('/deputies', {
    name: `模糊测试代表${RUN}`,
    email: `fuzz-dep-${RUN}@example.org`,
    seats: [{ level: 'DISTRICT', body: '广州市黄埔区人民代表大会' }],
  });
  expect(deputy.status, deputy.text).toBe(201);
  ids.deputyId = idOf(deputy.json);
  const { category, street } = routingKeysOf('fuzz');
  const rule = await organiser.post('/routing-rules', {
    category,
    street,
    departmentId: ids.departmentId,
  });
  expect([201, 409], rule.text).toContain(rule.status);
  ids.ruleId = `${category}:${street}`;
  const referral = await seedReferral({ referral: { status: 'SENT', round: 1 } });
  ids.referralId = referral.referralId;
  const key = await linkSigningKey();
  const link = (purpose: 'RESPOND' | 'RATE') =>
    createLink(linkStore(), key, {
      purpose,
      referralId: referral.referralId,
      round: 1,
      ...(purpose === 'RATE' ? { raiserRef: `R.${referral.findingId}` } : {}),
      ttlSeconds: 3600,
    });
  ids.token = await link('RESPOND');
  // The rating page's own token is chosen per route below (same parameter name).
  ids.rateToken = await link('RATE');
});

async function fuzzRoute(route: RouteInfo, numRuns: number): Promise<void> {
  const allowed = route.roles.includes('organiser')
    ? 'organiser'
    : route.roles.includes('deputy')
      ? 'deputy'
      : (route.roles[0] ?? null);
  const roleArb = fc.oneof(
    { weight: 9, arbitrary: fc.constant(route.authorization === 'JWT' ? allowed : null) },
    {
      weight: 1,
      arbitrary: fc.constantFrom<string | null>('organiser', 'deputy', 'auditor', null),
    },
  );
  const pathIds = route.path.startsWith('/rate/')
    ? pathArbitrary(route).map((p) => (p.token === ids.token ? { ...p, token: ids.rateToken! } : p))
    : pathArbitrary(route);
  await fc.assert(
    fc.asyncProperty(
      pathIds,
      queryArbitrary(route),
      bodyArbitrary(route),
      roleArb,
      fc.option(fc.stringMatching(/^[\x21-\x7e]{1,20}$/), { nil: undefined }),
      async (pathParams, query, body, role, idempotencyKey) => {
        const path = `${fillPath(route.path, pathParams, encodeLoosely)}${query}`;
        // A surrogate's bytes percent-encoded: %ED%A0 to %ED%BF.
        if (
          /%ED%[AB]/.test(path) ||
          illFormedBody(route, body).length > 0 ||
          (body?.kind === 'raw' && !body.text.isWellFormed())
        ) {
          figures.illFormedRoutes.add(route.key);
        }
        const res = await send(route, path, body, role, idempotencyKey);
        figures.requests++;
        const klass = `${Math.floor(res.status / 100)}xx`;
        figures.byClass[klass] = (figures.byClass[klass] ?? 0) + 1;
        if (res.status >= 500) {
          figures.fiveXX.push(
            `${route.key} ${path.slice(0, 120)} → ${res.status} ${res.text.slice(0, 200)}`,
          );
        }
        if (res.status >= 400 && res.status < 500 && !hasMessage(res)) {
          figures.missingMessage.push(`${route.key} → ${res.status} ${res.text.slice(0, 120)}`);
        }
        expect(
          res.status,
          `${route.key} ${path.slice(0, 200)}: ${res.text.slice(0, 300)}`,
        ).toBeLessThan(500);
        if (res.status >= 400)
          expect(hasMessage(res), `${route.key}: ${res.text.slice(0, 200)}`).toBe(true);
        checkIllFormed(route, path, body, res);
      },
    ),
    { numRuns, seed: Number(process.env.FUZZ_SEED ?? 20250611), endOnFailure: true },
  );
}

/** Every item of the table holding the sentinel anywhere (keys, attributes, nested). */
async function sentinelItems(): Promise<unknown[]> {
  const hits: unknown[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await ddbDoc().send(
      new ScanCommand({ TableName: tableName(), ExclusiveStartKey: startKey }),
    );
    for (const item of page.Items ?? [])
      if (JSON.stringify(item).includes(SENTINEL)) hits.push(item);
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return hits;
}

describe('fuzzing every route', () => {
  it(`≥${TOTAL_REQUESTS} generated requests: no 5xx, every 4xx with a message, nothing mass-assigned, ill-formed Unicode refused and never answered`, async () => {
    const routes = routeInventory();
    expect(routes.length).toBeGreaterThan(50);
    const numRuns = Math.ceil(TOTAL_REQUESTS / routes.length);
    const started = Date.now();
    const queue = [...routes];
    const failures: unknown[] = [];
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let route = queue.shift(); route; route = queue.shift()) {
          await fuzzRoute(route, numRuns).catch((error: unknown) => {
            const cause = (error as { cause?: unknown }).cause;
            failures.push(
              `${route.key}: ${String(error).slice(0, 600)} ${cause ? String(cause).slice(0, 600) : ''}`,
            );
          });
        }
      }),
    );
    const hits = await sentinelItems();
    const takingInput = routes.filter((r) => r.body || r.parameters.length > 0).map((r) => r.key);
    figures.massAssignmentHits = hits.length;
    figures.seconds = Math.round((Date.now() - started) / 1000);
    console.log(
      `[security fuzz] routes ${routes.length}, requests ${figures.requests}, by class ${JSON.stringify(figures.byClass)}, 5xx ${figures.fiveXX.length}, 4xx without message ${figures.missingMessage.length}, mass-assignment hits ${figures.massAssignmentHits}, ill-formed bodies/forms ${figures.illFormedSent} (422 naming the field ${figures.illFormedRefused422 - figures.illFormedUnnamed.length}, accepted ${figures.illFormedAccepted.length}), ill-formed JSON answers ${figures.illFormedAnswers.length}, routes given ill-formed input ${figures.illFormedRoutes.size} of ${takingInput.length} that take input, 429 retried ${figures.throttled429Retried}, ${figures.seconds} s`,
    );
    for (const list of [
      figures.illFormedAccepted,
      figures.illFormedUnnamed,
      figures.illFormedAnswers,
    ])
      if (list.length) console.log(list.slice(0, 10).join('\n'));
    if (figures.fiveXX.length) console.log(figures.fiveXX.slice(0, 20).join('\n'));
    if (figures.missingMessage.length) console.log(figures.missingMessage.slice(0, 20).join('\n'));
    if (hits.length) console.log(JSON.stringify(hits.slice(0, 5)));
    expect(failures.slice(0, 3)).toEqual([]);
    expect(figures.requests).toBeGreaterThanOrEqual(TOTAL_REQUESTS);
    expect(figures.byClass['2xx']).toBeGreaterThan(0);
    expect(figures.fiveXX).toEqual([]);
    expect(figures.missingMessage).toEqual([]);
    expect(hits).toEqual([]);
    expect(takingInput.filter((key) => !figures.illFormedRoutes.has(key))).toEqual([]);
    expect(figures.illFormedRefused422).toBeGreaterThan(0);
    expect(figures.illFormedAccepted).toEqual([]);
    expect(figures.illFormedUnnamed).toEqual([]);
    expect(figures.illFormedAnswers).toEqual([]);
  }, 900_000);
});
