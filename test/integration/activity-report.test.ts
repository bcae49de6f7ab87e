// Integration test on the local cloud: a reception day run to COMPLETED (a two-seat deputy, a
// referred finding and one answered on the spot), then its report page (情况报告) as auditor,
// as the street's organiser, as another street's organiser and as a deputy; the page after the
// referral closes; the completion email in the local SES store, once per organiser mailbox,
// and nothing new when the step runs again.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sendActivityReport } from '../../functions/audit-report/send';
import { keys } from '../../functions/shared/data/keys';
import { DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import { templatePath } from '../../infra/local/template';
import {
  activityExecutionArn,
  checkIn,
  closeReferralAtDepartment,
  completedActivity,
  describeExecution,
  eventually,
  rawItem,
  recordFinding,
  scheduleActivity,
  waitForExecutionEnd,
} from './support/activity';
import { api, deputyApi } from './support/api';
import { ddbDoc, sentMail, sesClient } from './support/aws';
import { tableName } from './support/cloud';
import { ownRouting } from './support/reference';

const RUN = Date.now().toString(36);
const DEPARTMENT_NAME = `测试水务局<i>${RUN}</i>`;
const ROUTING = ownRouting('activity-report', {
  department: { name: DEPARTMENT_NAME, email: 'drainage@departments.example.org' },
  committee: { name: '大沙街道工委', email: 'dasha@committees.example.org' },
});
const { street: STREET, category: CATEGORY } = ROUTING;
const DEPARTMENT = ROUTING.department.id;
const COMMITTEE = ROUTING.committee.id;
const TWO_SEATS = DEMO_DEPUTY_IDS.municipalAndDistrict;
const DISTRICT = DEMO_DEPUTY_IDS.district;
// Markup in the title: the page and the email must show it as text.
const TITLE = `代表接待日<script>alert(1)</script> ${RUN}`;
const ESCAPED_TITLE = `代表接待日&lt;script&gt;alert(1)&lt;/script&gt; ${RUN}`;

const organiser = api({ role: 'organiser', sub: `org-report-${RUN}`, street: '大沙' });
const otherStreetOrganiser = api({
  role: 'organiser',
  sub: `org-report-xg-${RUN}`,
  street: '夏港',
});
const auditor = api({ role: 'auditor', sub: `aud-report-${RUN}` });

/** The environment the stack gave SendActivityReportFunction (the synthesized template). */
const reportFunctionEnv = (): Record<string, unknown> => {
  const template = JSON.parse(readFileSync(templatePath('cdk.out'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  };
  const [, fn] = Object.entries(template.Resources).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && id.startsWith('SendActivityReportFunction'),
  )!;
  return (fn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
};

const reportMail = async () =>
  (await sentMail()).filter((m) => m.subject.includes('情况报告') && m.subject.includes(RUN));

let activityId = '';
let referralId = '';
let mailboxes: string[] = [];
const path = () => `/audit/activities/${activityId}/report`;

describe('activity report (情况报告)', () => {
  beforeAll(async () => {
    mailboxes = String(reportFunctionEnv().ORGANISER_EMAILS ?? '')
      .split(',')
      .filter(Boolean);
    await ROUTING.seed();

    let asked = '';
    const completed = await completedActivity(
      organiser,
      COMMITTEE,
      {
        title: TITLE,
        type: 'RECEPTION_DAY',
        street: STREET,
        location: '大沙人大代表联络站',
        liaisonStations: ['大沙人大代表联络站', '横沙社区联络点'],
        invitedDeputyIds: [TWO_SEATS, DISTRICT],
      },
      {
        whileOpen: async (id) => {
          await checkIn([deputyApi(TWO_SEATS), deputyApi(DISTRICT)], id);
          await recordFinding(deputyApi(TWO_SEATS), id, {
            category: CATEGORY,
            description: '横沙村道暴雨积水',
            place: '横沙村',
          });
          asked = await recordFinding(deputyApi(DISTRICT), id, {
            kind: 'CONSULTATION',
            category: 'OTHER',
            description: '询问网上联络站用法',
            place: '大沙人大代表联络站',
            needsReferral: false,
          });
        },
        decide: async (id) => {
          const decided = await organiser.post(`/activities/${id}/review/decisions`, {
            decisions: [
              {
                findingId: asked,
                decision: 'ANSWER_DIRECTLY',
                answer: '已现场演示',
                reason: '咨询类',
              },
            ],
          });
          expect(decided.status, decided.text).toBe(200);
        },
      },
    );
    activityId = completed.id;
    referralId = completed.review.referrals.find((r) => r.departmentId === DEPARTMENT)!.id;
    // The execution ends after SendActivityReport, which follows the completion.
    await waitForExecutionEnd(activityExecutionArn(activityId));
  }, 240_000);

  it('ends the execution as SUCCEEDED after SendActivityReport', async () => {
    const execution = await describeExecution(activityExecutionArn(activityId));
    expect(execution.status).toBe('SUCCEEDED');
    expect(JSON.parse(execution.output ?? '{}')).toMatchObject({
      activityId,
      recipients: mailboxes.length,
    });
  });

  it('shows the auditor the figures: attendance by level, findings, referrals', async () => {
    const res = await auditor.get(path());
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = res.text;
    expect(html).not.toContain('<script>');
    expect(html).toContain(ESCAPED_TITLE);
    expect(html).toContain('代表接待日'); // the type in Chinese
    expect(html).toContain('大沙街道');
    expect(html).toContain('横沙社区联络点');
    // dep-0015 sits at two levels: MUNICIPAL 1, DISTRICT 2 person-times, 2 deputies in total.
    expect(html).toContain('各级代表出席 <strong>2</strong> 人');
    expect(html).toContain(
      '<desc id="levels-desc">全国：0；省：0；市：1；区：2；镇/街道：0</desc>',
    );
    expect(html).toContain('共收集问题和意见建议 <strong>2</strong> 件');
    expect(html).toContain(
      '<desc id="kinds-desc">问题：1；意见建议：0；检查发现问题：0；咨询：1</desc>',
    );
    expect(html).toContain('排水防涝');
    expect(html).toMatch(
      /<desc id="decisions-desc">转交办理：1；合并办理：0；当场答复：1；不予转办：0<\/desc>/,
    );
    // The department's name is reference data: escaped too.
    expect(html).toContain(`测试水务局&lt;i&gt;${RUN}&lt;/i&gt;`);
    expect(html).toMatch(
      /<desc id="outcomes-desc">已转交：1；已签收：0；已答复：0；已解决：0；逾期：0；退回：0；已办结：0<\/desc>/,
    );
  });

  it('shows the organiser of the street the same report', async () => {
    const res = await organiser.get(path());
    expect(res.status, res.text).toBe(200);
    expect(res.text).toContain(ESCAPED_TITLE);
  });

  it('gives another street’s organiser 404 and no figure; a deputy 403', async () => {
    const other = await otherStreetOrganiser.get(path());
    expect(other.status).toBe(404);
    expect(other.text).not.toContain(RUN);
    expect(other.text).not.toContain('<desc');
    expect(other.text).toBe(
      (await otherStreetOrganiser.get(`/audit/activities/${'0'.repeat(26)}/report`)).text.replace(
        '0'.repeat(26),
        activityId,
      ),
    );
    const asDeputy = await deputyApi(TWO_SEATS).get(path());
    expect(asDeputy.status).toBe(403);
    expect(asDeputy.text).not.toContain(RUN);
  });

  it('answers 404 naming the status for an activity that has not ended', async () => {
    const pending = await scheduleActivity(organiser, { street: STREET, title: `未开始 ${RUN}` });
    const res = await auditor.get(`/audit/activities/${pending}/report`);
    expect(res.status).toBe(404);
    expect(res.text).toMatch(/no report yet: it is (SCHEDULED|INVITATIONS_SENT)/);
  });

  it('emails the report to each organiser mailbox exactly once', async () => {
    expect(mailboxes.length).toBeGreaterThan(0);
    const mail = await eventually(reportMail, (m) => m.length >= mailboxes.length, 30_000);
    expect(mail.flatMap((m) => m.destination.to).sort()).toEqual([...mailboxes].sort());
    const [first] = mail;
    expect(first!.subject).not.toMatch(/[\r\n]/);
    expect(first!.body.html).not.toContain('<script>');
    expect(first!.body.html).not.toContain('<svg');
    expect(first!.body.html).toContain(ESCAPED_TITLE);
    expect(first!.body.text).toContain('各级代表出席 2 人');
    expect(first!.body.text).toContain('  区：2');
  });

  it('sends nothing new when the step runs again', async () => {
    const env = reportFunctionEnv();
    const again = await sendActivityReport(
      {
        db: ddbDoc(),
        ses: sesClient(),
        tableName: tableName(),
        senderEmail: String(env.SENDER_EMAIL),
        configurationSet: 'LiandongMail',
        organiserEmails: mailboxes,
      },
      activityId,
    );
    expect(again).toMatchObject({ sentNow: 0, alreadySent: mailboxes.length });
    expect(await reportMail()).toHaveLength(mailboxes.length);
  });

  it('reflects the referral’s outcome after it closes', async () => {
    await closeReferralAtDepartment(organiser, referralId);
    await eventually(
      () => rawItem(keys.referral(referralId)),
      (item) => item?.status === 'CLOSED_BY_COMMITTEE' && item.closedAt !== undefined,
      60_000,
    );
    const res = await auditor.get(path());
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/<desc id="outcomes-desc">已转交：1；[^<]*已办结：1<\/desc>/);
  });
});
