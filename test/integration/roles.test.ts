// Integration: role checks on the local HTTP API (JWT authorizer) over the local cloud. Every
// write route of the activity and reference-data APIs refuses a deputy (where deputies may not
// act) and an auditor with 403 and changes nothing (the items, the audit chains, the execution
// history, the mail are compared before and after); without a token every route is 401; an
// auditor can read activities, findings, the review and the reference lists.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { keys } from '../../functions/shared/data/keys';
import { DEMO_COMMITTEE_IDS, DEMO_DEPARTMENT_IDS, DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import { templatePath } from '../../infra/local/template';
import { api, type ApiClient, deputyApi } from './support/api';
import { routingKeysOf } from './support/reference';
import { executionsOf, partitionItems, scanItems, sentMail } from './support/aws';
import {
  activityAtStep,
  activityExecutionArn,
  executionHistory,
  type HumanStep,
  inDays,
  rawItem,
  readActivity,
  recordFinding,
  type ReviewJson,
} from './support/activity';

const RUN = Date.now().toString(36);
const organiser = api({ role: 'organiser', sub: 'org-roles' });
const INVITED = DEMO_DEPUTY_IDS.wenchong;
/** The deputy is invited to every activity here: refused for the role, not for being a stranger. */
const deputy = deputyApi(INVITED);
const auditor = api({ role: 'auditor', sub: 'aud-roles' });
const anonymous = api(null);

/** Routes deputies may call (their own invitation, check-in, findings): auditors only are refused. */
const DEPUTY_ROUTES = new Set([
  'POST /activities/{activityId}/invitation/response',
  'POST /activities/{activityId}/check-ins',
  'POST /activities/{activityId}/findings',
]);

/** Activities parked on each human step: each write route is tried where it would apply. */
const activity = { start: '', attendance: '', findings: '', review: '' };
let referralId = '';
let findingId = '';

/** Every item of the activity's partition (activity, invitations, findings, audit) and its referrals. */
async function activitySnapshot(id: string): Promise<unknown> {
  const items = await partitionItems([keys.activity(id).pk]);
  const referralIds = items.flatMap((item) =>
    typeof item.referralId === 'string' ? [item.referralId] : [],
  );
  const referrals = await Promise.all(
    [...new Set(referralIds)].sort().map((r) => rawItem(keys.referral(r))),
  );
  const history = await executionHistory(activityExecutionArn(id));
  return { items, referrals, historyLength: history.length };
}

const activityExecutions = async () => (await executionsOf('ActivityWorkflow')).length;

/** Items whose `name` is this (a department or committee created by a refused request). */
const itemsNamed = (name: string) => scanItems((item) => item.name === name);

interface WriteCase {
  /** The route key as in the template, e.g. `POST /activities/{activityId}/cancel`. */
  route: string;
  send: (client: ApiClient) => Promise<{ status: number; text: string }>;
  /** What the route would change: read before and after the refused attempts. */
  state: () => Promise<unknown>;
}

const post = (path: () => string, body?: unknown) => (client: ApiClient) =>
  client.post(path(), body);
const patch = (path: () => string, body: unknown) => (client: ApiClient) =>
  client.request('PATCH', path(), { body });

/**
 * The write routes of a reference entity: create (what a new item would be, read by `state`),
 * change and deactivate (of an existing item, as stored).
 */
const referenceWrites = (
  collection: string,
  idName: string,
  cases: {
    create: { body: unknown; state: () => Promise<unknown> };
    existing: { id: string; state: () => Promise<unknown> };
    change: unknown;
  },
): WriteCase[] => [
  {
    route: `POST /${collection}`,
    send: post(() => `/${collection}`, cases.create.body),
    state: cases.create.state,
  },
  {
    route: `PATCH /${collection}/{${idName}}`,
    send: patch(() => `/${collection}/${cases.existing.id}`, cases.change),
    state: cases.existing.state,
  },
  {
    route: `POST /${collection}/{${idName}}/deactivate`,
    send: post(() => `/${collection}/${cases.existing.id}/deactivate`),
    state: cases.existing.state,
  },
];

/** Departments and committees: a new one is found by its name, a change renames. */
const namedWrites = (
  collection: string,
  idName: string,
  existing: [id: string, key: (id: string) => { pk: string; sk: string }],
  create: { name: string } & Record<string, unknown>,
): WriteCase[] =>
  referenceWrites(collection, idName, {
    create: { body: create, state: () => itemsNamed(create.name) },
    existing: { id: existing[0], state: () => rawItem(existing[1](existing[0])) },
    change: { name: '无权改名' },
  });

const newEmail = `roles-${RUN}@example.org`;
const newDepartment = `角色测试部门-${RUN}`;
const newCommittee = `角色测试工委-${RUN}`;
const csv = `name,email,level1,body1\n角色测试,roster-roles-${RUN}@example.org,区,广州市黄埔区人民代表大会\n`;

const WRITE_CASES: WriteCase[] = [
  {
    route: 'POST /activities',
    send: (client) =>
      client.post('/activities', {
        title: `无权创建 ${RUN}`,
        type: 'SYMPOSIUM',
        street: 'WENCHONG',
        location: '文冲街道',
        startsAt: new Date(Date.now() + 3_600_000).toISOString(),
        endsAt: new Date(Date.now() + 7_200_000).toISOString(),
        invitedDeputyIds: [INVITED],
      }),
    state: async () => ({
      executions: await activityExecutions(),
      mail: (await sentMail()).length,
    }),
  },
  {
    route: 'POST /activities/{activityId}/check-in/open',
    send: post(() => `/activities/${activity.start}/check-in/open`),
    state: () => activitySnapshot(activity.start),
  },
  {
    route: 'POST /activities/{activityId}/invitation/response',
    send: post(() => `/activities/${activity.start}/invitation/response`, { response: 'DECLINED' }),
    state: () => activitySnapshot(activity.start),
  },
  {
    route: 'POST /activities/{activityId}/check-ins',
    send: post(() => `/activities/${activity.attendance}/check-ins`, {}),
    state: () => activitySnapshot(activity.attendance),
  },
  {
    route: 'POST /activities/{activityId}/check-ins/make-up',
    send: post(() => `/activities/${activity.attendance}/check-ins/make-up`, {
      deputyId: INVITED,
      reason: '补签',
    }),
    state: () => activitySnapshot(activity.attendance),
  },
  {
    route: 'PATCH /activities/{activityId}',
    send: patch(() => `/activities/${activity.start}`, { location: '无权修改的地点' }),
    state: () => activitySnapshot(activity.start),
  },
  {
    route: 'PATCH /activities/{activityId}/counts',
    send: patch(() => `/activities/${activity.attendance}/counts`, {
      consultationsAnswered: 147,
      residentsReceived: 21,
    }),
    state: () => activitySnapshot(activity.attendance),
  },
  {
    route: 'POST /activities/{activityId}/attendance/close',
    send: post(() => `/activities/${activity.attendance}/attendance/close`),
    state: () => activitySnapshot(activity.attendance),
  },
  {
    route: 'POST /activities/{activityId}/findings',
    send: post(() => `/activities/${activity.findings}/findings`, {
      kind: 'PROBLEM',
      category: 'DRAINAGE',
      description: '积水',
      place: '文冲村',
      needsReferral: true,
    }),
    state: () => activitySnapshot(activity.findings),
  },
  {
    // A resident's early erasure (docs/privacy.md): organisers only.
    route: 'POST /activities/{activityId}/findings/{findingId}/resident/erasure',
    send: post(
      () => `/activities/${activity.review}/findings/01J0000000000000000000000F/resident/erasure`,
      {
        reason: '无权删除',
      },
    ),
    state: () => activitySnapshot(activity.review),
  },
  {
    route: 'POST /activities/{activityId}/findings/close',
    send: post(() => `/activities/${activity.findings}/findings/close`),
    state: () => activitySnapshot(activity.findings),
  },
  {
    route: 'POST /activities/{activityId}/review/decisions',
    send: post(() => `/activities/${activity.review}/review/decisions`, {
      decisions: [{ findingId, decision: 'NO_ACTION', reason: '无需处理' }],
    }),
    state: () => activitySnapshot(activity.review),
  },
  {
    route: 'POST /activities/{activityId}/review/referrals/{referralId}',
    send: post(() => `/activities/${activity.review}/review/referrals/${referralId}`, {
      committeeId: DEMO_COMMITTEE_IDS.socialDevelopment,
      dueDate: inDays(10),
    }),
    state: () => activitySnapshot(activity.review),
  },
  {
    route: 'POST /activities/{activityId}/review/approve',
    send: post(() => `/activities/${activity.review}/review/approve`),
    state: () => activitySnapshot(activity.review),
  },
  {
    route: 'POST /activities/{activityId}/cancel',
    send: post(() => `/activities/${activity.review}/cancel`, { reason: '无权取消' }),
    state: async () => ({
      activity: await activitySnapshot(activity.review),
      mail: (await sentMail()).length,
    }),
  },
  {
    route: 'POST /activities/{activityId}/redrive',
    send: post(() => `/activities/${activity.review}/redrive`, { reason: '无权重试' }),
    state: async () => ({
      activity: await activitySnapshot(activity.review),
      executions: await activityExecutions(),
    }),
  },
  // Reference data.
  ...referenceWrites('deputies', 'deputyId', {
    create: {
      body: {
        name: '无权新增',
        email: newEmail,
        seats: [{ level: 'DISTRICT', body: '广州市黄埔区人民代表大会' }],
      },
      state: () => rawItem(keys.deputyEmail(newEmail)),
    },
    existing: { id: 'dep-0200', state: () => rawItem(keys.deputy('dep-0200')) },
    change: { liaisonStation: '无权修改联络站' },
  }),
  {
    route: 'POST /deputies/import',
    send: (client) => client.post('/deputies/import', csv, { 'content-type': 'text/csv' }),
    state: () => rawItem(keys.deputyEmail(`roster-roles-${RUN}@example.org`)),
  },
  ...namedWrites('departments', 'departmentId', [DEMO_DEPARTMENT_IDS.water, keys.department], {
    name: newDepartment,
    emails: [`dept-${RUN}@example.org`],
    categories: ['HEALTH'],
  }),
  ...namedWrites('committees', 'committeeId', [DEMO_COMMITTEE_IDS.financeEconomy, keys.committee], {
    name: newCommittee,
    emails: [`c-${RUN}@example.org`],
  }),
  ...referenceWrites('routing-rules', 'ruleId', {
    create: {
      body: { ...routingKeysOf('roles'), departmentId: DEMO_DEPARTMENT_IDS.water },
      state: () =>
        rawItem(keys.routingRule(routingKeysOf('roles').category, routingKeysOf('roles').street)),
    },
    existing: { id: 'EDUCATION:*', state: () => rawItem(keys.routingRule('EDUCATION', '*')) },
    change: { departmentId: DEMO_DEPARTMENT_IDS.water },
  }),
];

beforeAll(async () => {
  const atStep = (step: HumanStep, whileOpen?: (id: string) => Promise<unknown>) =>
    activityAtStep(
      organiser,
      step,
      {
        title: `角色检查 ${step} ${RUN}`,
        type: 'COMMUNITY_VISIT',
        communities: ['文冲社区'],
        invitedDeputyIds: [INVITED, DEMO_DEPUTY_IDS.national],
      },
      whileOpen,
    );
  [activity.start, activity.attendance, activity.findings, activity.review] = await Promise.all([
    atStep('START'),
    atStep('ATTENDANCE'),
    atStep('FINDINGS'),
    atStep('REVIEW', async (id) => {
      findingId = await recordFinding(deputyApi(INVITED), id);
    }),
  ]);
  const review = await organiser.get<ReviewJson>(`/activities/${activity.review}/review`);
  expect(review.status, review.text).toBe(200);
  referralId = review.json.referrals[0]!.id;
});

describe('role checks on every write route', () => {
  it('covers every write route of the activity and reference-data APIs in the template', () => {
    const template = JSON.parse(readFileSync(templatePath('cdk.out'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: { RouteKey?: string } }>;
    };
    const areas = /^[A-Z]+ \/(activities|deputies|departments|committees|routing-rules)(\/|$)/;
    const writeRoutes = Object.values(template.Resources)
      .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
      .map((r) => r.Properties.RouteKey ?? '')
      .filter((key) => !key.startsWith('GET ') && areas.test(key));
    expect(writeRoutes.length).toBeGreaterThan(20);
    expect(WRITE_CASES.map((c) => c.route).sort()).toEqual([...new Set(writeRoutes)].sort());
  });

  it.each(WRITE_CASES.map((c) => [c.route, c] as const))(
    '%s: deputy and auditor 403, no token 401, nothing changes',
    async (route, { send, state }) => {
      const before = await state();
      const refusedTo = DEPUTY_ROUTES.has(route)
        ? [['auditor', auditor] as const]
        : ([
            ['deputy', deputy],
            ['auditor', auditor],
          ] as const);
      for (const [role, client] of refusedTo) {
        const res = await send(client);
        expect(res.status, `${role}: ${res.text}`).toBe(403);
      }
      expect((await send(anonymous)).status).toBe(401);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await state()).toEqual(before);
    },
  );

  it('leaves every activity where it was', async () => {
    const expected = { start: 'START', attendance: 'ATTENDANCE', findings: 'FINDINGS' } as const;
    for (const [key, phase] of Object.entries(expected)) {
      const id = activity[key as keyof typeof expected];
      expect((await readActivity(organiser, id)).pendingTask?.phase).toBe(phase);
    }
    const review = await readActivity(organiser, activity.review);
    expect(review).toMatchObject({ status: 'IN_REVIEW', pendingTask: { phase: 'REVIEW' } });
    expect(await rawItem(keys.routingRule('EDUCATION', '*'))).toMatchObject({
      departmentId: 'dept-education',
      active: true,
    });
  });
});

describe('auditors read', () => {
  it('activities, findings and the review', async () => {
    const read = await auditor.get<{ activity: { id: string; status: string } }>(
      `/activities/${activity.review}`,
    );
    expect(read.status, read.text).toBe(200);
    expect(read.json.activity).toMatchObject({ id: activity.review, status: 'IN_REVIEW' });
    const findings = await auditor.get<{ findings: { id: string }[] }>(
      `/activities/${activity.review}/findings`,
    );
    expect(findings.status, findings.text).toBe(200);
    expect(findings.json.findings.map((f) => f.id)).toEqual([findingId]);
    const review = await auditor.get<ReviewJson>(`/activities/${activity.review}/review`);
    expect(review.status, review.text).toBe(200);
    expect(review.json.referrals.map((r) => r.id)).toEqual([referralId]);
  });

  it.each(['/deputies', '/departments', '/committees', '/routing-rules'])(
    'the reference list %s',
    async (path) => {
      const res = await auditor.get<{ items: unknown[] }>(`${path}?limit=5`);
      expect(res.status, res.text).toBe(200);
      expect(res.json.items.length).toBeGreaterThan(0);
    },
  );

  it('a single reference item', async () => {
    const res = await auditor.get<{ department: { id: string } }>(
      `/departments/${DEMO_DEPARTMENT_IDS.water}`,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.department.id).toBe(DEMO_DEPARTMENT_IDS.water);
  });
});
