// Integration (issue 18): the chairmen's meeting merges two deputies' findings into one referral,
// and neither drops out of the loop (民有所呼、我有所应). On the local cloud, through the API, the
// workflows and the pages: the department's email and response page carry both findings (place
// and text), each deputy gets the feedback email with a rating link, each rates on a page that
// shows what they raised and who has rated so far, the referral closes when both have rated,
// and both duty records count the finding as referred, with the referral.
import { DEMO_JURISDICTION } from '../../infra/local/demo-jurisdiction';
import { beforeAll, describe, expect, it } from 'vitest';
import { referralReference } from '../../functions/shared/domain/letterhead';
import { DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import { keys } from '../../functions/shared/data/keys';
import {
  activityAtStep,
  completeReview,
  eventually,
  rawItem,
  recordFinding,
  referralAtDepartment,
  waitForStatus,
} from './support/activity';
import { api, deputyApi } from './support/api';
import { sentMail, type SentMail } from './support/aws';
import { department } from './support/referral';
import { cursorParam, readAllPages } from '../support/pages';

const RUN = Date.now().toString(36);
const TITLE = `垃圾分类专项调研 ${RUN}`;
const FIRST_DEPUTY = DEMO_DEPUTY_IDS.wenchong;
const SECOND_DEPUTY = DEMO_DEPUTY_IDS.town;
const COMMITTEE = 'cmte-urban-construction';

const organiser = api({ role: 'organiser', sub: `org-merge-${RUN}` });
const auditor = api({ role: 'auditor', sub: `aud-merge-${RUN}` });
const anonymous = api(null);

const FIRST = {
  kind: 'PROBLEM',
  category: 'GARBAGE_SORTING',
  description: `垃圾分类投放点满溢无人清运 ${RUN}`,
  place: '新龙镇福洞村东门投放点',
  needsReferral: true,
};
const SECOND = {
  kind: 'PROBLEM',
  category: 'GARBAGE_SORTING',
  description: `同一投放点夜间异味扰民 ${RUN}`,
  place: '福洞村东门投放点旁居民楼',
  needsReferral: true,
};

const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

const linkIn = (mail: SentMail, page: 'respond' | 'rate') => {
  const match = new RegExp(`/${page}/([A-Za-z0-9_.%-]+)`).exec(
    `${mail.body.text ?? ''} ${mail.body.html ?? ''}`,
  );
  expect(match, `a /${page}/ link in "${mail.subject}"`).not.toBeNull();
  return `/${page}/${decodeURIComponent(match![1]!)}`;
};

/** This run's mail to `address` whose subject says `subject` (other suites share the store). */
const mailTo = (address: string, subject: string) =>
  eventually(
    async () =>
      (await sentMail()).filter(
        (m) =>
          m.destination.to.includes(address) &&
          m.subject.includes(subject) &&
          m.subject.includes(RUN),
      ),
    (mail) => mail.length > 0,
    45_000,
  );

interface DutyRecordJson {
  summary: { findingsRaised: number; findingsReferred: number; referrals: number };
  findings: { findingId: string; decision: string | null; referralId: string | null }[];
  referrals: { referralId: string; status: string }[];
}

const year = () =>
  Number(new Date(Date.now() + 3600_000 + 8 * 3_600_000).toISOString().slice(0, 4));

/** The whole year's duty record (every page: other suites give these deputies activities too). */
const dutyRecord = async (deputyId: string): Promise<DutyRecordJson> => {
  const pages = await readAllPages(async (cursor) => {
    const res = await auditor.get<{ dutyRecord: DutyRecordJson & { nextCursor?: string } }>(
      `/audit/deputies/${deputyId}/duty-record?year=${year()}&limit=100${cursorParam(cursor)}`,
    );
    expect(res.status, res.text).toBe(200);
    return res.json.dutyRecord;
  });
  return {
    summary: pages[0]!.summary,
    findings: pages.flatMap((page) => page.findings),
    referrals: pages.flatMap((page) => page.referrals),
  };
};

describe('merged findings stay in the loop', () => {
  let trees: { id: string; email: string };

  beforeAll(async () => {
    trees = await department(`merge-${RUN}`);
  });

  it('two deputies, one merged referral: both seen, told, rating and counted', async () => {
    const before = {
      first: (await dutyRecord(FIRST_DEPUTY)).summary,
      second: (await dutyRecord(SECOND_DEPUTY)).summary,
    };

    // An activity with two deputies; each records a finding about the same collection point.
    // Check-in is opened, attendance and findings closed early (each asserted by the kit).
    let firstId = '';
    let secondId = '';
    const id = await activityAtStep(
      organiser,
      'REVIEW',
      // The kit's thematic research, an hour ahead, in Xinlong.
      {
        title: TITLE,
        street: 'XINLONG',
        location: '新龙镇福洞村',
        invitedDeputyIds: [FIRST_DEPUTY, SECOND_DEPUTY],
      },
      async (openId) => {
        await waitForStatus(organiser, openId, 'CHECK_IN_OPEN');
        firstId = await recordFinding(deputyApi(FIRST_DEPUTY), openId, FIRST);
        secondId = await recordFinding(deputyApi(SECOND_DEPUTY), openId, SECOND);
      },
    );

    // The chairmen's meeting: the first to this run's department, the second merged into it.
    type Review = { referrals: { id: string; departmentId: string; findingIds: string[] }[] };
    const decided = await organiser.post<Review>(`/activities/${id}/review/decisions`, {
      decisions: [
        { findingId: firstId, decision: 'REFER', departmentId: trees.id, reason: '属地清运' },
        { findingId: secondId, decision: 'MERGE', intoFindingId: firstId, reason: '同一投放点' },
      ],
    });
    expect(decided.status, decided.text).toBe(200);
    const referral = decided.json.referrals.find((r) => r.departmentId === trees.id)!;
    expect(referral.findingIds).toEqual([firstId, secondId].sort());
    // Nothing else is left to send: the triage's draft, if any, was emptied and dropped.
    expect(decided.json.referrals.map((r) => r.id)).toEqual([referral.id]);
    const approved = await completeReview(organiser, id, COMMITTEE);
    expect(approved.referrals.map((r) => r.id)).toEqual([referral.id]);
    expect(approved.approvedReferrals).toBe(1);
    await waitForStatus(organiser, id, 'COMPLETED', 45_000);

    // The department's email and page: both findings, place and text of each.
    const [referralMail] = await mailTo(trees.email, '代表意见建议转办');
    for (const text of [FIRST.description, FIRST.place, SECOND.description, SECOND.place]) {
      expect(referralMail!.body.text).toContain(text);
    }
    const respondPath = linkIn(referralMail!, 'respond');
    await referralAtDepartment(referral.id);
    const page = await anonymous.get(respondPath);
    expect(page.status).toBe(200);
    for (const text of [FIRST.description, FIRST.place, SECOND.description, SECOND.place]) {
      expect(page.text).toContain(text);
    }
    expect(page.text).toContain(referralReference(DEMO_JURISDICTION.district, referral.id, 'zh'));
    const replied = await anonymous.request(
      'POST',
      respondPath,
      form({ action: 'REPLY', result: 'RESOLVED', text: '已增加清运频次并清洗投放点' }),
    );
    expect(replied.status).toBe(200);

    // Both raisers are told, each with a rating link of their own.
    const deputies = await Promise.all(
      [FIRST_DEPUTY, SECOND_DEPUTY].map(async (deputyId) => {
        const item = (await rawItem(keys.deputy(deputyId)))!;
        return { id: deputyId, email: String(item.email), name: String(item.name) };
      }),
    );
    const feedback = await Promise.all(
      deputies.map(async (d) => (await mailTo(d.email, '您反映的问题已有答复'))[0]!),
    );
    const [firstRate, secondRate] = feedback.map((mail) => linkIn(mail, 'rate'));
    expect(firstRate).not.toBe(secondRate);
    await eventually(
      () => rawItem(keys.referral(referral.id)),
      (item) => (item?.pendingTask as { phase?: string } | undefined)?.phase === 'RATING',
    );

    // Each rating page says which finding is rated: the reader's own.
    const firstPage = await anonymous.get(firstRate!);
    expect(firstPage.text).toContain(FIRST.description);
    expect(firstPage.text).not.toContain(SECOND.description);
    const secondPage = await anonymous.get(secondRate!);
    expect(secondPage.text).toContain(SECOND.description);
    expect(secondPage.text).not.toContain(FIRST.description);

    // The first rates; the referral waits for the second, and the pages say so.
    expect(
      (await anonymous.request('POST', firstRate!, form({ rating: 'SATISFIED' }))).status,
    ).toBe(200);
    const waiting = await anonymous.get(secondRate!);
    expect(waiting.text).toContain(`提出人 2 位，已评价 1 位：代表 ${deputies[0]!.name}（`);
    expect(waiting.text).toContain('其余 1 位提出人可评价至');
    expect((await rawItem(keys.referral(referral.id)))?.status).toBe('REPLIED');

    expect(
      (await anonymous.request('POST', secondRate!, form({ rating: 'BASICALLY_SATISFIED' })))
        .status,
    ).toBe(200);
    const closed = await eventually(
      () => rawItem(keys.referral(referral.id)),
      (item) => item?.status === 'CLOSED',
      45_000,
    );
    expect(closed!.outcome).toMatchObject({
      result: 'RESOLVED',
      ratings: { SATISFIED: 1, BASICALLY_SATISFIED: 1, NOT_SATISFIED: 0 },
    });

    // Both duty records count the finding as referred, with the referral.
    for (const [deputyId, findingId, decision, was] of [
      [FIRST_DEPUTY, firstId, 'REFER', before.first],
      [SECOND_DEPUTY, secondId, 'MERGE', before.second],
    ] as const) {
      const record = await dutyRecord(deputyId);
      expect(record.findings).toContainEqual(
        expect.objectContaining({ findingId, decision, referralId: referral.id }),
      );
      expect(record.summary.findingsReferred).toBe(was.findingsReferred + 1);
      expect(record.summary.referrals).toBe(was.referrals + 1);
      expect(record.referrals).toContainEqual(
        expect.objectContaining({ referralId: referral.id, status: 'CLOSED' }),
      );
    }
  }, 180_000);
});
