// Integration: each email to a deputy is in that deputy's language, whatever the activity's. A
// guest deputy who prefers English (POST /deputies with `language: en`) and a roster deputy who
// names no language (Chinese) are invited to one Chinese activity; the invitation, its calendar
// event, the change notice and the withdrawal are read back from the local SES store, and the
// English invitation's personal link opens the deputy's page.
import { DEMO_JURISDICTION } from '../../infra/local/demo-jurisdiction';
import { describe, expect, it } from 'vitest';
import { DEMO_DEPUTY_IDS, DEMO_EMAIL_DOMAIN } from '../../infra/local/seed';
import type { SentMail } from '../../infra/local/ses';
import { parseCalendar } from '../support/calendar';
import { api } from './support/api';
import { sentMail } from './support/aws';
import { activityAtStep, eventually, inSeconds } from './support/activity';

const RUN = Date.now().toString(36);
const organiser = api({ role: 'organiser', sub: `org-language-${RUN}` });
const CHINESE = DEMO_DEPUTY_IDS.national;
const CHINESE_EMAIL = `${CHINESE}@${DEMO_EMAIL_DOMAIN}`;
const GUEST_EMAIL = `guest-en-${RUN}@example.org`;

const mailTo = async (address: string, title: string) =>
  (await sentMail()).filter((m) => m.destination.to.includes(address) && m.subject.includes(title));

const calendarOf = (mail: SentMail) => {
  const file = mail.attachments?.find((a) => a.filename?.endsWith('.ics'));
  if (!file) throw new Error(`no calendar file in ${mail.subject}`);
  return parseCalendar(Buffer.from(file.content, 'base64').toString('utf8'));
};

describe("emails in the deputy's language", () => {
  it('an English-preferring guest gets English, a deputy naming no language Chinese', async () => {
    const created = await organiser.post<{ deputy: { id: string } }>('/deputies', {
      name: `Guest ${RUN}`,
      email: GUEST_EMAIL,
      seats: [{ level: 'DISTRICT', body: '广州市白云区人民代表大会' }],
      guest: { district: '白云区' },
      language: 'en',
    });
    expect(created.status, created.text).toBe(201);
    const guest = created.json.deputy.id;

    const title = `语言测试 ${RUN}`;
    const id = await activityAtStep(organiser, 'START', {
      title,
      language: 'zh',
      startsAt: inSeconds(3 * 3600),
      endsAt: inSeconds(5 * 3600),
      invitedDeputyIds: [CHINESE, guest],
    });

    // The invitations: English to the guest (its calendar event too), Chinese to the other.
    const [english] = await eventually(
      () => mailTo(GUEST_EMAIL, title),
      (mail) => mail.length === 1,
    );
    expect(english!.subject).toBe(
      `${DEMO_JURISDICTION.district.subjectTag.en}Invitation: ${title}`,
    );
    expect(english!.body.text ?? '').toContain(`Dear Deputy Guest ${RUN},`);
    expect(english!.body.text ?? '').toContain('(China Standard Time)');
    expect(english!.body.text).not.toMatch(/尊敬的|北京时间|个人链接/);
    expect(english!.body.html).toContain('<html lang="en">');
    expect(calendarOf(english!)).toMatchObject({
      method: 'REQUEST',
      organizerName: DEMO_JURISDICTION.district.standingCommittee.en,
    });
    const [chinese] = await eventually(
      () => mailTo(CHINESE_EMAIL, title),
      (mail) => mail.length === 1,
    );
    expect(chinese!.subject).toBe(`${DEMO_JURISDICTION.district.subjectTag.zh}活动邀请：${title}`);
    expect(calendarOf(chinese!).organizerName).toBe(
      DEMO_JURISDICTION.district.standingCommittee.zh,
    );

    // The English invitation's personal link opens the guest's page.
    const url = /https?:\/\/\S+\/deputy\/[A-Za-z0-9_.-]+/.exec(english!.body.text ?? '')?.[0];
    expect(url).toBeDefined();
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`Guest ${RUN}</span>`);

    // A change of place: the notice in each one's language.
    const moved = await organiser.request('PATCH', `/activities/${id}`, {
      body: { location: '文冲街道党群服务中心' },
    });
    expect(moved.status, moved.text).toBe(200);
    const changed = await eventually(
      () => mailTo(GUEST_EMAIL, title),
      (mail) => mail.length === 2,
    );
    expect(changed.map((m) => m.subject)).toContain(
      `${DEMO_JURISDICTION.district.subjectTag.en}Changed: ${title}`,
    );
    await eventually(
      () => mailTo(CHINESE_EMAIL, `活动变更：${title}`),
      (mail) => mail.length === 1,
    );

    // The guest removed: the withdrawal, in English, cancels the event in the guest's calendar.
    const removed = await organiser.request('PATCH', `/activities/${id}`, {
      body: { removeDeputyIds: [guest] },
    });
    expect(removed.status, removed.text).toBe(200);
    const all = await eventually(
      () => mailTo(GUEST_EMAIL, title),
      (mail) => mail.length === 3,
    );
    const withdrawal = all.find((m) => m.subject.includes('Invitation withdrawn'));
    expect(withdrawal?.subject).toBe(
      `${DEMO_JURISDICTION.district.subjectTag.en}Invitation withdrawn: ${title}`,
    );
    expect(withdrawal!.body.text).toContain('you are no longer expected');
    expect(calendarOf(withdrawal!)).toMatchObject({
      method: 'CANCEL',
      organizerName: DEMO_JURISDICTION.district.standingCommittee.en,
    });
  });
});
