import { letterheadOf, type Jurisdiction, type Letterhead } from '../data/jurisdiction.js';
import type { ActivityItem } from '../data/items.js';
import { taggedSubject } from '../domain/letterhead.js';
import { ACTIVITY_TYPES, type Language } from '../domain/reference.js';
import type { RenderedEmail } from './invitation.js';
import { bodyText, escapeHtml, headerText } from './sanitize.js';
import { activityTime } from './activity-time.js';

const textOf = (letterhead: Letterhead) => ({
  zh: {
    subject: (title: string) => taggedSubject(letterhead, 'zh', `活动取消：${title}`),
    greeting: (name: string) => `尊敬的${name}代表：`,
    body: (title: string, type: string, time: string) =>
      `原定于${time}（北京时间）举行的${type}“${title}”已取消。`,
    reason: '取消原因',
    apology: '由此带来的不便，敬请谅解。',
    signature: letterhead.standingCommittee.zh,
    footer: '本邮件由联动平台自动发送，请勿直接回复。',
  },
  en: {
    subject: (title: string) => taggedSubject(letterhead, 'en', `Cancelled: ${title}`),
    greeting: (name: string) => `Dear Deputy ${name},`,
    body: (title: string, type: string, time: string) =>
      `The ${type.toLowerCase()} "${title}" planned for ${time} (China Standard Time) has been cancelled.`,
    reason: 'Reason',
    apology: 'We apologise for any inconvenience.',
    signature: letterhead.standingCommittee.en,
    footer:
      'This message was sent automatically by the Liandong platform; please do not reply to it.',
  },
});

/**
 * The cancellation notice of one invitee, in the deputy's language (`deputyLanguageOf`,
 * functions/shared/data/deputies.ts). The organiser's reason is shown as written.
 */
export const renderCancellationEmail = (
  activity: Pick<ActivityItem, 'title' | 'type' | 'startsAt'>,
  deputy: { name: string },
  reason: string,
  language: Language,
  /** The district (shared/data/jurisdiction.ts): who signs. */
  jurisdiction: Jurisdiction,
): RenderedEmail => {
  const t = textOf(letterheadOf(jurisdiction))[language];
  const time = activityTime(activity.startsAt, language);
  const lines = [
    t.greeting(bodyText(deputy.name)),
    t.body(bodyText(activity.title), ACTIVITY_TYPES[activity.type][language], time),
    `${t.reason}${language === 'zh' ? '：' : ': '}${bodyText(reason)}`,
    t.apology,
    t.signature,
  ];
  const text = [...lines, '', t.footer, ''].join('\n\n');
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"></head>`,
    '<body style="font-family: sans-serif; line-height: 1.6">',
    ...lines.map((line) => `<p>${escapeHtml(line).replace(/\n/g, '<br>')}</p>`),
    `<p style="color: #666; font-size: small">${escapeHtml(t.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: headerText(t.subject(activity.title)), text, html };
};
