// Integration: the reminder before the start (REMINDER_LEAD_SECONDS, 24 h as synthesized). An
// activity scheduled 24 h and a few seconds ahead reaches its reminder time in seconds: the
// workflow's wait for the reminder ends, SendReminders emails those who accepted or have not
// answered (not who declined), once each, and the workflow waits for the start again.
import { describe, expect, it } from 'vitest';
import { DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import { parseCalendar } from '../support/calendar';
import { api, deputyApi } from './support/api';
import { deputyEmail, sentMail } from './support/aws';
import {
  activityAtStep,
  answerInvitation,
  auditEvents,
  eventually,
  inSeconds,
  readActivity,
  sleep,
} from './support/activity';

const RUN = Date.now().toString(36);
const organiser = api({ role: 'organiser', sub: 'org-reminders' });
const DAY_SECONDS = 24 * 3600;

describe('reminders', () => {
  it('reminds who accepted or has not answered, once each, at the lead time before the start', async () => {
    const title = `提醒测试 ${RUN}`;
    const [accepts, silent, declines] = [
      DEMO_DEPUTY_IDS.national,
      DEMO_DEPUTY_IDS.wenchong,
      DEMO_DEPUTY_IDS.municipal,
    ];
    const id = await activityAtStep(organiser, 'START', {
      title,
      startsAt: inSeconds(DAY_SECONDS + 15),
      endsAt: inSeconds(DAY_SECONDS + 3 * 3600),
      invitedDeputyIds: [accepts, silent, declines],
    });
    await answerInvitation([deputyApi(accepts)], id, 'ACCEPTED');
    await answerInvitation([deputyApi(declines)], id, 'DECLINED');
    // Before the reminder time: no reminder yet.
    const reminders = () =>
      sentMail().then((mail) =>
        mail.filter((m) => m.subject.includes(title) && m.subject.includes('活动提醒')),
      );
    expect(await reminders()).toHaveLength(0);

    const sent = await eventually(reminders, (mail) => mail.length >= 2, 40_000);
    expect(sent.flatMap((m) => m.destination.to).sort()).toEqual(
      [deputyEmail(accepts), deputyEmail(silent)].sort(),
    );
    const file = sent[0]!.attachments?.find((a) => a.filename === 'invite.ics');
    expect(parseCalendar(Buffer.from(file!.content, 'base64').toString('utf8'))).toMatchObject({
      method: 'REQUEST',
      uid: `${id}@liandong.activities`,
    });

    // Recorded once on the chain; the workflow waits for the start again, nothing sent twice.
    const events = await eventually(
      () => auditEvents(id),
      (list) => list.filter((e) => e.action === 'AWAITING_START').length >= 2,
    );
    expect(events.filter((e) => e.action === 'REMINDERS_SENT')).toHaveLength(1);
    expect(events.find((e) => e.action === 'REMINDERS_SENT')).toMatchObject({
      after: { recipients: 2, sent: 2, failed: 0 },
    });
    await sleep(1000);
    expect(await reminders()).toHaveLength(2);
    expect((await readActivity(organiser, id)).pendingTask?.phase).toBe('START');
  });
});
