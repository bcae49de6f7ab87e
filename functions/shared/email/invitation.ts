import type { Language } from '../domain/reference.js';
import {
  letterheadOf,
  workingCommitteeNames,
  type Jurisdiction,
  type Letterhead,
} from '../data/jurisdiction.js';
import {
  activityRows,
  descriptionRows,
  labelSeparator,
  plainBlock,
  renderLetter,
  smallPrint,
  type LetterActivity,
  type LetterRow,
  type RenderedEmail,
} from './deputy-letter.js';
import { escapeHtml, headerText, LINK_PARAGRAPH_STYLE } from './sanitize.js';
import { taggedSubject } from '../domain/letterhead.js';
import { activityDetailRows } from '../domain/activity-details.js';

export type { RenderedEmail } from './deputy-letter.js';

export type InvitationActivity = LetterActivity & {
  /** The type's own fields (functions/activities/schemas.ts); sealed items are never emailed. */
  details?: Record<string, unknown>;
};

const textOf = (letterhead: Letterhead) => ({
  zh: {
    subject: (title: string) => taggedSubject(letterhead, 'zh', `活动邀请：${title}`),
    intro: `${letterhead.standingCommittee.zh}诚挚邀请您参加以下代表活动。`,
    organiser: '组织单位',
    organisers: (committee: string) => `${letterhead.standingCommittee.zh} · ${committee}`,
    reply:
      '请通过下面的个人链接回复是否参加（可附留言，活动开始前可更改）；活动开始后，在同一页面输入现场签到码签到，并可记录发现的问题。',
    link: '您的个人链接',
    linkNote: '此链接仅供您本人使用，请勿转发。',
  },
  en: {
    subject: (title: string) => taggedSubject(letterhead, 'en', `Invitation: ${title}`),
    intro: `The ${letterhead.standingCommittee.en} invites you to the following deputies’ activity.`,
    organiser: 'Organised by',
    organisers: (committee: string) => `${letterhead.standingCommittee.en} · ${committee}`,
    reply:
      'Please answer through your personal link below whether you will attend (with a note if you like; you may change it until the start). Once the activity starts, check in on the same page with the code shown at the venue, and record what you find.',
    link: 'Your personal link',
    linkNote: 'This link is for you alone; please do not forward it.',
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
  const rows: LetterRow[] = [
    ...activityRows(activity, language, jurisdiction),
    ...detailRows,
    ...descriptionRows(activity, language, jurisdiction),
    [t.organiser, t.organisers(workingCommitteeNames(jurisdiction, activity.street)[language])],
  ];
  const { text, html } = renderLetter(jurisdiction, language, deputy, {
    intro: t.intro,
    rows,
    after: [
      plainBlock(t.reply),
      {
        text: [`${t.link}${labelSeparator(language)}${url}`, t.linkNote],
        html: [
          // The link's token is one long word: let it break, or a phone scrolls the email sideways.
          `<p style="${LINK_PARAGRAPH_STYLE}"><a href="${escapeHtml(url)}">${escapeHtml(t.link)}</a><br>${escapeHtml(url)}</p>`,
          smallPrint(t.linkNote),
        ],
      },
    ],
  });

  return { subject: headerText(t.subject(activity.title)), text, html };
};
