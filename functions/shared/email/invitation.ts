import { ACTIVITY_TYPES, type Language } from '../domain/reference.js';
import {
  letterheadOf,
  streetNames,
  workingCommitteeNames,
  type Jurisdiction,
  type Letterhead,
} from '../data/jurisdiction.js';
import type { ActivityItem } from '../data/items.js';
import { bodyText, escapeHtml, headerText } from './sanitize.js';
import { activityTimeRange } from './activity-time.js';
import { taggedSubject } from '../domain/letterhead.js';
import { activityDetailRows } from '../domain/activity-details.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export type InvitationActivity = Pick<
  ActivityItem,
  'title' | 'type' | 'street' | 'location' | 'description' | 'startsAt' | 'endsAt'
> & {
  /** The type's own fields (functions/activities/schemas.ts); sealed items are never emailed. */
  details?: Record<string, unknown>;
};

const textOf = (letterhead: Letterhead) => ({
  zh: {
    subject: (title: string) => taggedSubject(letterhead, 'zh', `活动邀请：${title}`),
    greeting: (name: string) => `尊敬的${name}代表：`,
    intro: `${letterhead.standingCommittee.zh}诚挚邀请您参加以下代表活动。`,
    title: '活动名称',
    type: '活动类型',
    time: '活动时间',
    street: '所属街道',
    location: '活动地点',
    description: '活动说明',
    organiser: '组织单位',
    organisers: (committee: string) => `${letterhead.standingCommittee.zh} · ${committee}`,
    reply:
      '请通过下面的个人链接回复是否参加（可附留言，活动开始前可更改）；活动开始后，在同一页面输入现场签到码签到，并可记录发现的问题。',
    link: '您的个人链接',
    linkNote: '此链接仅供您本人使用，请勿转发。',
    footer: '本邮件由联动平台自动发送，请勿直接回复。',
    signature: letterhead.standingCommittee.zh,
  },
  en: {
    subject: (title: string) => taggedSubject(letterhead, 'en', `Invitation: ${title}`),
    greeting: (name: string) => `Dear Deputy ${name},`,
    intro: `The ${letterhead.standingCommittee.en} invites you to the following deputies’ activity.`,
    title: 'Activity',
    type: 'Type',
    time: 'Time',
    street: 'Street',
    location: 'Place',
    description: 'Details',
    organiser: 'Organised by',
    organisers: (committee: string) => `${letterhead.standingCommittee.en} · ${committee}`,
    reply:
      'Please answer through your personal link below whether you will attend (with a note if you like; you may change it until the start). Once the activity starts, check in on the same page with the code shown at the venue, and record what you find.',
    link: 'Your personal link',
    linkNote: 'This link is for you alone; please do not forward it.',
    footer:
      'This message was sent automatically by the Liandong platform; please do not reply to it.',
    signature: letterhead.standingCommittee.en,
  },
});

/**
 * The invitation email of one deputy, in the deputy's language (`deputyLanguageOf`,
 * functions/shared/data/deputies.ts). Every interpolated value is HTML-escaped in the HTML part;
 * the subject is flattened to one line so user text can never add a header.
 */
export const renderInvitationEmail = (
  activity: InvitationActivity,
  deputy: { name: string },
  /** The deputy's personal page of this activity (a signed link). */
  url: string,
  language: Language,
  /** The district (shared/data/jurisdiction.ts): the letterhead and the street's names. */
  jurisdiction: Jurisdiction,
): RenderedEmail => {
  const t = textOf(letterheadOf(jurisdiction))[language];
  const detailRows = activityDetailRows(activity.details, language, { showSealed: false }).map(
    ({ label, value }): [string, string] => [
      label,
      typeof value === 'string' ? value : value.map((entry) => `· ${entry}`).join('\n'),
    ],
  );
  const rows: [label: string, value: string][] = [
    [t.title, activity.title],
    [t.type, ACTIVITY_TYPES[activity.type][language]],
    [t.time, activityTimeRange(activity.startsAt, activity.endsAt, language)],
    [t.street, streetNames(jurisdiction, activity.street)[language]],
    [t.location, activity.location],
    ...detailRows,
    ...(activity.description ? [[t.description, activity.description] as [string, string]] : []),
    [t.organiser, t.organisers(workingCommitteeNames(jurisdiction, activity.street)[language])],
  ];
  const separator = language === 'zh' ? '：' : ': ';

  const text = [
    t.greeting(bodyText(deputy.name)),
    '',
    t.intro,
    '',
    ...rows.map(([label, value]) => `${label}${separator}${bodyText(value)}`),
    '',
    t.reply,
    '',
    `${t.link}${separator}${url}`,
    t.linkNote,
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
    `<p>${escapeHtml(t.intro)}</p>`,
    '<table cellpadding="4" style="border-collapse: collapse">',
    ...rows.map(
      ([label, value]) =>
        `<tr><th align="left" valign="top" style="white-space: nowrap">${escapeHtml(label)}</th><td>${htmlValue(value)}</td></tr>`,
    ),
    '</table>',
    `<p>${escapeHtml(t.reply)}</p>`,
    // The link's token is one long word: let it break, or a phone scrolls the email sideways.
    `<p style="overflow-wrap: anywhere; word-break: break-all"><a href="${escapeHtml(url)}">${escapeHtml(t.link)}</a><br>${escapeHtml(url)}</p>`,
    `<p style="color: #666; font-size: small">${escapeHtml(t.linkNote)}</p>`,
    `<p>${escapeHtml(t.signature)}</p>`,
    `<p style="color: #666; font-size: small">${escapeHtml(t.footer)}</p>`,
    '</body></html>',
  ].join('\n');

  return { subject: headerText(t.subject(activity.title)), text, html };
};
