import type { ActivityItem } from '../data/items.js';
import {
  letterheadOf,
  streetNames,
  type Jurisdiction,
  type Letterhead,
} from '../data/jurisdiction.js';
import type { ACTIVITY_SUMMARY_FIELDS } from '../domain/fields.js';
import { ACTIVITY_TYPES, type Language } from '../domain/reference.js';
import { activityTimeRange } from './activity-time.js';
import { bodyText, escapeHtml } from './sanitize.js';

/**
 * What every email to a deputy about an activity shares (the invitation, the reminder, the
 * change notice, the withdrawal, the cancellation): the greeting, the signature and footer, the
 * activity's rows as a `label：value` list and an HTML table, and the HTML document around it,
 * in the deputy's language. Every value is escaped in the HTML part.
 */

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** What an email to a deputy says of the activity: what, where and when, and its description. */
export type LetterActivity = Pick<
  ActivityItem,
  (typeof ACTIVITY_SUMMARY_FIELDS)[number] | 'description'
>;

export type LetterRow = [label: string, value: string];

export const deputyLetterText = (letterhead: Letterhead) => ({
  zh: {
    greeting: (name: string) => `尊敬的${name}代表：`,
    title: '活动名称',
    type: '活动类型',
    time: '活动时间',
    street: '所属街道',
    location: '活动地点',
    description: '活动说明',
    footer: '本邮件由联动平台自动发送，请勿直接回复。',
    signature: letterhead.standingCommittee.zh,
  },
  en: {
    greeting: (name: string) => `Dear Deputy ${name},`,
    title: 'Activity',
    type: 'Type',
    time: 'Time',
    street: 'Street',
    location: 'Place',
    description: 'Details',
    footer:
      'This message was sent automatically by the Liandong platform; please do not reply to it.',
    signature: letterhead.standingCommittee.en,
  },
});

/** Between a label and its value in the text part. */
export const labelSeparator = (language: Language): string => (language === 'zh' ? '：' : ': ');

/** What, which type, when, which street, where. */
export const activityRows = (
  activity: LetterActivity,
  language: Language,
  jurisdiction: Jurisdiction,
): LetterRow[] => {
  const t = deputyLetterText(letterheadOf(jurisdiction))[language];
  return [
    [t.title, activity.title],
    [t.type, ACTIVITY_TYPES[activity.type][language]],
    [t.time, activityTimeRange(activity.startsAt, activity.endsAt, language)],
    [t.street, streetNames(jurisdiction, activity.street)[language]],
    [t.location, activity.location],
  ];
};

/** The organiser's description of the activity, a row when it has one. */
export const descriptionRows = (
  activity: LetterActivity,
  language: Language,
  jurisdiction: Jurisdiction,
): LetterRow[] =>
  activity.description
    ? [[deputyLetterText(letterheadOf(jurisdiction))[language].description, activity.description]]
    : [];

/** The rows in the text part, `label：value` a line. */
export const rowsText = (rows: readonly LetterRow[], language: Language): string[] =>
  rows.map(([label, value]) => `${label}${labelSeparator(language)}${bodyText(value)}`);

/** The rows in the HTML part: a table, a value's lines kept. */
export const rowsTable = (rows: readonly LetterRow[]): string[] => [
  '<table cellpadding="4" style="border-collapse: collapse">',
  ...rows.map(
    ([label, value]) =>
      `<tr><th align="left" valign="top" style="white-space: nowrap">${escapeHtml(label)}</th><td>${escapeHtml(bodyText(value)).replace(/\n/g, '<br>')}</td></tr>`,
  ),
  '</table>',
];

/** One paragraph of the HTML part. */
export const paragraph = (text: string): string => `<p>${escapeHtml(text)}</p>`;

/** The footer: small, grey, the last paragraph. */
export const smallPrint = (text: string): string =>
  `<p style="color: #666; font-size: small">${escapeHtml(text)}</p>`;

/** The HTML part: `body` (its elements, one a line) in a document in the deputy's language. */
export const letterHtml = (language: Language, body: readonly string[]): string =>
  [
    '<!DOCTYPE html>',
    `<html lang="${language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"></head>`,
    '<body style="font-family: sans-serif; line-height: 1.6">',
    ...body,
    '</body></html>',
  ].join('\n');

/** A part of the letter after the rows: its lines in the text part, its elements in the HTML. */
export interface LetterBlock {
  text: readonly string[];
  html: readonly string[];
}

/** A paragraph of one text, the same in both parts. */
export const plainBlock = (text: string): LetterBlock => ({
  text: [text],
  html: [paragraph(text)],
});

/**
 * The letter to a deputy about an activity, both parts: the greeting, `intro`, the activity's
 * `rows`, what `after` adds, then the signature and the footer.
 */
export const renderLetter = (
  jurisdiction: Jurisdiction,
  language: Language,
  deputy: { name: string },
  letter: { intro: string; rows: readonly LetterRow[]; after: readonly LetterBlock[] },
): { text: string; html: string } => {
  const t = deputyLetterText(letterheadOf(jurisdiction))[language];
  const greeting = t.greeting(bodyText(deputy.name));
  const closing = [
    ...letter.after,
    plainBlock(t.signature),
    { text: [t.footer], html: [smallPrint(t.footer)] },
  ];
  const text = [
    greeting,
    '',
    letter.intro,
    '',
    ...rowsText(letter.rows, language),
    '',
    ...closing.flatMap((block) => [...block.text, '']),
  ].join('\n');
  const html = letterHtml(language, [
    paragraph(greeting),
    paragraph(letter.intro),
    ...rowsTable(letter.rows),
    ...closing.flatMap((block) => block.html),
  ]);
  return { text, html };
};
