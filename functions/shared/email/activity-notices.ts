import { letterheadOf, type Jurisdiction, type Letterhead } from '../data/jurisdiction.js';
import { taggedSubject } from '../domain/letterhead.js';
import type { Language } from '../domain/reference.js';
import {
  activityRows,
  descriptionRows,
  plainBlock,
  renderLetter,
  type LetterActivity,
  type RenderedEmail,
} from './deputy-letter.js';
import { headerText } from './sanitize.js';

/**
 * The emails about an activity after its invitation: the reminder before the start, the change
 * notice (time, place or details changed), and the withdrawal of an invitee the organiser
 * removed. In the deputy's language (`deputyLanguageOf`, functions/shared/data/deputies.ts),
 * every value escaped in the HTML part, the subject one line.
 */

export type NoticeActivity = LetterActivity;

export type ChangedField = 'startsAt' | 'endsAt' | 'location' | 'description';

const textOf = (letterhead: Letterhead) => ({
  zh: {
    reminder: {
      subject: (title: string) => taggedSubject(letterhead, 'zh', `活动提醒：${title}`),
      intro: '您受邀参加的以下代表活动即将开始，请准时出席。',
    },
    change: {
      subject: (title: string) => taggedSubject(letterhead, 'zh', `活动变更：${title}`),
      intro: (fields: string) => `您受邀参加的以下代表活动有变更（${fields}），请以本通知为准。`,
    },
    withdrawal: {
      subject: (title: string) => taggedSubject(letterhead, 'zh', `活动邀请撤回：${title}`),
      intro: '因活动安排调整，您无需参加以下代表活动，原邀请撤回。由此带来的不便，敬请谅解。',
      calendar: '附件日历文件可将该活动从手机日历中移除。',
    },
    fields: { startsAt: '时间', endsAt: '时间', location: '地点', description: '说明' },
    fieldSeparator: '、',
    calendar: '附件为日历文件，可导入或更新手机日历。',
  },
  en: {
    reminder: {
      subject: (title: string) => taggedSubject(letterhead, 'en', `Reminder: ${title}`),
      intro: 'The deputies’ activity you are invited to starts soon; please be on time.',
    },
    change: {
      subject: (title: string) => taggedSubject(letterhead, 'en', `Changed: ${title}`),
      intro: (fields: string) =>
        `The deputies’ activity you are invited to has changed (${fields}); this notice replaces the earlier one.`,
    },
    withdrawal: {
      subject: (title: string) => taggedSubject(letterhead, 'en', `Invitation withdrawn: ${title}`),
      intro:
        'The arrangements have changed: you are no longer expected at the following activity, and the invitation is withdrawn. We apologise for any inconvenience.',
      calendar: 'The attached calendar file removes the event from your calendar.',
    },
    fields: { startsAt: 'time', endsAt: 'time', location: 'place', description: 'details' },
    fieldSeparator: ', ',
    calendar: 'The attached calendar file updates the event in your calendar.',
  },
});

const render = (
  activity: NoticeActivity,
  deputy: { name: string },
  language: Language,
  subject: string,
  intro: string,
  jurisdiction: Jurisdiction,
  /** What the attached calendar file does: a withdrawal removes the event, the others update it. */
  calendarNote?: string,
): RenderedEmail => {
  const calendar = calendarNote ?? textOf(letterheadOf(jurisdiction))[language].calendar;
  const rows = [
    ...activityRows(activity, language, jurisdiction),
    ...descriptionRows(activity, language, jurisdiction),
  ];
  const { text, html } = renderLetter(jurisdiction, language, deputy, {
    intro,
    rows,
    after: [plainBlock(calendar)],
  });
  return { subject: headerText(subject), text, html };
};

/**
 * A notice whose intro says it all: the reminder, and the withdrawal (its calendar file removes
 * the event; the reminder's updates it).
 */
const plainNotice =
  (kind: 'reminder' | 'withdrawal') =>
  (
    activity: NoticeActivity,
    deputy: { name: string },
    language: Language,
    jurisdiction: Jurisdiction,
  ): RenderedEmail => {
    const t = textOf(letterheadOf(jurisdiction))[language][kind];
    const subject = t.subject(activity.title);
    const calendar = 'calendar' in t ? t.calendar : undefined;
    return render(activity, deputy, language, subject, t.intro, jurisdiction, calendar);
  };

export const renderReminderEmail = plainNotice('reminder');

/** `changed`: what the change touched, named in the intro (time, place, details). */
export const renderChangeNoticeEmail = (
  activity: NoticeActivity,
  deputy: { name: string },
  changed: readonly ChangedField[],
  language: Language,
  jurisdiction: Jurisdiction,
): RenderedEmail => {
  const t = textOf(letterheadOf(jurisdiction))[language];
  const names = [...new Set(changed.map((field) => t.fields[field]))].join(t.fieldSeparator);
  return render(
    activity,
    deputy,
    language,
    t.change.subject(activity.title),
    t.change.intro(names),
    jurisdiction,
  );
};

export const renderWithdrawalEmail = plainNotice('withdrawal');
