// Integration test on the local cloud: residents' personal data (docs/privacy.md). An activity
// run to COMPLETED with two residents' findings — one referred, one answered on the spot — then:
// the trail commits to them only by salted commitment; a resident's request finds and exports
// their findings and erases one early, with the role and street checks; the retention job (the
// function the EventBridge schedule invokes, called here with the run's scheduled time) erases
// the referred resident once its referral closed and the retention passed, never before; the
// trail still verifies and holds both erasures; auditors' CSV exports never hold the data.
import { beforeAll, describe, expect, it } from 'vitest';
import { findingAuditRecord, findingContentHash } from '../../functions/findings/domain';
import type { FindingItem } from '../../functions/findings/model';
import { sealDigest } from '../../functions/findings/store';
import { addRetention, parseRetention } from '../../functions/privacy/retention';
import { keys, toQueryParams } from '../../functions/shared/data/keys';
import { chinaDateOf } from '../../functions/shared/domain/deadlines';
import { DEMO_COMMITTEE_IDS, DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { GENESIS_HASH } from '../../functions/shared/data/audit';
import { newId } from '../../functions/shared/ids';
import {
  auditEvents,
  checkIn,
  closeReferralAtDepartment,
  completedActivity,
  eventually,
  openCheckIn,
  rawItem,
  recordFinding,
  scheduleActivity,
} from './support/activity';
import { api, deputyApi } from './support/api';
import { ddbDoc } from './support/aws';
import { localCloud, tableName } from './support/cloud';

const RUN = Date.now().toString(36);
const DIGITS = String(Date.now()).slice(-8);
const DEPUTY = DEMO_DEPUTY_IDS.wenchong;
// Two residents of this run: names and phone numbers no other test uses.
const REFERRED = { name: `林秀${RUN}`, contact: `139${DIGITS}`, consentToContact: true };
const ANSWERED = { name: `陈立${RUN}`, contact: `zhou.${RUN}@example.org`, consentToContact: true };

const organiser = api({ role: 'organiser', sub: `org-privacy-${RUN}`, street: '文冲' });
const districtOrganiser = api({ role: 'organiser', sub: `org-privacy-district-${RUN}` });
const otherStreet = api({ role: 'organiser', sub: `org-privacy-xg-${RUN}`, street: '夏港' });
const auditor = api({ role: 'auditor', sub: `aud-privacy-${RUN}` });
const deputy = deputyApi(DEPUTY);

/** When a resident's data is erased, the default retention after `from` (a stored ISO time). */
const retainedFrom = (from: unknown) =>
  addRetention(new Date(from as string), parseRetention(undefined)).toISOString();

let activityId: string;
let referredId: string;
let answeredId: string;
let referralId: string;
/** China days the activity started and ended: the audit routes filter on one or the other. */
let startDay: string;
let endDay: string;

interface FoundJson {
  findings: {
    id: string;
    activity: { id: string };
    raisedBy: { resident?: { name?: string; contact?: string } };
    matched: string[];
    eraseAfter?: string;
  }[];
}

const search = (client = organiser, body: Record<string, unknown>) =>
  client.post<FoundJson>('/residents/findings/search', { reason: '居民来电申请查阅', ...body });

const finding = async (id: string) =>
  (await rawItem(keys.finding(activityId, id))) as unknown as FindingItem & Record<string, unknown>;

const lookupEntries = async (id: string) => {
  const item = await finding(id);
  const digests = (item.residentLookupDigests as string[] | undefined) ?? [];
  return Promise.all(digests.map((d) => rawItem(keys.residentLookup(d, activityId, id))));
};

/** Every unchained audit record and chained event of the activity, as stored. */
const auditItemsText = async () => {
  const out = await ddbDoc().send(
    new QueryCommand({
      TableName: tableName(),
      ...toQueryParams({
        partitionKeyName: 'pk',
        partitionKey: keys.auditStreamOfActivity(activityId),
        sortKeyName: 'sk',
        sortKeyPrefix: 'AUDIT',
      }),
    }),
  );
  return JSON.stringify(out.Items ?? []);
};

/** The retention job, invoked as the schedule invokes it, for a run scheduled at `at`. */
const runRetentionJob = async (at: string) => {
  const logicalId = Object.keys(localCloud().functions).find((id) =>
    id.startsWith('PrivacyEraseDueResidentsFunction'),
  );
  expect(logicalId).toBeDefined();
  const res = await fetch(`${localCloud().api}/_local/invoke/${logicalId}`, {
    method: 'POST',
    body: JSON.stringify({ scheduledTime: at }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { result: { erased: number; skipped: number } }).result;
};

const verifyTrail = async () => {
  const res = await auditor.get<{ ok: boolean; checked: number }>(
    `/audit/activities/${activityId}/verify`,
  );
  expect(res.status, res.text).toBe(200);
  return res.json;
};

beforeAll(async () => {
  const completed = await completedActivity(
    organiser,
    DEMO_COMMITTEE_IDS.urbanConstruction,
    { title: `居民信息测试 ${RUN}`, street: 'WENCHONG', invitedDeputyIds: [DEPUTY] },
    {
      whileOpen: async (id) => {
        await checkIn([deputy], id);
        // A deputy on a visit records a resident's problem (it goes into the duty record), and
        // an organiser a consultation answered on the spot.
        referredId = await recordFinding(deputy, id, {
          category: 'DRAINAGE',
          description: `村道积水 ${RUN}`,
          resident: REFERRED,
        });
        answeredId = await recordFinding(organiser, id, {
          kind: 'CONSULTATION',
          category: 'OTHER',
          needsReferral: false,
          description: `咨询网上联络站 ${RUN}`,
          place: '文冲人大代表联络站',
          resident: ANSWERED,
        });
      },
    },
  );
  activityId = completed.id;
  referralId = completed.review.referrals.find((r) => r.findingIds.includes(referredId))!.id;
  // The day it ended, which /audit/activities filters on: a run an hour before China's midnight
  // once looked for an activity starting after it on the day it had ended (15:06 UTC).
  const ended = await rawItem(keys.endedActivityEntry(activityId, 'ALL'));
  endDay = chinaDateOf(new Date(ended!.endedAt as string));
  const activity = await rawItem(keys.activity(activityId));
  startDay = chinaDateOf(new Date(activity!.startsAt as string));
}, 180_000);

describe('the commitment', () => {
  it('seals the resident by salted commitment: the trail never holds the name or contact', async () => {
    const item = await finding(referredId);
    expect(item.residentSeal).toMatchObject({
      salt: expect.any(String),
      commitment: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const record = await rawItem(keys.findingAuditRecord(activityId, referredId));
    expect(record).toMatchObject({ contentHash: findingContentHash(item), contentHashVersion: 2 });
    const text = await auditItemsText();
    expect(text).toContain(referredId);
    for (const value of [REFERRED.name, REFERRED.contact, ANSWERED.name, ANSWERED.contact]) {
      expect(text).not.toContain(value);
    }
    // Filed under keyed digests of the name and the contact: two lookup entries.
    const entries = await lookupEntries(referredId);
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e?.findingId === referredId)).toBe(true);
    expect(JSON.stringify(entries)).not.toContain(REFERRED.name);
  });
});

describe("auditors' CSV exports", () => {
  it('never contain a resident’s name or contact', async () => {
    // Read while both residents' data is still held (before any erasure below).
    const csvs = await Promise.all([
      auditor.get(`/audit/activities?from=${endDay}&to=${endDay}&street=WENCHONG&format=csv`),
      auditor.get(`/audit/statistics?from=${startDay}&to=${startDay}&format=csv`),
      auditor.get(`/audit/deputies/${DEPUTY}/duty-record?year=${startDay.slice(0, 4)}&format=csv`),
    ]);
    for (const res of csvs) {
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/csv/);
      for (const value of [REFERRED.name, REFERRED.contact, ANSWERED.name, ANSWERED.contact]) {
        expect(res.text).not.toContain(value);
      }
    }
    expect(csvs[0]!.text).toContain(activityId);
  });
});

describe('retention starts when the purpose ends', () => {
  it('starts at completion for a finding no referral carries, not while its referral is open', async () => {
    const answered = await finding(answeredId);
    const activity = await rawItem(keys.activity(activityId));
    const expected = retainedFrom(activity!.completedAt);
    expect(answered).toMatchObject({
      eraseAfter: expected,
      retentionFrom: { at: activity!.completedAt, cause: 'ACTIVITY_COMPLETED' },
      ...keys.residentErasureDue(expected, activityId, answeredId),
    });
    const referred = await finding(referredId);
    expect(referred.eraseAfter).toBeUndefined();
    expect(referred.listPk).toBeUndefined();
  });
});

describe("a resident's request", () => {
  it('finds the findings by name or contact however they are typed, in scope only', async () => {
    // Spaces inside the name, a +86 and spaces in the phone number: the same person.
    const spaced = `${REFERRED.name.slice(0, 1)} ${REFERRED.name.slice(1)}`;
    const byName = await search(organiser, { name: spaced });
    expect(byName.status, byName.text).toBe(200);
    expect(byName.json.findings.map((f) => f.id)).toEqual([referredId]);
    expect(byName.json.findings[0]).toMatchObject({
      activity: { id: activityId },
      raisedBy: { resident: { name: REFERRED.name, contact: REFERRED.contact } },
      matched: ['name'],
    });
    const phone = `+86 ${REFERRED.contact.slice(0, 3)} ${REFERRED.contact.slice(3, 7)} ${REFERRED.contact.slice(7)}`;
    const both = await search(districtOrganiser, { name: REFERRED.name, contact: phone });
    expect(both.json.findings.map((f) => [f.id, f.matched])).toEqual([
      [referredId, ['contact', 'name']],
    ]);
    // Another street's organiser finds nothing of Wenchong's; deputies and auditors may not ask.
    const elsewhere = await search(otherStreet, { name: REFERRED.name });
    expect(elsewhere.status, elsewhere.text).toBe(200);
    expect(elsewhere.json.findings).toEqual([]);
    expect((await search(deputy, { name: REFERRED.name })).status).toBe(403);
    expect((await search(auditor, { name: REFERRED.name })).status).toBe(403);
    // Nothing to look for, or no reason: 422.
    expect((await search(organiser, {})).status).toBe(422);
    const noReason = await organiser.post('/residents/findings/search', { name: REFERRED.name });
    expect(noReason.status).toBe(422);
  });

  it('exports them as a JSON attachment with their referral and retention', async () => {
    const path = '/residents/findings/export';
    const body = { contact: ANSWERED.contact.toUpperCase(), reason: '居民申请复制其个人信息' };
    const res = await organiser.post<{
      person: { contact: string };
      findings: { id: string; eraseAfter?: string; referral?: unknown }[];
    }>(path, body);
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="resident-findings-/,
    );
    expect(res.json.findings.map((f) => f.id)).toEqual([answeredId]);
    expect(res.json.findings[0]!.eraseAfter).toBe((await finding(answeredId)).eraseAfter);
    const referred = await organiser.post<{ findings: { referral?: { id: string } }[] }>(path, {
      name: REFERRED.name,
      reason: '居民申请复制其个人信息',
    });
    expect(referred.json.findings[0]!.referral).toMatchObject({ id: referralId });
    expect((await deputy.post(path, body)).status).toBe(403);
    expect((await auditor.post(path, body)).status).toBe(403);
    const elsewhere = await otherStreet.post<{ findings: unknown[] }>(path, body);
    expect(elsewhere.status).toBe(200);
    expect(elsewhere.json.findings).toEqual([]);
  });

  it('erases one early, with a reason, audited; only an organiser of its street', async () => {
    const path = `/activities/${activityId}/findings/${answeredId}/resident/erasure`;
    const reason = { reason: '居民2026年12月6日来电要求删除' };
    expect((await deputy.post(path, reason)).status).toBe(403);
    expect((await auditor.post(path, reason)).status).toBe(403);
    const other = await otherStreet.post(path, reason);
    expect(other.status, other.text).toBe(403);
    expect((await organiser.post(path, {})).status).toBe(422);
    // The reason stays in the trail for good: it may not carry what is erased.
    const naming = await organiser.post(path, { reason: `${ANSWERED.name}要求删除` });
    expect(naming.status, naming.text).toBe(422);
    const unknown = await organiser.post(
      `/activities/${activityId}/findings/01AAAAAAAAAAAAAAAAAAAAAAAA/resident/erasure`,
      reason,
    );
    expect(unknown.status).toBe(404);
    expect((await finding(answeredId)).raisedBy.resident?.name).toBe(ANSWERED.name);
    const entriesBefore = await lookupEntries(answeredId);
    expect(entriesBefore.filter(Boolean)).toHaveLength(2);

    const erased = await organiser.post<{
      finding: { raisedBy: { resident: Record<string, unknown> }; residentErasedAt: string };
    }>(path, reason);
    expect(erased.status, erased.text).toBe(200);
    expect(erased.json.finding.raisedBy.resident).toEqual({ consentToContact: true });
    expect(erased.json.finding.residentErasedAt).toEqual(expect.any(String));

    const item = await finding(answeredId);
    expect(item.raisedBy.resident).toEqual({ consentToContact: true });
    expect(item.residentSeal).toEqual({ commitment: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(item.listPk).toBeUndefined();
    expect(item.residentErasure).toMatchObject({ reason: 'REQUEST', by: `org-privacy-${RUN}` });
    for (const key of (entriesBefore as { pk: string; sk: string }[]).map(({ pk, sk }) => ({
      pk,
      sk,
    }))) {
      expect(await rawItem(key)).toBeUndefined();
    }
    // The finding still matches its sealed record, and the trail verifies with the erasure in it.
    const record = await rawItem(keys.findingAuditRecord(activityId, answeredId));
    expect(record!.contentHash).toBe(findingContentHash(item));
    const events = await auditEvents(activityId);
    expect(events.at(-1)).toMatchObject({
      action: 'RESIDENT_ERASED',
      actor: `org-privacy-${RUN}`,
      after: {
        findingId: answeredId,
        reason: 'REQUEST',
        requestReason: reason.reason,
        fields: ['name', 'contact'],
        residentCommitment: item.residentSeal!.commitment,
      },
    });
    expect((await verifyTrail()).ok).toBe(true);
    expect((await search(organiser, { contact: ANSWERED.contact })).json.findings).toEqual([]);
    expect((await organiser.post(path, reason)).status).toBe(409);
  });
});

describe('retention after the referral closed', () => {
  it('erases the resident once the retention after the close has passed, never before', async () => {
    await closeReferralAtDepartment(organiser, referralId);
    const scheduled = await eventually(
      () => finding(referredId),
      (item) => typeof item.eraseAfter === 'string',
      60_000,
    );
    const referral = await rawItem(keys.referral(referralId));
    const eraseAfter = retainedFrom(referral!.closedAt);
    expect(scheduled).toMatchObject({
      eraseAfter,
      retentionFrom: { at: referral!.closedAt, cause: 'REFERRALS_CLOSED' },
    });

    // A run scheduled a second before is too early for it.
    const early = new Date(Date.parse(eraseAfter) - 1000).toISOString();
    await runRetentionJob(early);
    expect((await finding(referredId)).raisedBy.resident?.name).toBe(REFERRED.name);

    // The run erases whatever else in the shared table is due by then too (other files'
    // residents, six months on): this file asserts only its own findings.
    const run = await runRetentionJob(eraseAfter);
    expect(run.erased).toBeGreaterThanOrEqual(1);
    const item = await finding(referredId);
    expect(item.raisedBy.resident).toEqual({ consentToContact: true });
    expect(item.residentErasure).toMatchObject({ reason: 'RETENTION', by: 'retention' });
    expect(item.listPk).toBeUndefined();
    for (const entry of await lookupEntries(referredId)) expect(entry).toBeUndefined();
    expect((await search(organiser, { name: REFERRED.name })).json.findings).toEqual([]);

    // The trail: the erasure is in it, the chain verifies, the sealed records still match.
    const events = await auditEvents(activityId);
    const erasure = events.find(
      (e) => e.action === 'RESIDENT_ERASED' && e.after?.findingId === referredId,
    );
    expect(erasure).toMatchObject({
      actor: 'retention',
      after: { reason: 'RETENTION', eraseAfter, residentCommitment: item.residentSeal!.commitment },
    });
    expect((await verifyTrail()).ok).toBe(true);
    const record = await rawItem(keys.findingAuditRecord(activityId, referredId));
    expect(record!.contentHash).toBe(findingContentHash(item));
    const sealed = events.find((e) => e.action === 'FINDINGS_SEALED');
    const records = await ddbDoc().send(
      new QueryCommand({
        TableName: tableName(),
        ...toQueryParams(keys.findingAuditRecordsOfActivity(activityId)),
        ConsistentRead: true,
      }),
    );
    expect(sealDigest(records.Items ?? [])).toBe(sealed?.after?.digest);

    // A second run finds nothing left of it to erase.
    await runRetentionJob(eraseAfter);
    expect((await auditEvents(activityId)).length).toBe(events.length);
  }, 120_000);
});

describe('an older finding, recorded before the commitment', () => {
  it('keeps its version 1 record; erasure checks it one last time and the chain verifies', async () => {
    // As the table holds findings recorded before residentSeal existed: the audit record's
    // content hash covers the raw name and contact.
    const id = newId();
    const fid = newId();
    const legacy: FindingItem = {
      ...keys.finding(id, fid),
      entity: 'FINDING',
      id: fid,
      activityId: id,
      kind: 'PROBLEM',
      category: 'DRAINAGE',
      description: `旧记录 ${RUN}`,
      place: '文冲村',
      raisedBy: {
        resident: { name: `旧居民${RUN}`, contact: `137${DIGITS}`, consentToContact: false },
      },
      recordedBy: `org-privacy-${RUN}`,
      recordedAt: new Date().toISOString(),
      needsReferral: false,
    };
    const put = (Item: Record<string, unknown>) =>
      ddbDoc().send(new PutCommand({ TableName: tableName(), Item }));
    await put({
      ...keys.activity(id),
      entity: 'ACTIVITY',
      id,
      title: `旧活动 ${RUN}`,
      street: 'WENCHONG',
      status: 'COMPLETED',
      startsAt: legacy.recordedAt,
      auditSeq: 0,
      auditHash: GENESIS_HASH,
    });
    await put(legacy as unknown as Record<string, unknown>);
    const record = findingAuditRecord(legacy);
    expect(record).not.toHaveProperty('contentHashVersion');
    await put(record);

    const res = await organiser.post(`/activities/${id}/findings/${fid}/resident/erasure`, {
      reason: '居民来函要求删除',
    });
    expect(res.status, res.text).toBe(200);
    const events = await auditEvents(id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'RESIDENT_ERASED',
      after: { findingId: fid, reason: 'REQUEST', legacyContentHashMatched: true },
    });
    expect(events[0]!.after).not.toHaveProperty('residentCommitment');
    const verify = await auditor.get<{ ok: boolean; checked: number }>(
      `/audit/activities/${id}/verify`,
    );
    expect(verify.json).toMatchObject({ ok: true, checked: 1 });
    const erased = await rawItem(keys.finding(id, fid));
    expect((erased!.raisedBy as { resident: unknown }).resident).toEqual({
      consentToContact: false,
    });
    // Its record is never rewritten: it still holds the version 1 hash.
    expect(await rawItem(keys.findingAuditRecord(id, fid))).toMatchObject({
      contentHash: record.contentHash,
    });
  });
});

describe('a cancelled activity', () => {
  it('starts its residents’ retention at the cancellation', async () => {
    const id = await scheduleActivity(organiser, {
      title: `取消的活动 ${RUN}`,
      street: 'WENCHONG',
      invitedDeputyIds: [DEPUTY],
    });
    await openCheckIn(organiser, id);
    const findingId = await recordFinding(organiser, id, {
      description: `取消前记录 ${RUN}`,
      resident: { name: `取消居民${RUN}`, consentToContact: false },
    });
    const cancelled = await organiser.post(`/activities/${id}/cancel`, { reason: '暴雨预警' });
    expect(cancelled.status, cancelled.text).toBeLessThan(300);
    const activity = await rawItem(keys.activity(id));
    const at = (activity!.cancellation as { at: string }).at;
    const eraseAfter = retainedFrom(at);
    expect(await rawItem(keys.finding(id, findingId))).toMatchObject({
      eraseAfter,
      retentionFrom: { at, cause: 'ACTIVITY_CANCELLED' },
      ...keys.residentErasureDue(eraseAfter, id, findingId),
    });
  });
});
