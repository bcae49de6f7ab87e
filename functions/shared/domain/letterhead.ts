import type { Language } from './reference.js';

/**
 * The district this deployment serves, as emails and pages name it: the one place its names are
 * spelled, so no template or page writes a district's name itself (issue 17 turns this into
 * reference data that a district's organisers maintain).
 */
export interface Letterhead {
  /** The standing committee that signs emails and pages, e.g. 黄埔区人大常委会. */
  standingCommittee: Record<Language, string>;
  /** The tag that opens every email subject, e.g. 【黄埔区人大】. */
  subjectTag: Record<Language, string>;
}

export const LETTERHEAD: Letterhead = {
  standingCommittee: {
    zh: '黄埔区人大常委会',
    en: 'Standing Committee of the Huangpu District People’s Congress',
  },
  subjectTag: {
    zh: '【黄埔区人大】',
    en: "[Huangpu District People's Congress] ",
  },
};

/** An email subject with the district's tag in front. */
export const taggedSubject = (language: Language, subject: string): string =>
  `${LETTERHEAD.subjectTag[language]}${subject}`;

/**
 * The `From` of an email: the standing committee's name before the sender address, as an RFC
 * 2047 encoded word (SES takes only ASCII in a display name).
 */
export const letterheadSender = (senderEmail: string, language: Language = 'zh'): string =>
  `=?UTF-8?B?${Buffer.from(LETTERHEAD.standingCommittee[language], 'utf8').toString('base64')}?= <${senderEmail}>`;
