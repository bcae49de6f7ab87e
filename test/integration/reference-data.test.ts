// Integration test on the local cloud (DynamoDB Local, the local HTTP API with its JWT
// authorizer, the reference functions bundled by `cdk synth`): deputies, departments,
// committees and routing rules through the API, with their audit chains in the table, and the
// CSV roster import of 500 deputies.
import {
  DEMO_JURISDICTION,
  DEMO_ORGANISER_STREET,
  DEMO_STREET_NAMES,
} from '../../infra/local/demo-jurisdiction';
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyChain, type AuditEvent } from '../../functions/shared/data/audit';
import { keys } from '../../functions/shared/data/keys';
import { DEMO_DEPARTMENT_IDS, demoSeedItems } from '../../infra/local/seed';
import { api } from './support/api';
import { ddbDoc, sentMail, waitForMail } from './support/aws';
import { localCloud, tableName } from './support/cloud';
import { checkStreet } from '../../infra/local/token';
import { department } from './support/referral';
import { routingKeysOf } from './support/reference';
import { deputyLinXiaohua } from '../support/items';
import { cursorParam, readAllPages } from '../support/pages';

// The local issuer states DISTRICT for an organiser without a street: the whole district.
const organiser = api({ role: 'organiser', sub: 'org-reference' });
const streetOrganiser = api({ role: 'organiser', sub: 'org-reference-wc', street: '文冲' });
const auditor = api('auditor');
const deputy = api('deputy');
const run = randomUUID().slice(0, 8);

/** Seeds the demo reference data unless present (another test file may have changed it). */
async function seedDemo(): Promise<void> {
  const db = ddbDoc();
  const items = demoSeedItems();
  for (let i = 0; i < items.length; i += 25) {
    await Promise.all(
      items.slice(i, i + 25).map((Item) =>
        db
          .send(
            new PutCommand({
              TableName: tableName(),
              Item,
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          )
          .catch((error: Error) => {
            if (error.name !== 'ConditionalCheckFailedException') throw error;
          }),
      ),
    );
  }
}

async function auditEvents(streamId: string): Promise<AuditEvent[]> {
  const out = await ddbDoc().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
      ExpressionAttributeValues: { ':pk': streamId, ':audit': 'AUDIT#' },
      ConsistentRead: true,
    }),
  );
  return (out.Items ?? []) as AuditEvent[];
}

async function getRaw(key: { pk: string; sk: string }) {
  const out = await ddbDoc().send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  return out.Item;
}

const patch = (path: string, body: unknown) => organiser.request('PATCH', path, { body });

beforeAll(async () => {
  await seedDemo();
});

describe('reference data on the local cloud', () => {
  it('lists the seeded departments page by page for auditors', async () => {
    const pages = await readAllPages(async (cursor) => {
      const res = await auditor.get<{ items: { id: string }[]; nextCursor?: string }>(
        `/departments?limit=4${cursorParam(cursor)}`,
      );
      expect(res.status, res.text).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(4);
      return res.json;
    });
    const seen = pages.flatMap((page) => page.items.map((item) => item.id));
    expect(seen).toContain(DEMO_DEPARTMENT_IDS.forestry);
    expect(new Set(seen).size).toBe(seen.length);

    const rule = await auditor.get<{ routingRule: { departmentId: string } }>(
      '/routing-rules/ANCIENT_TREES:*',
    );
    expect(rule.status, rule.text).toBe(200);
    expect(rule.json.routingRule.departmentId).toBe(DEMO_DEPARTMENT_IDS.forestry);
  });

  it('npm run token takes a street of the jurisdiction by code or name, and names the streets when it is not one', async () => {
    const street = DEMO_ORGANISER_STREET;
    const { zh } = DEMO_STREET_NAMES[street];
    await expect(checkStreet(localCloud(), street)).resolves.toBeUndefined();
    await expect(checkStreet(localCloud(), zh)).resolves.toBeUndefined();
    await expect(checkStreet(localCloud(), 'DISTRICT')).resolves.toBeUndefined();
    const typo = checkStreet(localCloud(), `${street}X`);
    await expect(typo).rejects.toThrow(
      `--street ${street}X is not a street of ${DEMO_JURISDICTION.district.name.en}: give one of`,
    );
    await expect(typo).rejects.toThrow(`${street} (${zh})`);
  });

  it('lets a street organiser read reference data but change none of it (403, nothing written)', async () => {
    const forestry = keys.department(DEMO_DEPARTMENT_IDS.forestry);
    const before = await getRaw(forestry);
    const attempts = [
      streetOrganiser.request('PATCH', `/departments/${DEMO_DEPARTMENT_IDS.forestry}`, {
        body: { emails: [`intruder-${run}@example.org`] },
      }),
      streetOrganiser.post('/departments', {
        name: `街道部门 ${run}`,
        emails: [`street-${run}@example.org`],
        categories: ['DRAINAGE'],
      }),
      streetOrganiser.request('PATCH', '/routing-rules/DRAINAGE:*', {
        body: { departmentId: DEMO_DEPARTMENT_IDS.forestry },
      }),
      streetOrganiser.request('PATCH', '/deputies/dep-0001', { body: { street: 'WENCHONG' } }),
      streetOrganiser.post('/committees/cmte-urban-construction/deactivate'),
      streetOrganiser.request('POST', '/deputies/import', {
        body: `name,email,level1,body1\n街道导入,street-import-${run}@example.org,区,广州市黄埔区人民代表大会\n`,
        headers: { 'content-type': 'text/csv' },
      }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status, res.text).toBe(403);
      expect((res.json as { message: string }).message).toMatch(/whole district/);
    }
    expect(await getRaw(forestry)).toEqual(before);
    expect((await streetOrganiser.get('/departments?limit=5')).status).toBe(200);
  });

  it('audits a department’s email change and tells its previous address, once', async () => {
    const dept = await department(`emails-${run}`);
    const next = `next-${run}@example.org`;
    const res = await patch(`/departments/${dept.id}`, { emails: [next] });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({
      department: { emails: [next], emailChangeNotice: 'SENT' },
    });
    const events = await auditEvents(keys.auditStreamOfDepartment(dept.id));
    expect(verifyChain(events).ok).toBe(true);
    expect(events.at(-1)).toMatchObject({
      action: 'DEPARTMENT_EMAILS_CHANGED',
      actor: 'org-reference',
      before: { emails: [dept.email] },
      after: { emails: [next] },
    });
    const toPrevious = (mail: { destination: { to: string[] } }) =>
      mail.destination.to.includes(dept.email);
    const mail = (await waitForMail((all) => all.some(toPrevious))).filter(toPrevious);
    expect(mail).toHaveLength(1);
    expect(mail[0]!.subject).toContain(DEMO_JURISDICTION.district.subjectTag.zh);
    expect(mail[0]!.body.text).toContain(next);
    // Repeating the request changes nothing and tells no one again.
    const again = await patch(`/departments/${dept.id}`, { emails: [next] });
    expect(again.status).toBe(200);
    expect(await auditEvents(keys.auditStreamOfDepartment(dept.id))).toHaveLength(events.length);
    await new Promise((r) => setTimeout(r, 300));
    expect((await sentMail()).filter(toPrevious)).toHaveLength(1);
    expect(await getRaw(keys.department(dept.id))).not.toHaveProperty('emailChangeNotice');
  });

  it('refuses writes to auditors and reads to deputies (403), unknown ids 404', async () => {
    const write = await auditor.post('/committees', {
      name: '监察司法工委',
      emails: ['x@example.org'],
    });
    expect(write.status).toBe(403);
    expect((await deputy.get('/deputies')).status).toBe(403);
    expect((await organiser.get('/deputies/nobody-here')).status).toBe(404);
    const bad = await organiser.get<{ issues: { path: string }[] }>('/deputies?limit=0');
    expect(bad.status).toBe(422);
    expect(bad.json.issues[0]!.path).toBe('query.limit');
  });

  it('creates a department and a street rule, each with its own verified audit chain', async () => {
    const dept = await organiser.post<{ department: { id: string } }>('/departments', {
      name: `黄埔区应急管理局-${run}`,
      emails: [`emergency-${run}@dept.liandong.example.org`],
      categories: ['PUBLIC_SECURITY', 'DRAINAGE'],
    });
    expect(dept.status, dept.text).toBe(201);
    const departmentId = dept.json.department.id;

    const { category, street } = routingKeysOf('reference-data');
    const ruleBody = { category, street, departmentId };
    const rule = await organiser.post<{ routingRule: { id: string } }>('/routing-rules', ruleBody);
    // A rerun on a persistent table may find the rule from an earlier run.
    expect([201, 409], rule.text).toContain(rule.status);
    const ruleId = `${category}:${street}`;
    const moved = await patch(`/routing-rules/${ruleId}`, { departmentId });
    expect(moved.status, moved.text).toBe(200);

    const busy = await organiser.post(`/departments/${departmentId}/deactivate`);
    expect(busy.status, busy.text).toBe(409);
    expect((await organiser.post(`/routing-rules/${ruleId}/deactivate`)).status).toBe(200);
    expect((await organiser.post(`/departments/${departmentId}/deactivate`)).status).toBe(200);
    const again = await organiser.post(`/departments/${departmentId}/deactivate`);
    expect(again.status).toBe(409);

    const deptEvents = await auditEvents(keys.auditStreamOfDepartment(departmentId));
    expect(deptEvents.map((event) => event.action)).toEqual([
      'DEPARTMENT_CREATED',
      'DEPARTMENT_DEACTIVATED',
    ]);
    expect(verifyChain(deptEvents).ok).toBe(true);
    const ruleEvents = await auditEvents(keys.auditStreamOfRoutingRule('DRAINAGE', street));
    expect(verifyChain(ruleEvents).ok).toBe(true);
    expect(ruleEvents.at(-1)!.action).toBe('ROUTING_RULE_DEACTIVATED');
    const head = await getRaw(keys.department(departmentId));
    expect(head).toMatchObject({ active: false, auditSeq: 2, auditHash: deptEvents[1]!.hash });
  });

  it('creates, updates and deactivates a deputy; emails stay unique', async () => {
    const email = `lin-${run}@example.org`;
    const created = await organiser.post<{ deputy: { id: string } }>(
      '/deputies',
      deputyLinXiaohua(email),
      { 'idempotency-key': `create-${run}` },
    );
    expect(created.status, created.text).toBe(201);
    const id = created.json.deputy.id;

    const duplicate = await organiser.post<{ message: string }>('/deputies', {
      name: '林二',
      email: email.toUpperCase(),
      seats: [{ level: 'TOWN', body: '广州市黄埔区新龙镇人民代表大会' }],
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.message).toMatch(/^email: /);

    const newEmail = `lin2-${run}@example.org`;
    const updated = await patch(`/deputies/${id}`, {
      email: newEmail,
      liaisonStation: '文冲人大代表联络站',
    });
    expect(updated.status, updated.text).toBe(200);
    expect(await getRaw(keys.deputyEmail(email))).toBeUndefined();
    expect(await getRaw(keys.deputyEmail(newEmail))).toMatchObject({ deputyId: id });

    expect((await organiser.post(`/deputies/${id}/deactivate`)).status).toBe(200);
    const read = await auditor.get<{ deputy: { active: boolean; email: string } }>(
      `/deputies/${id}`,
    );
    expect(read.json.deputy).toMatchObject({ active: false, email: newEmail });

    const events = await auditEvents(keys.auditStreamOfDeputy(id));
    expect(events.map((event) => event.action)).toEqual([
      'DEPUTY_CREATED',
      'DEPUTY_UPDATED',
      'DEPUTY_DEACTIVATED',
    ]);
    expect(verifyChain(events).ok).toBe(true);
    expect(JSON.stringify(events)).not.toContain(newEmail);
  });

  it('imports a roster of 500 deputies, all or nothing', async () => {
    const header = '\uFEFFname,email,level1,body1,level2,body2,group,street,liaisonStation,active';
    const rows = Array.from(
      { length: 500 },
      (_, i) =>
        `"代表${i + 1}",roster-${run}-${i + 1}@example.org,区,广州市黄埔区人民代表大会,,,"区人大云埔代表小组, 一组",云埔,,`,
    );
    const csv = [header, ...rows].join('\r\n');

    // One bad row: nothing at all is imported.
    const broken = [
      header,
      ...rows.slice(0, 10),
      '坏行,not-an-email,区,广州市黄埔区人民代表大会,,,,,,',
    ].join('\n');
    const rejected = await organiser.post<{ rows: { line: number; field: string }[] }>(
      '/deputies/import',
      broken,
      { 'content-type': 'text/csv' },
    );
    expect(rejected.status, rejected.text).toBe(422);
    expect(rejected.json.rows).toEqual([
      { line: 12, field: 'email', message: 'must be an email address' },
    ]);
    expect(await getRaw(keys.deputyEmail(`roster-${run}-1@example.org`))).toBeUndefined();

    const imported = await organiser.post<{
      imported: number;
      deputies: { line: number; id: string }[];
    }>('/deputies/import', csv, { 'content-type': 'text/csv; charset=utf-8' });
    expect(imported.status, imported.text).toBe(201);
    expect(imported.json.imported).toBe(500);
    const last = imported.json.deputies.at(-1)!;
    expect(last.line).toBe(501);
    const read = await auditor.get<{ deputy: { name: string; street: string; group: string } }>(
      `/deputies/${last.id}`,
    );
    expect(read.json.deputy).toMatchObject({
      name: '代表500',
      street: 'YUNPU',
      group: '区人大云埔代表小组, 一组',
    });
    const events = await auditEvents(keys.auditStreamOfDeputy(last.id));
    expect(events.map((event) => event.action)).toEqual(['DEPUTY_IMPORTED']);
    expect(verifyChain(events).ok).toBe(true);

    // The same file again: every email exists now.
    const twice = await organiser.post<{ rows: { field: string }[] }>('/deputies/import', csv, {
      'content-type': 'text/csv',
    });
    expect(twice.status).toBe(422);
    expect(twice.json.rows).toHaveLength(500);
    expect(twice.json.rows.every((row) => row.field === 'email')).toBe(true);
  });
});
