// Integration: the calendar events the invitees get, read back from the local SES store (the
// MIME message parsed by the store, its .ics by ical.js): the invitation carries METHOD:REQUEST,
// the cancellation METHOD:CANCEL of the same event with a higher SEQUENCE.
import { describe, expect, it } from 'vitest';
import { DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import type { SentMail } from '../../infra/local/ses';
import { parseCalendar } from '../support/calendar';
import { api } from './support/api';
import { deputyEmail, mailAbout } from './support/aws';
import { activityAtStep, eventually } from './support/activity';

const RUN = Date.now().toString(36);
const organiser = api({ role: 'organiser', sub: 'org-calendar' });

/** The calendar file of a mail, parsed. */
const calendarOf = (mail: SentMail, filename: string) => {
  const file = mail.attachments?.find((a) => a.filename === filename);
  if (!file) throw new Error(`no ${filename} in ${JSON.stringify(mail.attachments)}`);
  return parseCalendar(Buffer.from(file.content, 'base64').toString('utf8'));
};

describe('calendar events in the invitees’ mail', () => {
  it('the invitation carries the request, the cancellation cancels the same event', async () => {
    const invitees = [DEMO_DEPUTY_IDS.national, DEMO_DEPUTY_IDS.wenchong];
    const title = `日历测试，河涌；整治 ${RUN}`;
    const startsAt = new Date(Date.now() + 86_400_000).toISOString();
    const endsAt = new Date(Date.now() + 86_400_000 + 2 * 3600_000).toISOString();
    const id = await activityAtStep(organiser, 'START', {
      title,
      location: '文冲街道文冲村',
      startsAt,
      endsAt,
      invitedDeputyIds: invitees,
    });

    const invitations = await eventually(
      () => mailAbout(title, '活动邀请'),
      (mail) => mail.length === invitees.length,
    );
    for (const mail of invitations) {
      const [to] = mail.destination.to;
      const event = calendarOf(mail, 'invite.ics');
      expect(event).toMatchObject({
        method: 'REQUEST',
        uid: `${id}@liandong.activities`,
        sequence: 0,
        summary: title,
        location: '文冲街道文冲村',
        status: 'CONFIRMED',
        start: new Date(Date.parse(startsAt) - (Date.parse(startsAt) % 1000)).toISOString(),
        startZone: 'Asia/Shanghai',
        organizer: expect.stringMatching(/^mailto:/),
      });
      expect(event.attendee).toBe(`mailto:${to}`);
      // The Chinese body survived the raw path.
      expect(mail.body.text).toContain(title);
    }
    expect(invitations.flatMap((m) => m.destination.to).sort()).toEqual(
      invitees.map(deputyEmail).sort(),
    );

    const cancelled = await organiser.post(`/activities/${id}/cancel`, { reason: '台风预警' });
    expect(cancelled.status, cancelled.text).toBe(200);
    const notices = await eventually(
      () => mailAbout(title, '活动取消'),
      (mail) => mail.length === invitees.length,
    );
    for (const mail of notices) {
      expect(calendarOf(mail, 'cancel.ics')).toMatchObject({
        method: 'CANCEL',
        status: 'CANCELLED',
        uid: `${id}@liandong.activities`,
        sequence: 1,
      });
    }
  });
});
