import { letterheadOf, type Jurisdiction, type Letterhead } from '../data/jurisdiction.js';
import type { ActivityItem } from '../data/items.js';
import { taggedSubject } from '../domain/letterhead.js';
import { ACTIVITY_TYPES, type Language } from '../domain/reference.js';
import {
  deputyLetterText,
  labelSeparator,
  letterHtml,
  smallPrint,
  type RenderedEmail,
} from './deputy-letter.js';
import { bodyText, escapeHtml, headerText } from './sanitize.js';
import { activityTime } from './activity-time.js';

const textOf = (letterhead: Letterhead) => ({
  zh: {
    subject: (title: string) => taggedSubject(letterhead, 'zh', `活动取消：${title}`),
    body: (title: string, type: string, time: string) =>
      `原定于${time}（北京时间）举行的${type}“${title}”已取消。`,
    reason: '取消原因',
    apology: '由此带来的不便，敬请谅解。',
  },
  en: {
    subject: (title: string) => taggedSubject(letterhead, 'en', `Cancelled: ${title}`),
    body: (title: string, type: string, time: string) =>
      `The ${type.toLowerCase()} "${title}" planned for ${time} (China Standard Time) has been cancelled.`,
    reason: 'Reason',
    apology: 'We apologise for any inconvenience.',
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
  const letterhead = letterheadOf(jurisdiction);
  const t = textOf(letterhead)[language];
  const letter = deputyLetterText(letterhead)[language];
  const time = activityTime(activity.startsAt, language);
  const lines = [
    letter.greeting(bodyText(deputy.name)),
    t.body(bodyText(activity.title), ACTIVITY_TYPES[activity.type][language], time),
    `${t.reason}${labelSeparator(language)}${bodyText(reason)}`,
    t.apology,
    letter.signature,
  ];
  const text = [...lines, '', letter.footer, ''].join('\n\n');
  const html = letterHtml(language, [
    ...lines.map((line) => `<p>${escapeHtml(line).replace(/\n/g, '<br>')}</p>`),
    smallPrint(letter.footer),
  ]);
  return { subject: headerText(t.subject(activity.title)), text, html };
};
