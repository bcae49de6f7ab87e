// Integration (local cloud): the authorization matrix. Every route of the API (from the
// synthesized template; a route missing from EXPECTED fails the first test, so a new route forces
// a decision) × nine callers: an organiser of the activity's street (own scope), an organiser of
// another street, an organiser of the whole district, an organiser token without a scope claim
// (scope fails closed: no organiser rights), the invited deputy (self), a deputy not invited
// (other), an auditor, no token, and a token whose group the app does not know. Reference data
// is written by district organisers only (issue 12). Each cell is allow or deny: deny is 401, 403 or
// 404 with a message and nothing of the other scope in the body (the unique marker in every
// fixture text), and changes nothing; allow is anything else below 500 (a refusal for the
// state the fixture is in, 409/422, is still past the access check). All denials run first,
// on untouched fixtures; then the allowed calls. Object-level checks follow: another scope's
// ids in the path, a referral id of another activity, a cursor from another scope.
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../../functions/shared/data/keys';
import { DEMO_JURISDICTION } from '../../../infra/local/demo-jurisdiction';
import { DEMO_COMMITTEE_IDS, DEMO_DEPUTY_IDS } from '../../../infra/local/seed';
import {
  activityAtStep,
  completedActivity,
  type HumanStep,
  inDays,
  inSeconds,
  recordFinding,
  type ReviewJson,
} from '../support/activity';
import { api, type ApiClient } from '../support/api';
import { routingKeysOf } from '../support/reference';
import { partitionItems } from '../support/aws';
import { seedReferral } from '../support/referral';
import { fillPath, routeInventory } from './inventory';

const RUN = Date.now().toString(36);
const MARK = `MATRIX${RUN}`;
const INVITED = DEMO_DEPUTY_IDS.wenchong;
const NOT_INVITED = 'dep-0100';
const YEAR = new Date().getUTCFullYear();

const CALLERS = {
  orgOwn: api({ role: 'organiser', sub: `org-own-${RUN}`, street: 'WENCHONG' }),
  orgOther: api({ role: 'organiser', sub: `org-other-${RUN}`, street: 'HUANGPU' }),
  orgDistrict: api({ role: 'organiser', sub: `org-district-${RUN}`, street: 'DISTRICT' }),
  orgUnscoped: api({ role: 'organiser', sub: `org-unscoped-${RUN}`, street: null }),
  depSelf: api({ role: 'deputy', sub: INVITED }),
  depOther: api({ role: 'deputy', sub: NOT_INVITED }),
  auditor: api({ role: 'auditor', sub: `aud-${RUN}` }),
  noToken: api(null),
  unknownGroup: api({
    role: 'auditor',
    sub: `mayor-${RUN}`,
    extraClaims: { 'cognito:groups': ['mayor'] },
  }),
} satisfies Record<string, ApiClient>;
type Caller = keyof typeof CALLERS;
const CALLER_NAMES = Object.keys(CALLERS) as Caller[];

/**
 * Letters of the callers allowed: O own organiser, X other organiser, Q district organiser (区),
 * D deputy self, E deputy other, A auditor. The unscoped organiser is never allowed.
 */
type Allowed = string;
const LETTER: Record<string, Caller> = {
  O: 'orgOwn',
  X: 'orgOther',
  Q: 'orgDistrict',
  D: 'depSelf',
  E: 'depOther',
  A: 'auditor',
};

const ids: Record<string, string> = {};
const fixture = {
  start: '',
  attendance: '',
  findings: '',
  review: '',
  cancel: '',
  completed: '',
  other: '',
};
const otherReferral = { id: '' };

interface Case {
  allow: Allowed | 'public';
  /** Values of the path parameters. */
  path: () => Record<string, string>;
  query?: () => string;
  body?: () => unknown;
  contentType?: string;
}

const act = (which: keyof typeof fixture) => () => ({ activityId: fixture[which] });
const ref = (name: string) => () => ({ [name]: ids[name]! });

/**
 * The five routes of a reference entity (list, create, read, change, deactivate): reference data
 * is the district's, so every organiser and auditor reads it and district organisers write it.
 */
const referenceRoutes = (
  collection: string,
  idName: string,
  bodies: { create: () => unknown; change: () => unknown },
): Record<string, Case> => ({
  [`GET /${collection}`]: { allow: 'O Q X A', path: () => ({}) },
  [`POST /${collection}`]: { allow: 'Q', path: () => ({}), body: bodies.create },
  [`GET /${collection}/{${idName}}`]: { allow: 'O Q X A', path: ref(idName) },
  [`PATCH /${collection}/{${idName}}`]: { allow: 'Q', path: ref(idName), body: bodies.change },
  [`POST /${collection}/{${idName}}/deactivate`]: { allow: 'Q', path: ref(idName) },
});

const EXPECTED: Record<string, Case> = {
  'POST /activities': {
    allow: 'O Q',
    path: () => ({}),
    body: () => ({
      title: `矩阵 ${MARK}`,
      type: 'SYMPOSIUM',
      street: 'WENCHONG',
      location: '文冲街道',
      startsAt: inSeconds(3600),
      endsAt: inSeconds(7200),
      invitedDeputyIds: [INVITED],
    }),
  },
  // Every organiser lists (a street organiser only their street's), auditors read. The own
  // organiser's activities: the other street's organiser must see none of them.
  'GET /activities': {
    allow: 'O X Q A',
    path: () => ({}),
    query: () => `?organiserId=org-own-${RUN}&limit=5`,
  },
  'GET /activities/{activityId}': { allow: 'O Q D A', path: act('start') },
  // The invitations and answers (names and levels): organisers in scope and auditors only.
  'GET /activities/{activityId}/invitations': { allow: 'O Q A', path: act('attendance') },
  'POST /activities/{activityId}/attendance/close': { allow: 'O Q', path: act('attendance') },
  'POST /activities/{activityId}/cancel': {
    allow: 'O Q',
    path: act('cancel'),
    body: () => ({ reason: '矩阵取消' }),
  },
  'POST /activities/{activityId}/check-in/open': { allow: 'O Q', path: act('start') },
  // Its workflow runs: 202 with redrivenNow false, nothing changed.
  'POST /activities/{activityId}/redrive': {
    allow: 'O Q',
    path: act('start'),
    body: () => ({ reason: '矩阵重试' }),
  },
  'GET /activities/{activityId}/check-in/qr': { allow: 'O Q', path: act('attendance') },
  'POST /activities/{activityId}/check-ins': {
    allow: 'D',
    path: act('attendance'),
    body: () => ({}),
  },
  'POST /activities/{activityId}/check-ins/make-up': {
    allow: 'O Q',
    path: act('attendance'),
    body: () => ({ deputyId: INVITED, reason: '补签' }),
  },
  'PATCH /activities/{activityId}': {
    allow: 'O Q',
    path: act('start'),
    body: () => ({ location: `矩阵地点 ${MARK}` }),
  },
  'PATCH /activities/{activityId}/counts': {
    allow: 'O Q',
    path: act('attendance'),
    body: () => ({ consultationsAnswered: 3, residentsReceived: 2 }),
  },
  'GET /activities/{activityId}/findings': { allow: 'O Q D A', path: act('findings') },
  // A finding without a resident: the allowed call is past the access check (409).
  'POST /activities/{activityId}/findings/{findingId}/resident/erasure': {
    allow: 'O Q',
    path: () => ({ activityId: fixture.review, findingId: ids.findingId! }),
    body: () => ({ reason: '矩阵删除' }),
  },
  // Any organiser may ask; each finds only what their scope holds (nothing of another street).
  'POST /residents/findings/search': {
    allow: 'O X Q',
    path: () => ({}),
    body: () => ({ name: `居民${MARK}`, reason: '矩阵查询' }),
  },
  'POST /residents/findings/export': {
    allow: 'O X Q',
    path: () => ({}),
    body: () => ({ name: `居民${MARK}`, reason: '矩阵导出' }),
  },
  'POST /activities/{activityId}/findings': {
    allow: 'O Q D',
    path: act('findings'),
    body: () => ({
      kind: 'PROBLEM',
      category: 'DRAINAGE',
      description: '积水',
      place: '文冲村',
      needsReferral: true,
    }),
  },
  'POST /activities/{activityId}/findings/close': { allow: 'O Q', path: act('findings') },
  'POST /activities/{activityId}/invitation/response': {
    allow: 'D',
    path: act('start'),
    body: () => ({ response: 'ACCEPTED' }),
  },
  'GET /activities/{activityId}/review': { allow: 'O Q A', path: act('review') },
  'POST /activities/{activityId}/review/approve': { allow: 'O Q', path: act('review') },
  'POST /activities/{activityId}/review/decisions': {
    allow: 'O Q',
    path: act('review'),
    body: () => ({
      decisions: [{ findingId: ids.findingId, decision: 'NO_ACTION', reason: '无需处理' }],
    }),
  },
  'POST /activities/{activityId}/review/referrals/{referralId}': {
    allow: 'O Q',
    path: () => ({ activityId: fixture.review, referralId: ids.reviewReferralId! }),
    body: () => ({ committeeId: DEMO_COMMITTEE_IDS.socialDevelopment, dueDate: inDays(20) }),
  },
  'GET /audit/activities': { allow: 'O Q X A', path: () => ({}) },
  'GET /audit/activities/{activityId}/trail': { allow: 'O Q A', path: act('cancel') },
  'GET /audit/activities/{activityId}/verify': { allow: 'O Q A', path: act('cancel') },
  // Only a completed activity has a report (others: 404 whoever asks).
  'GET /audit/activities/{activityId}/report': { allow: 'O Q A', path: act('completed') },
  'GET /audit/deputies/{deputyId}/duty-record': {
    allow: 'O Q X D A',
    path: () => ({ deputyId: INVITED }),
    query: () => `?year=${YEAR}`,
  },
  'GET /audit/deputies/{deputyId}/duty-report': {
    allow: 'O Q X D A',
    path: () => ({ deputyId: INVITED }),
    query: () => `?year=${YEAR}`,
  },
  'GET /audit/referrals/{referralId}/trail': { allow: 'O Q A', path: ref('referralId') },
  'GET /audit/referrals/{referralId}/verify': { allow: 'O Q A', path: ref('referralId') },
  'POST /campaigns': {
    allow: 'Q',
    path: () => ({}),
    body: () => ({ title: `矩阵主题活动 ${MARK}`, from: `${YEAR}-01-01`, to: `${YEAR}-12-31` }),
  },
  'GET /campaigns': { allow: 'O Q X A', path: () => ({}) },
  // A campaign spans the streets: auditors and district organisers only.
  'GET /audit/campaigns/{campaignId}/statistics': {
    allow: 'Q A',
    path: () => ({ campaignId: ids.campaignId! }),
  },
  'GET /audit/statistics': {
    allow: 'O Q X A',
    path: () => ({}),
    query: () => `?from=${YEAR}-01-01&to=${YEAR}-12-31`,
  },
  'GET /check-in/{code}': { allow: 'public', path: () => ({ code: 'not-a-code' }) },
  'POST /check-in/{code}': {
    allow: 'public',
    path: () => ({ code: 'not-a-code' }),
    contentType: 'application/x-www-form-urlencoded',
    body: () => '',
  },
  'GET /deputy/{token}': { allow: 'public', path: () => ({ token: 'not-a-link' }) },
  'POST /deputy/{token}': {
    allow: 'public',
    path: () => ({ token: 'not-a-link' }),
    contentType: 'application/x-www-form-urlencoded',
    body: () => 'action=ANSWER&response=ACCEPTED',
  },
  'GET /my-activities': { allow: 'public', path: () => ({}) },
  'POST /my-activities': {
    allow: 'public',
    path: () => ({}),
    contentType: 'application/x-www-form-urlencoded',
    body: () => 'email=matrix-nobody%40example.org',
  },
  'GET /my-activities/{token}': { allow: 'public', path: () => ({ token: 'not-a-link' }) },
  // Every deputy reads their own lists: another deputy's are never addressable.
  'GET /me/activities': { allow: 'D E', path: () => ({}) },
  ...referenceRoutes('committees', 'committeeId', {
    create: () => ({ name: `矩阵工委 ${RUN}-${Math.random()}`, emails: [`m-${RUN}@example.org`] }),
    change: () => ({ name: `矩阵工委改 ${RUN}` }),
  }),
  ...referenceRoutes('departments', 'departmentId', {
    create: () => ({
      name: `矩阵部门 ${RUN}-${Math.random()}`,
      emails: [`d-${RUN}@example.org`],
      categories: ['HEALTH'],
    }),
    change: () => ({ name: `矩阵部门改 ${RUN}` }),
  }),
  ...referenceRoutes('deputies', 'deputyId', {
    create: () => ({
      name: '矩阵代表',
      email: `matrix-${RUN}-${Math.random().toString(36).slice(2)}@example.org`,
      seats: [{ level: 'DISTRICT', body: '广州市黄埔区人民代表大会' }],
    }),
    change: () => ({ liaisonStation: '矩阵联络站' }),
  }),
  'POST /deputies/import': {
    allow: 'Q',
    path: () => ({}),
    contentType: 'text/csv',
    body: () =>
      `name,email,level1,body1\n矩阵导入,import-${RUN}-${Math.random().toString(36).slice(2)}@example.org,区,广州市黄埔区人民代表大会\n`,
  },
  'GET /rate/{token}': { allow: 'public', path: () => ({ token: 'not-a-link' }) },
  'POST /rate/{token}': {
    allow: 'public',
    path: () => ({ token: 'not-a-link' }),
    contentType: 'application/x-www-form-urlencoded',
    body: () => 'rating=SATISFIED',
  },
  // The 督办 list: every organiser lists (a street organiser only its street's), auditors read.
  'GET /referrals': {
    allow: 'O X Q A',
    path: () => ({}),
    query: () => `?activityId=${ids.referralActivityId}`,
  },
  'GET /referrals/{referralId}': { allow: 'O Q A', path: ref('referralId') },
  'POST /referrals/{referralId}/close': {
    allow: 'O Q',
    path: ref('referralId'),
    body: () => ({ reason: '矩阵关闭' }),
  },
  'POST /referrals/{referralId}/redrive': {
    allow: 'O Q',
    path: ref('referralId'),
    body: () => ({ reason: '矩阵重试' }),
  },
  'POST /referrals/{referralId}/extension': {
    allow: 'O Q',
    path: ref('referralId'),
    body: () => ({ decision: 'REFUSE', reason: '矩阵' }),
  },
  'POST /referrals/{referralId}/reroute': {
    allow: 'O Q',
    path: ref('referralId'),
    body: () => ({ departmentId: ids.departmentId, reason: '矩阵改派' }),
  },
  'GET /respond/{token}': { allow: 'public', path: () => ({ token: 'not-a-link' }) },
  'POST /respond/{token}': {
    allow: 'public',
    path: () => ({ token: 'not-a-link' }),
    contentType: 'application/x-www-form-urlencoded',
    body: () => 'action=ACKNOWLEDGE',
  },
  ...referenceRoutes('routing-rules', 'ruleId', {
    create: () => ({ ...routingKeysOf('authorization-matrix'), departmentId: ids.departmentId }),
    change: () => ({ departmentId: ids.departmentId }),
  }),
  // The jurisdiction (issue 17): every signed-in user reads it; district organisers write it
  // (here: the demo's own, unchanged, so nothing moves); a street's organisers and the
  // district's write that street's liaison stations.
  'GET /jurisdiction': { allow: 'O X Q D E A', path: () => ({}) },
  'PUT /jurisdiction': {
    allow: 'Q',
    path: () => ({}),
    body: () => DEMO_JURISDICTION,
  },
  'PUT /jurisdiction/streets/{street}/liaison-stations/{stationId}': {
    allow: 'O Q',
    path: () => ({ street: 'WENCHONG', stationId: `matrix-${RUN}` }),
    body: () => ({ name: { zh: `矩阵联络站 ${MARK}`, en: `Matrix station ${MARK}` } }),
  },
};

const allowedCallers = (c: Case): Set<Caller> =>
  c.allow === 'public'
    ? new Set(CALLER_NAMES)
    : new Set(
        c.allow
          .split(' ')
          .filter(Boolean)
          .map((l) => LETTER[l]!),
      );

async function call(route: string, c: Case, caller: Caller) {
  const [method, template] = route.split(' ') as [string, string];
  const path = `${fillPath(template, c.path())}${c.query?.() ?? ''}`;
  const body = c.body?.();
  // The stage throttle (50 rps, burst 100) answers 429 before any route: wait and retry, as a
  // client would; it says nothing about access.
  return retry429(() =>
    CALLERS[caller].request(method, path, {
      ...(body === undefined ? {} : { body }),
      ...(c.contentType ? { headers: { 'content-type': c.contentType } } : {}),
    }),
  );
}

/** Retries the stage throttle's 429 (it answers before any route). */
async function retry429<T extends { status: number }>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const res = await send();
    if (res.status !== 429 || attempt >= 20) return res;
    await new Promise((r) => setTimeout(r, 250));
  }
}

const fixtureState = async () => {
  const pks = [
    ...Object.values(fixture).map((id) => keys.activity(id).pk),
    keys.referral(ids.referralId!).pk,
    keys.department(ids.departmentId!).pk,
    keys.committee(ids.committeeId!).pk,
    keys.deputy(ids.deputyId!).pk,
  ];
  return Promise.all(pks.map((pk) => partitionItems([pk])));
};

const figures = { cells: 0, allowed: 0, denied: 0, publicCells: 0, leaks: 0, objectChecks: 0 };

beforeAll(async () => {
  const own = CALLERS.orgOwn;
  const details = (label: string, street = 'WENCHONG') => ({
    title: `矩阵 ${label} ${MARK}`,
    street,
    type: 'COMMUNITY_VISIT',
    communities: [`社区 ${MARK}`],
    invitedDeputyIds: [INVITED, DEMO_DEPUTY_IDS.national],
  });
  const atStep = (step: HumanStep, whileOpen?: (id: string) => Promise<unknown>) =>
    activityAtStep(own, step, details(step), whileOpen);
  const [start, attendance, findings, review, cancel, completed, other] = await Promise.all([
    atStep('START'),
    atStep('ATTENDANCE'),
    atStep('FINDINGS'),
    atStep('REVIEW', async (id) => {
      ids.findingId = await recordFinding(CALLERS.depSelf, id, { description: `积水 ${MARK}` });
    }),
    (async () => {
      const id = await activityAtStep(own, 'START', details('CANCELLED'));
      const res = await own.post(`/activities/${id}/cancel`, { reason: `已取消 ${MARK}` });
      expect(res.status, res.text).toBeLessThan(300);
      return id;
    })(),
    // Nothing found, nothing to refer: the review approves an empty plan and it completes.
    completedActivity(own, DEMO_COMMITTEE_IDS.urbanConstruction, details('COMPLETED')).then(
      ({ id }) => id,
    ),
    activityAtStep(CALLERS.orgOther, 'START', details('HUANGPU', 'HUANGPU')),
  ]);
  Object.assign(fixture, { start, attendance, findings, review, cancel, completed, other });
  const reviewJson = await own.get<ReviewJson>(`/activities/${review}/review`);
  expect(reviewJson.status, reviewJson.text).toBe(200);
  ids.reviewReferralId = reviewJson.json.referrals[0]!.id;
  const seeded = await seedReferral({ referral: { status: 'SENT', round: 1 }, text: MARK });
  ids.referralId = seeded.referralId;
  ids.referralActivityId = seeded.activityId;
  otherReferral.id = (
    await seedReferral({ referral: { status: 'SENT', round: 1 }, street: 'HUANGPU' })
  ).referralId;

  const idOf = (json: unknown): string =>
    Object.values(json as Record<string, { id?: string }>).find((v) => v?.id)!.id!;
  // Reference data is the district's: its organisers write it (street organisers are 403).
  const district = CALLERS.orgDistrict;
  const campaign = await district.post<{ campaign: { id: string } }>('/campaigns', {
    title: `矩阵主题活动 ${MARK}`,
    from: `${YEAR}-01-01`,
    to: `${YEAR}-12-31`,
  });
  expect(campaign.status, campaign.text).toBe(201);
  ids.campaignId = campaign.json.campaign.id;
  const dept = await district.post('/departments', {
    name: `矩阵部门 ${MARK}`,
    emails: [`md-${RUN}@example.org`],
    categories: ['HEALTH'],
  });
  expect(dept.status, dept.text).toBe(201);
  ids.departmentId = idOf(dept.json);
  const cmte = await district.post('/committees', {
    name: `矩阵工委 ${MARK}`,
    emails: [`mc-${RUN}@example.org`],
  });
  expect(cmte.status, cmte.text).toBe(201);
  ids.committeeId = idOf(cmte.json);
  const dep = await district.post('/deputies', {
    name: '矩阵代表甲',
    email: `md-${RUN}@example.org`,
    seats: [{ level: 'DISTRICT', body: '广州市黄埔区人民代表大会' }],
  });
  expect(dep.status, dep.text).toBe(201);
  ids.deputyId = idOf(dep.json);
  const rule = await district.post('/routing-rules', {
    category: 'HEALTH',
    street: 'CHANGLING',
    departmentId: ids.departmentId,
  });
  expect(rule.status, rule.text).toBe(201);
  ids.ruleId = 'HEALTH:CHANGLING';
}, 300_000);

describe('authorization matrix', () => {
  it('has an expectation for every route of the API, and no other', () => {
    const routes = routeInventory().map((r) => r.key);
    expect(Object.keys(EXPECTED).sort()).toEqual([...routes].sort());
    for (const route of routeInventory()) {
      if (route.authorization === 'NONE')
        expect(EXPECTED[route.key]!.allow, route.key).toBe('public');
      else expect(EXPECTED[route.key]!.allow, route.key).not.toBe('public');
    }
  });

  it('denies every cell it should: 401/403/404 with a message, nothing leaked, nothing changed', async () => {
    const before = await fixtureState();
    const wrong: string[] = [];
    for (const [route, c] of Object.entries(EXPECTED)) {
      if (c.allow === 'public') continue;
      const allowed = allowedCallers(c);
      for (const caller of CALLER_NAMES.filter((n) => !allowed.has(n))) {
        const res = await call(route, c, caller);
        figures.cells++;
        figures.denied++;
        const message = (res.json as { message?: string } | undefined)?.message ?? '';
        if (![401, 403, 404].includes(res.status) || !message) {
          wrong.push(`${route} ${caller}: ${res.status} ${res.text.slice(0, 160)}`);
        }
        if (res.text.includes(MARK)) {
          figures.leaks++;
          wrong.push(`${route} ${caller}: leaks the other scope: ${res.text.slice(0, 160)}`);
        }
        const expected = caller === 'noToken' ? 401 : undefined;
        if (expected && res.status !== expected)
          wrong.push(`${route} ${caller}: ${res.status} not 401`);
      }
    }
    expect(wrong).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(await fixtureState()).toEqual(before);
  }, 300_000);

  it('allows every cell it should; another street sees none of this one’s data where it may list', async () => {
    const wrong: string[] = [];
    const ordered = Object.entries(EXPECTED).sort(
      ([a], [b]) => Number(a.endsWith('/cancel')) - Number(b.endsWith('/cancel')),
    );
    for (const [route, c] of ordered) {
      for (const caller of allowedCallers(c)) {
        const res = await call(route, c, caller);
        figures.cells++;
        if (c.allow === 'public') figures.publicCells++;
        else figures.allowed++;
        const deniedStatus = c.allow === 'public' ? [401] : [401, 403, 404];
        if (deniedStatus.includes(res.status) || res.status >= 500) {
          wrong.push(`${route} ${caller}: ${res.status} ${res.text.slice(0, 200)}`);
        }
        // Reference data is the district's, shared by every street: only activities, their
        // audit and referrals are scoped.
        const scoped = /^[A-Z]+ \/(activities|audit|referrals)\b/.test(route);
        if (caller === 'orgOther' && scoped && res.text.includes(MARK)) {
          figures.leaks++;
          wrong.push(`${route} orgOther sees the other street: ${res.text.slice(0, 200)}`);
        }
      }
      if (c.allow === 'public') {
        // The token makes no difference on a public page.
        const statuses = new Set<number>();
        for (const caller of CALLER_NAMES) statuses.add((await call(route, c, caller)).status);
        if (statuses.size !== 1)
          wrong.push(`${route}: answers differ by caller ${[...statuses].join(',')}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);

  it('object level: another street’s ids, a referral of another activity, a cursor of another scope', async () => {
    const own = CALLERS.orgOwn;
    const otherStreet = CALLERS.orgOther;
    const checks: [string, () => Promise<{ status: number; text: string }>, number[]][] = [
      // The own-street organiser on the other street's activity and referral.
      ['activity of another street', () => own.get(`/activities/${fixture.other}`), [404]],
      [
        'findings of another street',
        () => own.get(`/activities/${fixture.other}/findings`),
        [403, 404],
      ],
      [
        'check-in open on another street',
        () => own.post(`/activities/${fixture.other}/check-in/open`),
        [403, 404],
      ],
      [
        'cancel on another street',
        () => own.post(`/activities/${fixture.other}/cancel`, { reason: 'x' }),
        [403, 404],
      ],
      [
        'audit trail of another street',
        () => own.get(`/audit/activities/${fixture.other}/trail`),
        [404],
      ],
      ['referral of another street', () => own.get(`/referrals/${otherReferral.id}`), [403, 404]],
      [
        'referral trail of another street',
        () => own.get(`/audit/referrals/${otherReferral.id}/trail`),
        [404],
      ],
      [
        'close a referral of another street',
        () => own.post(`/referrals/${otherReferral.id}/close`, { reason: 'x' }),
        [403, 404],
      ],
      [
        'a referral id of another activity in the review path',
        () =>
          own.post(`/activities/${fixture.review}/review/referrals/${ids.referralId}`, {
            committeeId: DEMO_COMMITTEE_IDS.socialDevelopment,
            dueDate: inDays(20),
          }),
        // Checked against the review: refused before anything is read or written, nothing echoed.
        [404, 409],
      ],
      [
        'statistics of another street',
        () =>
          otherStreet.get(`/audit/statistics?from=${YEAR}-01-01&to=${YEAR}-12-31&street=WENCHONG`),
        [403],
      ],
      [
        'ended activities of another street',
        () => otherStreet.get('/audit/activities?street=WENCHONG'),
        [403],
      ],
      [
        'a liaison station of another street',
        () =>
          own.request('PUT', `/jurisdiction/streets/HUANGPU/liaison-stations/matrix-other-${RUN}`, {
            body: { name: { zh: `矩阵 ${MARK}`, en: `Matrix ${MARK}` } },
          }),
        [403],
      ],
      [
        'another deputy’s duty record',
        () => CALLERS.depOther.get(`/audit/deputies/${INVITED}/duty-record?year=${YEAR}`),
        [403, 404],
      ],
      [
        'another deputy answering an invitation',
        () =>
          CALLERS.depOther.post(`/activities/${fixture.start}/invitation/response`, {
            response: 'DECLINED',
          }),
        [403, 404],
      ],
    ];
    // A cursor of the own street's trail, replayed by an auditor (another scope) and by the
    // other street's organiser on its own activity's trail.
    const page = await retry429(() =>
      own.get<{ cursor?: string; nextCursor?: string }>(
        `/audit/activities/${fixture.cancel}/trail?limit=1`,
      ),
    );
    expect(page.status, page.text).toBe(200);
    const cursor = page.json.nextCursor ?? page.json.cursor;
    expect(cursor, page.text).toBeTruthy();
    checks.push(
      [
        'own-street cursor replayed by another street',
        () => otherStreet.get(`/audit/activities/${fixture.other}/trail?limit=1&cursor=${cursor}`),
        [400, 404],
      ],
      [
        'own-street cursor on another activity',
        () => own.get(`/audit/activities/${fixture.review}/trail?limit=1&cursor=${cursor}`),
        [400],
      ],
    );
    // An idempotent replay of POST /activities by the same user, now scoped to another street:
    // the scope is checked before the stored answer is replayed (issue 12).
    const key = `matrix-replay-${RUN}`;
    const activityBody = EXPECTED['POST /activities']!.body!();
    const first = await retry429(() =>
      own.request<{ activity: { id: string } }>('POST', '/activities', {
        body: activityBody,
        headers: { 'idempotency-key': key },
      }),
    );
    expect(first.status, first.text).toBe(201);
    const sameUserOtherStreet = api({
      role: 'organiser',
      sub: `org-own-${RUN}`,
      street: 'HUANGPU',
    });
    const replay = await retry429(() =>
      sameUserOtherStreet.request('POST', '/activities', {
        body: activityBody,
        headers: { 'idempotency-key': key },
      }),
    );
    figures.objectChecks++;
    expect(replay.status, replay.text).toBe(403);
    expect(replay.text).not.toContain(first.json.activity.id);

    // The 督办 list: the own street's referral is in its organiser's list and in nobody's of
    // another street, even when asked for by its activity; another street is 403, and a
    // cursor of the district's list is no cursor of a street organiser's.
    const listed = async (client: ApiClient, query: string) => {
      const res = await retry429(() =>
        client.get<{ items: { id: string }[]; nextCursor?: string }>(`/referrals${query}`),
      );
      expect(res.status, res.text).toBe(200);
      return res.json;
    };
    const byActivity = `?activityId=${ids.referralActivityId}`;
    expect((await listed(own, byActivity)).items.map((r) => r.id)).toEqual([ids.referralId]);
    expect((await listed(CALLERS.auditor, byActivity)).items.map((r) => r.id)).toEqual([
      ids.referralId,
    ]);
    expect((await listed(otherStreet, byActivity)).items).toEqual([]);
    expect((await listed(otherStreet, '?limit=100')).items.map((r) => r.id)).not.toContain(
      ids.referralId,
    );
    figures.objectChecks += 4;
    const districtReferrals = await listed(CALLERS.orgDistrict, '?limit=1');
    checks.push(['referrals of another street', () => own.get('/referrals?street=HUANGPU'), [403]]);
    if (districtReferrals.nextCursor) {
      const referralCursor = encodeURIComponent(districtReferrals.nextCursor);
      checks.push([
        'a district referral cursor replayed by another street',
        () => otherStreet.get(`/referrals?limit=1&cursor=${referralCursor}`),
        [400],
      ]);
    }

    // A reference list's cursor is bound to the reader's scope and to the list.
    const deputies = await retry429(() =>
      CALLERS.orgDistrict.get<{ nextCursor?: string }>('/deputies?limit=2'),
    );
    expect(deputies.status, deputies.text).toBe(200);
    const listCursor = encodeURIComponent(deputies.json.nextCursor!);
    checks.push(
      [
        'a district list cursor replayed by another street',
        () => otherStreet.get(`/deputies?limit=2&cursor=${listCursor}`),
        [400],
      ],
      [
        'a deputies cursor on the departments list',
        () => CALLERS.orgDistrict.get(`/departments?limit=2&cursor=${listCursor}`),
        [400],
      ],
    );

    // A deputy's email: to the own street's organiser and the district's, not to another street.
    const email = async (client: ApiClient) =>
      (await retry429(() => client.get<{ deputy: { email?: string } }>(`/deputies/${INVITED}`)))
        .json.deputy.email;
    expect(await email(own)).toMatch(/@/);
    expect(await email(CALLERS.orgDistrict)).toMatch(/@/);
    expect(await email(CALLERS.auditor)).toMatch(/@/);
    expect(await email(otherStreet)).toBeUndefined();
    figures.objectChecks += 4;

    const wrong: string[] = [];
    for (const [name, send, statuses] of checks) {
      const res = await retry429(send);
      figures.objectChecks++;
      if (!statuses.includes(res.status))
        wrong.push(`${name}: ${res.status} ${res.text.slice(0, 160)}`);
      if (name.includes('another street') && res.text.includes(MARK)) wrong.push(`${name}: leaks`);
    }
    console.log(
      `[security matrix] routes ${Object.keys(EXPECTED).length} × callers ${CALLER_NAMES.length}: cells ${figures.cells} (denied ${figures.denied}, allowed ${figures.allowed}, public ${figures.publicCells}), wrong ${wrong.length}, leaks ${figures.leaks}, object-level checks ${figures.objectChecks}`,
    );
    expect(wrong).toEqual([]);
  }, 120_000);
});
