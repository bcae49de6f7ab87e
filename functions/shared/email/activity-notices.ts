import type { ActivityItem } from '../data/items.js';
import {
  letterheadOf,
  streetNames,
  type Jurisdiction,
  type Letterhead,
} from '../data/jurisdiction.js';
import { taggedSubject } from '../domain/letterhead.js';
import { ACTIVITY_TYPES, type Language } from '../domain/reference.js';
import type { RenderedEmail } from './invitation.js';
import { bodyText, escapeHtml, headerText } from './sanitize.js';
import { activityTimeRange } from './activity-time.js';

/**
 * The emails about an activity after its invitation: the reminder before the start, the change
 * notice (time, place or details changed), and the withdrawal of an invitee the organiser
 * removed. In the deputy's language (`deputyLanguageOf`, functions/shared/data/deputies.ts),
 * every value escaped in the HTML part, the subject one line.
 */

export type NoticeActivity = Pick<
  ActivityItem,
  'title' | 'type' | 'street' | 'location' | 'description' | 'startsAt' | 'endsAt'
>;

export type ChangedField = 'startsAt' | 'endsAt' | 'location' | 'description';

const textOf = (letterhead: Letterhead) => ({
  zh: {
    greeting: (name: string) => `尊敬的${name}代表：`,
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
    title: '活动名称',
    type: '活动类型',
    time: '活动时间',
    street: '所属街道',
    location: '活动地点',
    description: '活动说明',
    calendar: '附件为日历文件，可导入或更新手机日历。',
    footer: '本邮件由联动平台自动发送，请勿直接回复。',
    signature: letterhead.standingCommittee.zh,
  },
  en: {
    greeting: (name: string) => `Dear Deputy ${name},`,
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
    title: 'Activity',
    type: 'Type',
    time: 'Time',
    street: 'Street',
    location: 'Place',
    description: 'Details',
    calendar: 'The attached calendar file updates the event in your calendar.',
    footer:
      'This message was sent automatically by the Liandong platform; please do not reply to it.',
    signature: letterhead.standingCommittee.en,
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
  const t = textOf(letterheadOf(jurisdiction))[language];
  const calendar = calendarNote ?? t.calendar;
  const rows: [string, string][] = [
    [t.title, activity.title],
    [t.type, ACTIVITY_TYPES[activity.type][language]],
    [t.time, activityTimeRange(activity.startsAt, activity.endsAt, language)],
    [t.street, streetNames(jurisdiction, activity.street)[language]],
    [t.location, activity.location],
    ...(activity.description ? [[t.description, activity.description] as [string, string]] : []),
  ];
  const separator = language === 'zh' ? '：' : ': ';
  const text = [
    t.greeting(bodyText(deputy.name)),
    '',
    intro,
    '',
    ...rows.map(([label, value]) => `${label}${separator}${bodyText(value)}`),
    '',
    calendar,
    '',
    t.signature,
    '',
    t.footer,
    '',
  ].join('\n');
  const htmlValue = (value: string) => escapeHtml(bodyText(value)).replace(/\n/g, '<br>');
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"></head>`,
    '<body style="font-family: sans-serif; line-height: 1.6">',
    `<p>${escapeHtml(t.greeting(bodyText(deputy.name)))}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    '<table cellpadding="4" style="border-collapse: collapse">',
    ...rows.map(
      ([label, value]) =>
        `<tr><th align="left" valign="top" style="white-space: nowrap">${escapeHtml(label)}</th><td>${htmlValue(value)}</td></tr>`,
    ),
    '</table>',
    `<p>${escapeHtml(calendar)}</p>`,
    `<p>${escapeHtml(t.signature)}</p>`,
    `<p style="color: #666; font-size: small">${escapeHtml(t.footer)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: headerText(subject), text, html };
};

export const renderReminderEmail = (
  activity: NoticeActivity,
  deputy: { name: string },
  language: Language,
  jurisdiction: Jurisdiction,
): RenderedEmail => {
  const t = textOf(letterheadOf(jurisdiction))[language].reminder;
  return render(activity, deputy, language, t.subject(activity.title), t.intro, jurisdiction);
};

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

export const renderWithdrawalEmail = (
  activity: NoticeActivity,
  deputy: { name: string },
  language: Language,
  jurisdiction: Jurisdiction,
): RenderedEmail => {
  const t = textOf(letterheadOf(jurisdiction))[language].withdrawal;
  return render(
    activity,
    deputy,
    language,
    t.subject(activity.title),
    t.intro,
    jurisdiction,
    t.calendar,
  );
};
