// unit test: the emails to a deputy, each in both languages (pure templates, no SDK).
import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction';
import { describe, expect, it } from 'vitest';
import { renderHomeLinkEmail } from '../../../../functions/deputy/home.js';
import { deputyLanguageOf } from '../../../../functions/shared/data/deputies.js';
import type { Language } from '../../../../functions/shared/domain/reference.js';
import {
  renderChangeNoticeEmail,
  renderReminderEmail,
  renderWithdrawalEmail,
  type NoticeActivity,
} from '../../../../functions/shared/email/activity-notices.js';
import { renderCancellationEmail } from '../../../../functions/shared/email/cancellation.js';
import { renderInvitationEmail } from '../../../../functions/shared/email/invitation.js';
import type { RenderedEmail } from '../../../../functions/shared/email/invitation.js';

const activity: NoticeActivity = {
  title: '代表接待日',
  type: 'RECEPTION_DAY',
  street: 'WENCHONG',
  location: '文冲人大代表联络站',
  startsAt: '2026-07-08T01:00:00.000Z',
  endsAt: '2026-07-08T04:00:00.000Z',
};
const URL = 'https://liandong.example.org/deputy/t0ken';

/** Every email to a deputy, rendered in `language`. */
const allEmails = (language: Language): Record<string, RenderedEmail> => ({
  invitation: renderInvitationEmail(
    activity,
    { name: 'Li Ming' },
    URL,
    language,
    DEMO_JURISDICTION,
  ),
  reminder: renderReminderEmail(activity, { name: 'Li Ming' }, language, DEMO_JURISDICTION),
  change: renderChangeNoticeEmail(
    activity,
    { name: 'Li Ming' },
    ['location'],
    language,
    DEMO_JURISDICTION,
  ),
  withdrawal: renderWithdrawalEmail(activity, { name: 'Li Ming' }, language, DEMO_JURISDICTION),
  cancellation: renderCancellationEmail(
    activity,
    { name: 'Li Ming' },
    '台风预警',
    language,
    DEMO_JURISDICTION,
  ),
  homeLink: renderHomeLinkEmail('Li Ming', URL, language, DEMO_JURISDICTION.district),
});

const CHINESE_WORDING = /尊敬的|代表：|北京时间|活动时间|请勿直接回复|敬请谅解|仅供您本人使用/;
const ENGLISH_WORDING =
  /Dear Deputy|China Standard Time|please do not|inconvenience|for you alone/i;

describe("the emails to a deputy, in the deputy's language", () => {
  it('writes every email in English for an English-preferring deputy', () => {
    const subjects: Record<string, string> = {};
    for (const [name, email] of Object.entries(allEmails('en'))) {
      subjects[name] = email.subject;
      expect(email.subject, name).toMatch(/^\[Huangpu District People's Congress\] /);
      expect(email.text, name).toContain('Dear Deputy Li Ming,');
      expect(email.text, name).toContain(DEMO_JURISDICTION.district.standingCommittee.en);
      expect(email.html, name).toContain('<html lang="en">');
      // What the organiser wrote (title, place, reason) stays; none of the wording is Chinese.
      const wording = email.text.replace(/代表接待日|文冲人大代表联络站|台风预警/g, '');
      expect(wording, name).not.toMatch(/[\u4e00-\u9fff]/);
    }
    expect(subjects).toEqual({
      invitation: "[Huangpu District People's Congress] Invitation: 代表接待日",
      reminder: "[Huangpu District People's Congress] Reminder: 代表接待日",
      change: "[Huangpu District People's Congress] Changed: 代表接待日",
      withdrawal: "[Huangpu District People's Congress] Invitation withdrawn: 代表接待日",
      cancellation: "[Huangpu District People's Congress] Cancelled: 代表接待日",
      homeLink: "[Huangpu District People's Congress] My activities",
    });
  });

  it('writes every email in Chinese for a deputy of the default language', () => {
    const subjects: Record<string, string> = {};
    for (const [name, email] of Object.entries(allEmails('zh'))) {
      subjects[name] = email.subject;
      expect(email.text, name).toContain('尊敬的Li Ming代表：');
      expect(email.text, name).toContain(DEMO_JURISDICTION.district.standingCommittee.zh);
      expect(email.text, name).toMatch(CHINESE_WORDING);
      expect(email.text, name).not.toMatch(ENGLISH_WORDING);
      expect(email.html, name).toContain('<html lang="zh-CN">');
    }
    expect(subjects).toEqual({
      invitation: '【黄埔区人大】活动邀请：代表接待日',
      reminder: '【黄埔区人大】活动提醒：代表接待日',
      change: '【黄埔区人大】活动变更：代表接待日',
      withdrawal: '【黄埔区人大】活动邀请撤回：代表接待日',
      cancellation: '【黄埔区人大】活动取消：代表接待日',
      homeLink: '【黄埔区人大】我的代表活动',
    });
  });

  it('shows the time in China Standard Time, the date once for a one-day activity', () => {
    expect(renderReminderEmail(activity, { name: '李明' }, 'zh', DEMO_JURISDICTION).text).toContain(
      '活动时间：2026年7月8日星期三 09:00 至 12:00（北京时间）',
    );
    expect(renderReminderEmail(activity, { name: 'Li' }, 'en', DEMO_JURISDICTION).text).toMatch(
      /Time: Wednesday,? 8 July 2026 at 09:00 to 12:00 \(China Standard Time\)/,
    );
    // Over midnight in Guangzhou (16:00 UTC): both dates.
    const late = { ...activity, endsAt: '2026-07-08T17:00:00.000Z' };
    expect(
      renderInvitationEmail(late, { name: '李明' }, URL, 'zh', DEMO_JURISDICTION).text,
    ).toContain('2026年7月8日星期三 09:00 至 2026年7月9日星期四 01:00（北京时间）');
    expect(
      renderCancellationEmail(activity, { name: 'Li' }, 'x', 'en', DEMO_JURISDICTION).text,
    ).toMatch(/planned for Wednesday,? 8 July 2026 at 09:00 \(China Standard Time\)/);
  });

  it('says what the calendar file does: a withdrawal removes the event', () => {
    expect(renderWithdrawalEmail(activity, { name: 'Li' }, 'en', DEMO_JURISDICTION).text).toContain(
      'The attached calendar file removes the event from your calendar.',
    );
    expect(
      renderWithdrawalEmail(activity, { name: '李明' }, 'zh', DEMO_JURISDICTION).text,
    ).toContain('附件日历文件可将该活动从手机日历中移除。');
    expect(
      renderChangeNoticeEmail(activity, { name: 'Li' }, ['location'], 'en', DEMO_JURISDICTION).text,
    ).toContain('The attached calendar file updates the event in your calendar.');
  });

  it('reads on a phone: labels never wrap, the long link may break', () => {
    for (const language of ['zh', 'en'] as const) {
      const { html } = renderInvitationEmail(
        activity,
        { name: 'Li' },
        URL,
        language,
        DEMO_JURISDICTION,
      );
      expect(html).toMatch(/<th [^>]*style="white-space: nowrap">/);
      expect(html).toContain('<p style="overflow-wrap: anywhere; word-break: break-all"><a href=');
    }
  });

  it('escapes the name and link of the home-link email in either language', () => {
    for (const language of ['zh', 'en'] as const) {
      const email = renderHomeLinkEmail(
        '<b>王</b>',
        `${URL}"><i>x`,
        language,
        DEMO_JURISDICTION.district,
      );
      expect(email.html).not.toContain('<b>');
      expect(email.html).not.toContain('<i>');
      expect(email.html).toContain('&lt;b&gt;王&lt;/b&gt;');
      expect(email.text).toContain(`${URL}"><i>x`);
    }
  });

  it("takes the deputy's language, Chinese when the record names none", () => {
    expect(deputyLanguageOf({ language: 'en' })).toBe('en');
    expect(deputyLanguageOf({ language: 'zh' })).toBe('zh');
    expect(deputyLanguageOf({})).toBe('zh');
  });
});
