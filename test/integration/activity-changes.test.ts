// Integration: PATCH /activities/{id} on the local cloud. The change is one transaction with its
// audit event; the workflow's start wait (a task token with TimeoutSecondsPath) follows the new
// time; each invitee gets what the change means for them, once: a change notice with the
// calendar update, an invitation, a withdrawal with METHOD:CANCEL (read from the SES store,
// the .ics parsed by ical.js).
import { describe, expect, it } from 'vitest';
import { verifyChain } from '../../functions/shared/data/audit';
import { DEMO_DEPUTY_IDS } from '../../infra/local/seed';
import type { SentMail } from '../../infra/local/ses';
import { parseCalendar } from '../support/calendar';
import { api } from './support/api';
import { deputyEmail, mailAbout } from './support/aws';
import {
  activityAtStep,
  activityItem,
  auditEvents,
  eventually,
  inSeconds,
  readActivity,
  sleep,
  waitForStatus,
} from './support/activity';

const RUN = Date.now().toString(36);
const organiser = api({ role: 'organiser', sub: 'org-changes' });
const STAYS = DEMO_DEPUTY_IDS.national;
const REMOVED = DEMO_DEPUTY_IDS.wenchong;
const ADDED = DEMO_DEPUTY_IDS.municipal;

const calendarOf = (mail: SentMail, filename: string) => {
  const file = mail.attachments?.find((a) => a.filename === filename);
  if (!file) throw new Error(`no ${filename} in ${mail.subject}`);
  return parseCalendar(Buffer.from(file.content, 'base64').toString('utf8'));
};

const patch = (id: string, body: unknown) =>
  organiser.request<{
    activity: { revision: number; startsAt: string; location: string; invitedCount: number };
    changed: string[];
  }>('PATCH', `/activities/${id}`, { body });

describe('PATCH /activities/{id}', () => {
  it('moves the start, tells each invitee what it means for them, once', async () => {
    const title = `变更测试 ${RUN}`;
    const id = await activityAtStep(organiser, 'START', {
      title,
      startsAt: inSeconds(3600),
      endsAt: inSeconds(3 * 3600),
      invitedDeputyIds: [STAYS, REMOVED],
    });
    await eventually(
      () => mailAbout(title, '活动邀请：'),
      (mail) => mail.length === 2,
    );

    // The new start is close: the workflow must wait for it, not for the old one an hour away.
    const startsAt = inSeconds(12);
    const res = await patch(id, {
      startsAt,
      endsAt: inSeconds(2 * 3600),
      location: '文冲街道党群服务中心三楼',
      addDeputyIds: [ADDED],
      removeDeputyIds: [REMOVED],
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json.activity).toMatchObject({
      revision: 1,
      startsAt,
      location: '文冲街道党群服务中心三楼',
      invitedCount: 2,
    });
    expect(res.json.changed).toEqual(['startsAt', 'endsAt', 'location']);

    // One chained event, in the same transaction as the change.
    const events = await auditEvents(id);
    expect(verifyChain(events)).toMatchObject({ ok: true });
    const changeEvent = events.find((e) => e.action === 'ACTIVITY_CHANGED');
    expect(changeEvent).toMatchObject({
      actor: 'org-changes',
      after: {
        revision: 1,
        startsAt,
        addedDeputyIds: [ADDED],
        removedDeputyIds: [REMOVED],
      },
    });
    expect(await activityItem(id)).toMatchObject({ revision: 1, startsAt, invitedCount: 2 });

    // The one who stays: a change notice with the update (SEQUENCE 1, new place and time).
    const [notice] = await eventually(
      () => mailAbout(title, '活动变更'),
      (mail) => mail.length >= 1,
    );
    expect(notice!.destination.to).toEqual([deputyEmail(STAYS)]);
    expect(notice!.body.text).toContain('文冲街道党群服务中心三楼');
    expect(calendarOf(notice!, 'invite.ics')).toMatchObject({
      method: 'REQUEST',
      uid: `${id}@liandong.activities`,
      sequence: 1,
      location: '文冲街道党群服务中心三楼',
      start: new Date(Math.floor(Date.parse(startsAt) / 1000) * 1000).toISOString(),
    });
    // The one added: an invitation with the request of the current revision.
    const invitations = await eventually(
      () => mailAbout(title, '活动邀请：'),
      (mail) => mail.length === 3,
    );
    const added = invitations.filter((m) => m.destination.to.includes(deputyEmail(ADDED)));
    expect(added).toHaveLength(1);
    expect(calendarOf(added[0]!, 'invite.ics')).toMatchObject({ method: 'REQUEST', sequence: 1 });
    // The one removed: a withdrawal that takes the event out of their calendar.
    const [withdrawal] = await eventually(
      () => mailAbout(title, '活动邀请撤回'),
      (mail) => mail.length >= 1,
    );
    expect(withdrawal!.destination.to).toEqual([deputyEmail(REMOVED)]);
    expect(calendarOf(withdrawal!, 'cancel.ics')).toMatchObject({
      method: 'CANCEL',
      uid: `${id}@liandong.activities`,
    });

    // The workflow follows the new time: check-in opens at it, by the wait's own timeout.
    const opened = await waitForStatus(organiser, id, 'CHECK_IN_OPEN', 40_000);
    const openedAt = (await activityItem(id)).checkInOpenedAt as string;
    expect(Date.parse(openedAt)).toBeGreaterThanOrEqual(Date.parse(startsAt) - 1000);
    expect(opened.status).toBe('CHECK_IN_OPEN');

    // Nothing was sent twice; after the start, a change is refused and changes nothing.
    await sleep(300);
    expect(await mailAbout(title, '活动变更')).toHaveLength(1);
    expect(await mailAbout(title, '活动邀请撤回')).toHaveLength(1);
    const before = await activityItem(id);
    const late = await patch(id, { location: '太晚了' });
    expect(late.status, late.text).toBe(409);
    expect(await activityItem(id)).toEqual(before);
  });

  it('refuses bad input with every problem named, and changes nothing', async () => {
    const id = await activityAtStep(organiser, 'START', { title: `变更校验 ${RUN}` });
    const before = await activityItem(id);
    const cases: [unknown, RegExp][] = [
      [{}, /at least one/],
      [{ startsAt: inSeconds(-60) }, /startsAt.*future/s],
      [{ addDeputyIds: ['dep-0001'] }, /already invited/],
      [{ removeDeputyIds: ['dep-0005'] }, /not invited/],
      [{ addDeputyIds: [DEMO_DEPUTY_IDS.inactive] }, /not active/],
      [{ addDeputyIds: ['dep-0005'], removeDeputyIds: ['dep-0005'] }, /named twice/],
      [{ location: 'x', colour: 'red' }, /colour/],
    ];
    for (const [body, message] of cases) {
      const res = await patch(id, body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(422);
      expect(res.text).toMatch(message);
    }
    const other = api({ role: 'organiser', sub: 'org-other', street: 'HUANGPU' });
    const foreign = await other.request('PATCH', `/activities/${id}`, { body: { location: 'x' } });
    expect(foreign.status).toBe(404);
    expect(await activityItem(id)).toEqual(before);
    expect((await readActivity(organiser, id)).status).toBe('INVITATIONS_SENT');
  });
});
