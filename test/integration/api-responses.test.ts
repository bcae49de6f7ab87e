// Integration (local cloud): what the API answers is what docs/openapi.json says (issue 15).
// Drives the routes on the local cloud and validates every answer's body against the schema
// documented for its status code (JSON Schema 2020-12, OpenAPI 3.1's dialect, with ajv): an
// answer whose status or content type is not documented, or whose JSON body does not match,
// fails (the schemas are closed: a field the document does not name fails too). HTML pages,
// CSV and plain text are documented as strings of their content type. Every operation must
// document a success schema and be exercised with a success here: an activity is driven from
// scheduling to its report (deputies' pages, check-in, findings, the chairmen's meeting, the
// department's and the raiser's pages), and referrals are put in the state each organiser
// action needs.
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, describe, expect, it } from 'vitest';
import { getInvitation } from '../../functions/shared/data/invitations';
import { raiserRefOfDeputy } from '../../functions/shared/domain/raisers';
import { createDeputyLink, createLink, tokenOfLink } from '../../functions/shared/data/links';
import { DEMO_COMMITTEE_IDS, DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import {
  eventually,
  inDays,
  inSeconds,
  rawItem,
  referralAtDepartment,
  waitForPhase,
  waitForStatus,
} from './support/activity';
import { api, type ApiClient, deputyApi } from './support/api';
import { routingKeysOf } from './support/reference';
import { ddbDoc } from './support/aws';
import { tableName } from './support/cloud';
import { department, linkSigningKey, linkStore, startReferral } from './support/referral';
import { keys } from '../../functions/shared/data/keys';

const RUN = Date.now().toString(36);
const district = api({ role: 'organiser', sub: `org-oa-${RUN}`, street: 'DISTRICT' });
const wenchong = api({ role: 'organiser', sub: `org-oa-wc-${RUN}`, street: 'WENCHONG' });
const auditor = api({ role: 'auditor', sub: `aud-oa-${RUN}` });

type JsonSchema = Record<string, unknown>;
interface OpenApiResponse {
  description: string;
  content?: Record<string, { schema?: JsonSchema }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, OpenApiResponse> }>>;
  components: { schemas: Record<string, JsonSchema> };
}

const documentUrl = new URL('../../docs/openapi.json', import.meta.url);
const doc = JSON.parse(readFileSync(documentUrl, 'utf8')) as OpenApiDocument;
// Formats are not checked by name: zod writes each format's pattern beside it (date-time's too).
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ components: doc.components }, 'openapi');

/**
 * Operations without a documented success schema: none. A new route must describe its answer
 * (or be listed here with the reason it cannot), or the first test fails.
 */
const UNDESCRIBED = new Set<string>([]);

const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({
    key: `${method.toUpperCase()} ${path}`,
    responses: operation.responses,
  })),
);
const successSchemaOf = (responses: Record<string, OpenApiResponse>) =>
  Object.entries(responses).find(
    ([code, response]) =>
      code.startsWith('2') &&
      Object.values(response.content ?? {}).some((media) => media.schema !== undefined),
  );

/** `text/html; charset=utf-8` → `text/html`. */
const essenceOf = (contentType: string | null) =>
  (contentType ?? '').split(';')[0]!.trim().toLowerCase();

const exercised = new Set<string>();
const wrong: string[] = [];
let validated = 0;

/**
 * Calls `routeKey` (its path filled in) and checks the answer against the document: its
 * status must be documented, its content type one documented for that status, and a JSON
 * body must match that status's schema (a text body, HTML, CSV or plain text, is a string).
 */
async function check<T = unknown>(
  client: ApiClient,
  routeKey: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: T; text: string; headers: Headers }> {
  const [method, template] = routeKey.split(' ') as [string, string];
  const res = await client.request<T>(method, path, options);
  const documented = doc.paths[template]?.[method.toLowerCase()]?.responses;
  if (!documented) throw new Error(`${routeKey} is not in docs/openapi.json`);
  const response = documented[String(res.status)];
  if (!response) {
    wrong.push(`${routeKey} → ${res.status}: status not documented (${res.text.slice(0, 120)})`);
    return res;
  }
  const media = Object.entries(response.content ?? {}).find(
    ([type]) => essenceOf(type) === essenceOf(res.headers.get('content-type')),
  );
  if (!media) {
    wrong.push(
      `${routeKey} → ${res.status}: content type ${res.headers.get('content-type')} not documented (${Object.keys(response.content ?? {}).join(', ') || 'no body'})`,
    );
    return res;
  }
  const [type, { schema }] = media;
  if (!schema) return res;
  validated++;
  if (essenceOf(type) === 'application/json') {
    // `$ref: #/components/...` points into the document, registered as `openapi`.
    const resolved = JSON.parse(
      JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'),
    ) as JsonSchema;
    const validateResolved = ajv.compile(resolved);
    if (!validateResolved(res.json)) {
      wrong.push(
        `${routeKey} → ${res.status}: ${ajv.errorsText(validateResolved.errors)} in ${res.text.slice(0, 200)}`,
      );
      return res;
    }
  } else if (schema.type !== 'string' || res.text.length === 0) {
    wrong.push(`${routeKey} → ${res.status}: an empty ${type} body`);
    return res;
  }
  if (res.status < 300) exercised.add(routeKey);
  return res;
}

const idOf = (json: unknown, name: string) => (json as Record<string, { id: string }>)[name]!.id;

describe('the answers are what docs/openapi.json documents', () => {
  it('documents a success schema for every operation but the listed ones', () => {
    const undescribed = operations
      .filter((operation) => !successSchemaOf(operation.responses))
      .map((operation) => operation.key)
      .sort();
    expect(undescribed).toEqual([...UNDESCRIBED].sort());
  });

  it('answers the reference data, activity and referral lists as documented', async () => {
    // Reference data: create, read, list, change, deactivate each kind.
    const deputy = await check(district, 'POST /deputies', '/deputies', {
      body: {
        name: `文档代表${RUN}`,
        email: `oa-${RUN}@example.org`,
        seats: [{ level: 'DISTRICT', body: '广州市黄埔区人民代表大会' }],
        street: 'WENCHONG',
        group: `文档联组${RUN}`,
      },
    });
    expect(deputy.status, deputy.text).toBe(201);
    const deputyId = idOf(deputy.json, 'deputy');
    await check(auditor, 'GET /deputies/{deputyId}', `/deputies/${deputyId}`);
    await check(wenchong, 'GET /deputies', '/deputies?limit=3&level=DISTRICT');
    await check(district, 'PATCH /deputies/{deputyId}', `/deputies/${deputyId}`, {
      body: { liaisonStation: '文冲街道代表联络站' },
    });
    await check(
      district,
      'POST /deputies/{deputyId}/deactivate',
      `/deputies/${deputyId}/deactivate`,
    );
    await check(district, 'POST /deputies/import', '/deputies/import', {
      body: [
        'name,email,level1,body1,level2,body2,group,street,liaisonStation,active',
        `导入代表${RUN},oa-import-${RUN}@example.org,TOWN,文冲街道,,,,WENCHONG,,true`,
      ].join('\n'),
      headers: { 'content-type': 'text/csv; charset=utf-8' },
    });

    const department = await check(district, 'POST /departments', '/departments', {
      body: {
        name: `文档部门${RUN}`,
        emails: [`oa-d-${RUN}@example.org`],
        categories: ['HEALTH', 'ELDERLY_LIFTS'],
      },
    });
    expect(department.status, department.text).toBe(201);
    const departmentId = idOf(department.json, 'department');
    await check(auditor, 'GET /departments/{departmentId}', `/departments/${departmentId}`);
    await check(auditor, 'GET /departments', '/departments?limit=2');
    await check(district, 'PATCH /departments/{departmentId}', `/departments/${departmentId}`, {
      body: { name: `文档部门${RUN}改` },
    });

    const committee = await check(district, 'POST /committees', '/committees', {
      body: { name: `文档工委${RUN}`, emails: [`oa-c-${RUN}@example.org`] },
    });
    expect(committee.status, committee.text).toBe(201);
    const committeeId = idOf(committee.json, 'committee');
    await check(auditor, 'GET /committees/{committeeId}', `/committees/${committeeId}`);
    await check(auditor, 'GET /committees', '/committees?limit=2');
    await check(district, 'PATCH /committees/{committeeId}', `/committees/${committeeId}`, {
      body: { name: `文档工委${RUN}改` },
    });
    await check(
      district,
      'POST /committees/{committeeId}/deactivate',
      `/committees/${committeeId}/deactivate`,
    );

    const rule = await check(district, 'POST /routing-rules', '/routing-rules', {
      body: { ...routingKeysOf('api-responses'), departmentId },
    });
    expect(rule.status, rule.text).toBe(201);
    const { category, street } = routingKeysOf('api-responses');
    const ruleId = encodeURIComponent(`${category}:${street}`);
    await check(auditor, 'GET /routing-rules/{ruleId}', `/routing-rules/${ruleId}`);
    await check(auditor, 'GET /routing-rules', '/routing-rules?limit=2');
    await check(district, 'PATCH /routing-rules/{ruleId}', `/routing-rules/${ruleId}`, {
      body: { departmentId },
    });
    await check(
      district,
      'POST /routing-rules/{ruleId}/deactivate',
      `/routing-rules/${ruleId}/deactivate`,
    );
    // Deactivated last: an active rule may not route to an inactive department.
    await check(
      district,
      'POST /departments/{departmentId}/deactivate',
      `/departments/${departmentId}/deactivate`,
    );

    // The district's jurisdiction: read, written back as it is, one liaison station of a street.
    const read = await check<{
      jurisdiction: { district: Record<string, unknown>; streets: Record<string, unknown>[] };
    }>(auditor, 'GET /jurisdiction', '/jurisdiction');
    const pick = (from: Record<string, unknown>, names: string[]) =>
      Object.fromEntries(names.map((name) => [name, from[name]]));
    const { district: seat, streets } = read.json.jurisdiction;
    await check(district, 'PUT /jurisdiction', '/jurisdiction', {
      body: {
        district: pick(seat, [
          'code',
          'name',
          'congress',
          'standingCommittee',
          'subjectTag',
          'referencePrefix',
        ]),
        streets: streets.map((street) =>
          pick(street, ['code', 'kind', 'name', 'workingCommittee', 'active']),
        ),
      },
    });
    await check(
      wenchong,
      'PUT /jurisdiction/streets/{street}/liaison-stations/{stationId}',
      '/jurisdiction/streets/WENCHONG/liaison-stations/station-api-responses',
      { body: { name: { zh: '文冲测试联络站', en: 'Wenchong test station' } } },
    );

    // The organisers' lists.
    await check(auditor, 'GET /activities', '/activities?limit=2');
    await check(wenchong, 'GET /referrals', '/referrals?limit=2');
    await check(auditor, 'GET /referrals', `/referrals?committeeId=${committeeId}&overdue=true`);

    // Refusals are documented too, with the error body.
    await check(district, 'GET /referrals', '/referrals?status=SLEEPING');
    await check(wenchong, 'GET /referrals', '/referrals?street=HUANGPU');
    await check(district, 'GET /referrals', '/referrals?cursor=not-a-cursor');
    await check(auditor, 'GET /deputies/{deputyId}', '/deputies/dep-nobody-here');
    await check(district, 'GET /deputies', '/deputies?level=MAYOR');
    expect(wrong).toEqual([]);
  }, 120_000);

  it('answers an activity from scheduling to its report, and its referrals, as documented', async () => {
    const anonymous = api(null);
    const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
    const form = (fields: Record<string, string>) => ({
      body: new URLSearchParams(fields).toString(),
      headers: FORM,
    });
    const D1 = DEMO_DEPUTY_IDS.wenchong;
    const D2 = DEMO_DEPUTY_IDS.townAndDistrict;
    const D3 = DEMO_DEPUTY_IDS.municipalAndDistrict;
    const key = await linkSigningKey();

    // Scheduled, read, changed before the start; a second one cancelled.
    const created = await check<{ activity: { id: string } }>(
      district,
      'POST /activities',
      '/activities',
      {
        body: {
          title: `文档接待日 ${RUN}`,
          type: 'RECEPTION_DAY',
          street: 'WENCHONG',
          location: '文冲人大代表联络站',
          liaisonStations: ['文冲人大代表联络站'],
          startsAt: inSeconds(3600),
          endsAt: inSeconds(4 * 3600),
          invitedDeputyIds: [D1, D2],
        },
        headers: { 'idempotency-key': `oa-${RUN}` },
      },
    );
    expect(created.status, created.text).toBe(201);
    const id = created.json.activity.id;
    const other = await check<{ activity: { id: string } }>(
      district,
      'POST /activities',
      '/activities',
      {
        body: {
          title: `文档调研 ${RUN}`,
          type: 'THEMATIC_RESEARCH',
          street: 'WENCHONG',
          location: '文冲街道',
          startsAt: inSeconds(3600),
          endsAt: inSeconds(2 * 3600),
          invitedDeputyIds: [D1],
        },
      },
    );
    await waitForPhase(district, id, 'START');
    await check(auditor, 'GET /activities/{activityId}', `/activities/${id}`);
    await check(deputyApi(D1), 'GET /activities/{activityId}', `/activities/${id}`);
    const changed = await check(district, 'PATCH /activities/{activityId}', `/activities/${id}`, {
      body: { location: '文冲人大代表联络站（二楼）', addDeputyIds: [D3] },
    });
    expect(changed.status, changed.text).toBe(200);
    await waitForPhase(district, other.json.activity.id, 'START');
    const cancelled = await check(
      district,
      'POST /activities/{activityId}/cancel',
      `/activities/${other.json.activity.id}/cancel`,
      { body: { reason: '文档测试取消' } },
    );
    expect(cancelled.status, cancelled.text).toBeLessThan(300);
    await check(district, 'POST /activities/{activityId}/redrive', `/activities/${id}/redrive`, {
      body: { reason: '没有失败' },
    });

    // The deputies' side: the personal page, the answer, the home page.
    const pageLinkOf = async (deputyId: string) => {
      const invitation = await eventually(
        () => getInvitation({ db: ddbDoc(), tableName: tableName() }, id, deputyId),
        (found) => found?.pageLink !== undefined,
        30_000,
      );
      const { linkId, expiresAt } = invitation!.pageLink!;
      return `/deputy/${encodeURIComponent(tokenOfLink(key, linkId, expiresAt))}`;
    };
    const page1 = await pageLinkOf(D1);
    const page3 = await pageLinkOf(D3);
    const opened = await check(anonymous, 'GET /deputy/{token}', page1);
    expect(opened.status, opened.text.slice(0, 200)).toBe(200);
    const cookie = opened.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    await check(
      anonymous,
      'POST /deputy/{token}',
      page1,
      form({ action: 'ANSWER', response: 'ACCEPTED' }),
    );
    await check(
      deputyApi(D2),
      'POST /activities/{activityId}/invitation/response',
      `/activities/${id}/invitation/response`,
      { body: { response: 'ACCEPTED' } },
    );
    await check(deputyApi(D1), 'GET /me/activities', '/me/activities');
    const home = await createDeputyLink(linkStore(), key, {
      purpose: 'DEPUTY_HOME',
      deputyId: D1,
      ttlSeconds: 3600,
    });
    await check(anonymous, 'GET /my-activities', '/my-activities');
    await check(
      anonymous,
      'POST /my-activities',
      '/my-activities',
      form({ email: `oa-${RUN}@example.org` }),
    );
    await check(
      anonymous,
      'GET /my-activities/{token}',
      `/my-activities/${encodeURIComponent(home.token)}`,
    );

    // Check-in: opened early, the QR code, the venue page, a deputy by API, one by the QR page.
    const open = await check(
      district,
      'POST /activities/{activityId}/check-in/open',
      `/activities/${id}/check-in/open`,
    );
    expect(open.status, open.text).toBe(202);
    await waitForPhase(district, id, 'ATTENDANCE');
    const qr = await check<{ code: string }>(
      district,
      'GET /activities/{activityId}/check-in/qr',
      `/activities/${id}/check-in/qr`,
    );
    expect(qr.status, qr.text).toBe(200);
    const venue = `/check-in/${encodeURIComponent(qr.json.code)}`;
    await check(anonymous, 'GET /check-in/{code}', venue);
    const tapped = await check(anonymous, 'POST /check-in/{code}', venue, {
      body: '',
      headers: { ...FORM, cookie },
    });
    expect(tapped.status, tapped.text.slice(0, 200)).toBe(200);
    const checkedIn = await check(
      deputyApi(D2),
      'POST /activities/{activityId}/check-ins',
      `/activities/${id}/check-ins`,
      { body: {} },
    );
    expect(checkedIn.status, checkedIn.text).toBe(201);
    await check(district, 'PATCH /activities/{activityId}/counts', `/activities/${id}/counts`, {
      body: { consultationsAnswered: 3, residentsReceived: 5 },
    });
    const closed = await check(
      district,
      'POST /activities/{activityId}/attendance/close',
      `/activities/${id}/attendance/close`,
    );
    expect(closed.status, closed.text).toBe(202);
    await waitForPhase(district, id, 'FINDINGS');
    const madeUp = await check(
      district,
      'POST /activities/{activityId}/check-ins/make-up',
      `/activities/${id}/check-ins/make-up`,
      { body: { deputyId: D3, reason: '到场后手机没电' } },
    );
    expect(madeUp.status, madeUp.text).toBe(201);
    // The invitations and answers: D1 by the QR page, D2 by the API, D3 made up.
    const invitations = await check<{
      items: {
        deputyId: string;
        answer: { response: string } | null;
        checkIn: { method: string } | null;
      }[];
    }>(district, 'GET /activities/{activityId}/invitations', `/activities/${id}/invitations`);
    expect(invitations.status, invitations.text).toBe(200);
    const byDeputy = new Map(invitations.json.items.map((item) => [item.deputyId, item]));
    expect(byDeputy.get(D1)?.checkIn?.method).toBe('QR');
    expect(byDeputy.get(D2)).toMatchObject({
      answer: { response: 'ACCEPTED' },
      checkIn: { method: 'API' },
    });
    expect(byDeputy.get(D3)?.checkIn?.method).toBe('MAKE_UP');
    await check(
      auditor,
      'GET /activities/{activityId}/invitations',
      `/activities/${id}/invitations`,
    );

    // Findings: one by the API with a resident, one on the deputy's page; then closed.
    const trees = await check<{ finding: { id: string } }>(
      deputyApi(D1),
      'POST /activities/{activityId}/findings',
      `/activities/${id}/findings`,
      {
        body: {
          kind: 'SUGGESTION',
          category: 'ANCIENT_TREES',
          needsReferral: true,
          place: '暹岗村',
          description: '学校用地上有古树，迁移须报批',
          resident: { name: `来访群众${RUN}`, contact: '13800000000', consentToContact: true },
        },
      },
    );
    expect(trees.status, trees.text).toBe(201);
    const formId = /name="formId" value="([0-9A-Z]{26})"/.exec(
      (await anonymous.get(page3)).text,
    )?.[1];
    expect(formId).toBeDefined();
    const onPage = await check(
      anonymous,
      'POST /deputy/{token}',
      page3,
      form({
        action: 'FINDING',
        formId: formId!,
        kind: 'CONSULTATION',
        category: 'OTHER',
        place: '文冲人大代表联络站',
        description: '询问怎样通过网上联络站反映问题',
      }),
    );
    expect(onPage.status, onPage.text.slice(0, 200)).toBe(200);
    await check(auditor, 'GET /activities/{activityId}/findings', `/activities/${id}/findings`);
    const person = { name: `来访群众${RUN}`, reason: '本人来电申请查询（文档测试）' };
    await check(district, 'POST /residents/findings/search', '/residents/findings/search', {
      body: person,
    });
    await check(district, 'POST /residents/findings/export', '/residents/findings/export', {
      body: person,
    });
    const findingsClosed = await check(
      district,
      'POST /activities/{activityId}/findings/close',
      `/activities/${id}/findings/close`,
    );
    expect(findingsClosed.status, findingsClosed.text).toBe(200);
    await waitForPhase(district, id, 'REVIEW');

    // The chairmen's meeting.
    const review = await check<{ findings: { id: string; category: string }[] }>(
      auditor,
      'GET /activities/{activityId}/review',
      `/activities/${id}/review`,
    );
    const asked = review.json.findings.find((f) => f.category === 'OTHER')!.id;
    const decided = await check(
      district,
      'POST /activities/{activityId}/review/decisions',
      `/activities/${id}/review/decisions`,
      {
        body: {
          decisions: [
            {
              findingId: trees.json.finding.id,
              decision: 'REFER',
              departmentId: 'dept-forestry',
              reason: '需林业部门协调',
            },
            {
              findingId: asked,
              decision: 'ANSWER_DIRECTLY',
              answer: '已现场演示',
              reason: '咨询类',
            },
          ],
        },
      },
    );
    expect(decided.status, decided.text).toBe(200);
    const referralId = (
      await district.get<{ referrals: { id: string }[] }>(`/activities/${id}/review`)
    ).json.referrals[0]!.id;
    await check(
      district,
      'POST /activities/{activityId}/review/referrals/{referralId}',
      `/activities/${id}/review/referrals/${referralId}`,
      { body: { committeeId: DEMO_COMMITTEE_IDS.urbanConstruction, dueDate: inDays(60) } },
    );
    const approved = await check(
      district,
      'POST /activities/{activityId}/review/approve',
      `/activities/${id}/review/approve`,
    );
    expect(approved.status, approved.text).toBe(200);
    await waitForStatus(district, id, 'COMPLETED', 60_000);
    await check(
      district,
      'POST /activities/{activityId}/findings/{findingId}/resident/erasure',
      `/activities/${id}/findings/${trees.json.finding.id}/resident/erasure`,
      { body: { reason: '本人申请删除（文档测试）' } },
    );

    // The department answers on its page; the deputy who raised it rates the reply.
    await referralAtDepartment(referralId);
    const respond = `/respond/${await createLink(linkStore(), key, { purpose: 'RESPOND', referralId, round: 1, ttlSeconds: 3600 })}`;
    await check(anonymous, 'GET /respond/{token}', respond);
    const replied = await check(
      anonymous,
      'POST /respond/{token}',
      respond,
      form({
        action: 'REPLY',
        result: 'RESOLVED',
        text: '古树原地保护',
      }),
    );
    expect(replied.status, replied.text.slice(0, 200)).toBe(200);
    await eventually(
      () => rawItem(keys.referral(referralId)),
      (r) => (r?.pendingTask as { phase?: string } | undefined)?.phase === 'RATING',
      30_000,
    );
    const rate = `/rate/${await createLink(linkStore(), key, {
      purpose: 'RATE',
      referralId,
      round: 1,
      raiserRef: raiserRefOfDeputy(D1),
      ttlSeconds: 3600,
    })}`;
    await check(anonymous, 'GET /rate/{token}', rate);
    const rated = await check(
      anonymous,
      'POST /rate/{token}',
      rate,
      form({ rating: 'SATISFIED', comment: '' }),
    );
    expect(rated.status, rated.text.slice(0, 200)).toBe(200);
    await check(district, 'GET /referrals/{referralId}', `/referrals/${referralId}`);

    // What auditors read of it.
    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    const year = today.slice(0, 4);
    const duty = `/audit/deputies/${D1}`;
    const auditorReads: [route: string, path: string][] = [
      ['GET /audit/activities', `/audit/activities?from=${today}&to=${today}&limit=5`],
      ['GET /audit/activities', `/audit/activities?from=${today}&to=${today}&format=csv`],
      ['GET /audit/activities/{activityId}/trail', `/audit/activities/${id}/trail?limit=5`],
      ['GET /audit/activities/{activityId}/verify', `/audit/activities/${id}/verify`],
      ['GET /audit/referrals/{referralId}/trail', `/audit/referrals/${referralId}/trail`],
      ['GET /audit/referrals/{referralId}/verify', `/audit/referrals/${referralId}/verify`],
      ['GET /audit/activities/{activityId}/report', `/audit/activities/${id}/report`],
      ['GET /audit/statistics', `/audit/statistics?from=${today}&to=${today}`],
      ['GET /audit/statistics', `/audit/statistics?from=${today}&to=${today}&format=csv`],
      ['GET /audit/deputies/{deputyId}/duty-record', `${duty}/duty-record?year=${year}`],
      ['GET /audit/deputies/{deputyId}/duty-record', `${duty}/duty-record?year=${year}&format=csv`],
    ];
    for (const [route, path] of auditorReads) await check(auditor, route, path);
    await check(
      deputyApi(D1),
      'GET /audit/deputies/{deputyId}/duty-report',
      `${duty}/duty-report?year=${year}`,
    );
    const campaign = await check<{ campaign: { id: string } }>(
      district,
      'POST /campaigns',
      '/campaigns',
      {
        body: { title: `文档主题活动 ${RUN}`, from: `${year}-01-01`, to: `${year}-12-31` },
      },
    );
    expect(campaign.status, campaign.text).toBe(201);
    // The longest description the schema allows, in Chinese (3 bytes a character in UTF-8), is
    // within the route's body limit: the limit never refuses a body the schema accepts.
    const longest = await check(district, 'POST /campaigns', '/campaigns', {
      body: {
        title: `长说明 ${RUN}`,
        from: `${year}-01-01`,
        to: `${year}-12-31`,
        description: '议'.repeat(4000),
      },
    });
    expect(longest.status, longest.text).toBe(201);
    await check(auditor, 'GET /campaigns', '/campaigns');
    const statistics = `/audit/campaigns/${campaign.json.campaign.id}/statistics`;
    await check(auditor, 'GET /audit/campaigns/{campaignId}/statistics', statistics);
    await check(
      auditor,
      'GET /audit/campaigns/{campaignId}/statistics',
      `${statistics}?format=csv`,
    );

    // The organisers' actions on referrals: each on a referral in the state it needs.
    const respondTo = async (referral: string, fields: Record<string, string>) => {
      await referralAtDepartment(referral);
      const token = await createLink(linkStore(), key, {
        purpose: 'RESPOND',
        referralId: referral,
        round: 1,
        ttlSeconds: 3600,
      });
      const res = await anonymous.request('POST', `/respond/${token}`, form(fields));
      expect(res.status, res.text.slice(0, 300)).toBe(200);
    };
    const [first, second] = [await department(`oa-a-${RUN}`), await department(`oa-b-${RUN}`)];
    const returned = await startReferral(first.id, {}, { street: 'WENCHONG' });
    await respondTo(returned.id, { action: 'RETURN', reason: '不属于本部门职责' });
    await eventually(
      () => rawItem(keys.referral(returned.id)),
      (r) =>
        r?.status === 'RETURNED' &&
        (r.pendingTask as { phase?: string } | undefined)?.phase === 'REROUTE',
      30_000,
    );
    const rerouted = await check(
      district,
      'POST /referrals/{referralId}/reroute',
      `/referrals/${returned.id}/reroute`,
      {
        body: { departmentId: second.id, reason: '改由二部门办理' },
      },
    );
    expect(rerouted.status, rerouted.text).toBe(200);
    const extended = await startReferral(first.id, {}, { street: 'WENCHONG' });
    await respondTo(extended.id, {
      action: 'REQUEST_EXTENSION',
      days: '10',
      reason: '需要现场勘查',
    });
    const granted = await check(
      district,
      'POST /referrals/{referralId}/extension',
      `/referrals/${extended.id}/extension`,
      {
        body: { decision: 'GRANT', reason: '同意延期' },
      },
    );
    expect(granted.status, granted.text).toBe(200);
    const closing = await startReferral(first.id, {}, { street: 'WENCHONG' });
    await referralAtDepartment(closing.id);
    const committeeClosed = await check(
      district,
      'POST /referrals/{referralId}/close',
      `/referrals/${closing.id}/close`,
      {
        body: { reason: '工委决定办结' },
      },
    );
    expect(committeeClosed.status, committeeClosed.text).toBe(200);
    const broken = await department(`oa-broken-${RUN}`, ['not an address']);
    const failing = await startReferral(broken.id, {}, { street: 'WENCHONG' });
    await eventually(
      () => rawItem(keys.referral(failing.id)),
      (r) => r?.failure !== undefined,
      30_000,
    );
    await check(district, 'GET /referrals/{referralId}', `/referrals/${failing.id}`);
    const redriven = await check(
      district,
      'POST /referrals/{referralId}/redrive',
      `/referrals/${failing.id}/redrive`,
      {
        body: { reason: '文档测试：原因未除，再失败一次' },
      },
    );
    expect(redriven.status, redriven.text).toBe(200);

    // Refusals are documented too: JSON errors, and the public pages' HTML.
    await check(anonymous, 'GET /deputy/{token}', '/deputy/garbage');
    await check(anonymous, 'GET /respond/{token}', '/respond/garbage');
    await check(anonymous, 'GET /check-in/{code}', '/check-in/garbage');
    await check(district, 'POST /activities/{activityId}/cancel', `/activities/${id}/cancel`, {
      body: { reason: '已完成的活动' },
    });
    await check(
      district,
      'GET /audit/statistics',
      '/audit/statistics?from=2026-13-01&to=2026-01-01',
    );
    expect(wrong).toEqual([]);
  }, 300_000);

  it('exercised every operation that documents a success schema', () => {
    const described = operations
      .filter((operation) => successSchemaOf(operation.responses))
      .map((operation) => operation.key)
      .sort();
    expect([...exercised].sort()).toEqual(described);
  });
});

afterAll(() => {
  console.log(
    `[openapi responses] operations ${operations.length}, with a success schema ${operations.length - UNDESCRIBED.size}, exercised ${exercised.size}, answers validated ${validated}, wrong ${wrong.length}`,
  );
});
