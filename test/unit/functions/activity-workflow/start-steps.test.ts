// unit test: the steps around the start wait (PlanStart, SendReminders, SendChangeNotices),
// SDK mocked with aws-sdk-client-mock
import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { simpleParser } from 'mailparser';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  plannedEmails,
  planStart,
  sendReminders,
} from '../../../../functions/activity-workflow/start-steps.js';
import type { ActivityItem, InvitationItem } from '../../../../functions/shared/data/items.js';
import { keys } from '../../../../functions/shared/data/keys.js';
import {
  renderChangeNoticeEmail,
  renderWithdrawalEmail,
} from '../../../../functions/shared/email/activity-notices.js';
import { parseCalendar } from '../../../support/calendar.js';
import { mailDeps, mockAws, sentRawEmails } from '../../../support/aws.js';
import { activityItem } from '../../../support/items.js';
import { TABLE, setTestEnv } from '../helpers.js';

// The district the emails name (the demo's), as every handler's container has it.
setTestEnv();

const { doc, ses } = mockAws('doc', 'ses');

const ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';
const NOW = new Date('2020-08-17T00:00:00.000Z');
const DAY = 24 * 3600;

const activity = (overrides: Partial<ActivityItem> = {}): ActivityItem =>
  activityItem(ID, {
    startsAt: '2020-08-18T09:00:00+08:00', // 2020-08-18T01:00Z: 25 h after NOW
    endsAt: '2020-08-18T12:00:00+08:00',
    createdAt: '2020-08-10T00:00:00.000Z',
    updatedAt: '2020-08-10T00:00:00.000Z',
    ...overrides,
  });

let current: ActivityItem;
let changes: Record<string, unknown>[];
/** Deputies whose record prefers English (the others name no language). */
let englishDeputies: Set<string>;
const invitation = (deputyId: string, response?: 'ACCEPTED' | 'DECLINED'): InvitationItem => ({
  ...keys.invitation(ID, deputyId),
  ownerPk: `DEPUTY#${deputyId}`,
  ownerSk: 'x',
  entity: 'INVITATION',
  activityId: ID,
  deputyId,
  invitedAt: 'x',
  ...(response ? { response } : {}),
});

const deps = (now = NOW) => ({
  ...mailDeps(),
  now: () => now,
});

beforeEach(() => {
  current = activity();
  changes = [];
  englishDeputies = new Set();
  doc
    .on(GetCommand)
    .callsFake((input: { Key: { sk: string } }) =>
      input.Key.sk === 'ACTIVITY' ? { Item: current } : {},
    );
  doc.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => {
    const prefix = Object.values(input.ExpressionAttributeValues).find((v) => v.endsWith('#'));
    if (prefix === 'CHANGE#') return { Items: changes };
    return {
      Items: [
        invitation('dep-0001', 'ACCEPTED'),
        invitation('dep-0041'),
        invitation('dep-0030', 'DECLINED'),
      ],
    };
  });
  doc
    .on(BatchGetCommand)
    .callsFake((input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => ({
      Responses: {
        [TABLE]: input.RequestItems[TABLE]!.Keys.map(({ pk }) => {
          const id = pk.replace('DEPUTY#', '');
          const language = englishDeputies.has(id) ? { language: 'en' } : {};
          return {
            id,
            name: `代表${id}`,
            email: `${id}@deputies.example.cn`,
            active: true,
            ...language,
          };
        }),
      },
    }));
  doc.on(UpdateCommand).resolves({});
  doc.on(TransactWriteCommand).resolves({});
  let n = 0;
  ses.on(SendRawEmailCommand).callsFake(() => ({ MessageId: `m-${++n}` }));
});

describe('planStart', () => {
  it('waits for the reminder time, then reminds, then waits for the start', async () => {
    const lead = DAY;
    expect(await planStart(deps(), ID, lead)).toEqual({
      activityId: ID,
      revision: 0,
      next: 'AWAIT_REMINDER',
      secondsToWait: 3600,
      secondsUntilStart: 25 * 3600,
    });
    const atReminder = new Date(NOW.getTime() + 3600_000);
    expect((await planStart(deps(atReminder), ID, lead)).next).toBe('REMIND');
    current = activity({ remindersSentAt: atReminder.toISOString() } as Partial<ActivityItem>);
    expect(await planStart(deps(atReminder), ID, lead)).toMatchObject({
      next: 'AWAIT_START',
      secondsToWait: DAY,
    });
  });

  it('sends no reminder for an activity scheduled within the lead time; follows a new revision', async () => {
    // Scheduled 16 h ahead, a lead of 24 h: the invitation was the reminder.
    current = activity({
      createdAt: '2020-08-16T20:00:00.000Z',
      startsAt: '2020-08-17T12:00:00.000Z',
      revision: 2,
    });
    expect(await planStart(deps(), ID, DAY)).toMatchObject({
      revision: 2,
      next: 'AWAIT_START',
      secondsToWait: 12 * 3600,
    });
  });

  it('sends the notices of a change not yet told first', async () => {
    changes = [{ revision: 1, changed: ['location'], added: [], removed: [] }];
    expect((await planStart(deps(), ID, DAY)).next).toBe('NOTIFY');
    changes = [{ revision: 1, noticesSentAt: 'x' }];
    expect((await planStart(deps(), ID, DAY)).next).toBe('AWAIT_REMINDER');
  });
});

describe('sendReminders', () => {
  it('reminds who accepted or did not answer, each under their own claim, then records it', async () => {
    expect(await sendReminders(deps(), ID)).toEqual({ activityId: ID, sent: 2, failed: 0 });
    const claims = doc
      .commandCalls(UpdateCommand)
      .map((c) => c.args[0].input.Key!.pk as string)
      .filter((pk) => pk.startsWith('EMAIL#'));
    expect(claims.sort()).toEqual(
      [
        keys.emailClaim(keys.activityEmailClaimKey(ID, 'dep-0001', 'REMINDER')).pk,
        keys.emailClaim(keys.activityEmailClaimKey(ID, 'dep-0041', 'REMINDER')).pk,
      ].sort(),
    );
    const mails = await sentRawEmails(ses);
    expect(mails.map((m) => m.subject)).toEqual([
      '【黄埔区人大】活动提醒：河涌整治专题调研',
      '【黄埔区人大】活动提醒：河涌整治专题调研',
    ]);
    const audit = doc
      .commandCalls(TransactWriteCommand)
      .flatMap((c) => c.args[0].input.TransactItems!)
      .find((item) => item.Put?.Item?.action === 'REMINDERS_SENT');
    expect(audit?.Put?.Item).toMatchObject({ after: { recipients: 2, sent: 2, failed: 0 } });
  });

  it("reminds each deputy in the deputy's language, the calendar event too", async () => {
    // dep-0041 prefers English; dep-0001 names no language (Chinese, the default).
    englishDeputies = new Set(['dep-0041']);
    await sendReminders(deps(), ID);
    const mails = await sentRawEmails(ses);
    const to = (id: string) => mails.find((m) => m.to && JSON.stringify(m.to).includes(id))!;
    expect(to('dep-0041').subject).toBe(
      "[Huangpu District People's Congress] Reminder: 河涌整治专题调研",
    );
    expect(to('dep-0041').text).toContain('Dear Deputy 代表dep-0041,');
    expect(to('dep-0001').subject).toBe('【黄埔区人大】活动提醒：河涌整治专题调研');
    const organiser = (id: string) =>
      parseCalendar(
        to(id)
          .attachments.find((a) => a.filename === 'invite.ics')!
          .content.toString('utf8'),
      ).organizerName;
    expect(organiser('dep-0041')).toBe(DEMO_JURISDICTION.district.standingCommittee.en);
    expect(organiser('dep-0001')).toBe(DEMO_JURISDICTION.district.standingCommittee.zh);
  });

  it('does nothing once reminders are recorded, or after the start wait', async () => {
    current = activity({ remindersSentAt: 'x' } as Partial<ActivityItem>);
    expect(await sendReminders(deps(), ID)).toMatchObject({ sent: 0 });
    current = activity({ status: 'CHECK_IN_OPEN' });
    expect(await sendReminders(deps(), ID)).toMatchObject({ sent: 0 });
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });
});

describe('change notices', () => {
  it('plans a withdrawal, an invitation and a notice to each of the others', () => {
    const invited = new Set(['dep-0001', 'dep-0030']);
    expect(
      plannedEmails({ changed: ['startsAt'], added: ['dep-0030'], removed: ['dep-0041'] }, invited),
    ).toEqual([
      { deputyId: 'dep-0041', kind: 'WITHDRAWAL' },
      { deputyId: 'dep-0030', kind: 'INVITATION' },
      { deputyId: 'dep-0001', kind: 'CHANGE' },
    ]);
    // Invitees only: no notice to the others when nothing they see changed.
    expect(plannedEmails({ changed: [], added: ['dep-0030'], removed: [] }, invited)).toEqual([
      { deputyId: 'dep-0030', kind: 'INVITATION' },
    ]);
    // Removed, then added back by a later change: not withdrawn.
    expect(plannedEmails({ changed: [], added: [], removed: ['dep-0001'] }, invited)).toEqual([]);
  });

  it('names what changed and speaks the deputy’s language', () => {
    const zh = renderChangeNoticeEmail(
      activity({ language: 'en' }),
      { name: '李明' },
      ['startsAt', 'endsAt', 'location'],
      'zh',
      DEMO_JURISDICTION,
    );
    expect(zh.subject).toBe('【黄埔区人大】活动变更：河涌整治专题调研');
    expect(zh.text).toContain('有变更（时间、地点）');
    const enChange = renderChangeNoticeEmail(
      activity(),
      { name: 'Li' },
      ['startsAt', 'location'],
      'en',
      DEMO_JURISDICTION,
    );
    expect(enChange.subject).toBe("[Huangpu District People's Congress] Changed: 河涌整治专题调研");
    expect(enChange.text).toContain('has changed (time, place)');
    expect(enChange.text).not.toMatch(/尊敬的|活动时间|北京时间/);
    const en = renderWithdrawalEmail(
      activity({ title: '<b>x</b>' }),
      { name: 'Li' },
      'en',
      DEMO_JURISDICTION,
    );
    expect(en.subject).toMatch(/^\[Huangpu District People's Congress\] Invitation withdrawn: /);
    expect(en.html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(en.html).not.toContain('<b>x</b>');
  });

  it('sends the reminder with the calendar event of the current revision', async () => {
    current = activity({ revision: 3 });
    await sendReminders(deps(), ID);
    const mail = await simpleParser(
      Buffer.from(ses.commandCalls(SendRawEmailCommand)[0]!.args[0].input.RawMessage!.Data!),
    );
    const ics = mail.attachments.find((a) => a.filename === 'invite.ics')!;
    expect(parseCalendar(ics.content.toString('utf8'))).toMatchObject({
      method: 'REQUEST',
      sequence: 3,
    });
  });
});
