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
  /** What a referral's reference number (转办编号) starts with, e.g. 黄人联转. */
  referencePrefix: Record<Language, string>;
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
  referencePrefix: {
    zh: '黄人联转',
    en: 'HPPC-LD',
  },
};

/** An email subject with the district's tag in front. */
export const taggedSubject = (language: Language, subject: string): string =>
  `${LETTERHEAD.subjectTag[language]}${subject}`;

// Crockford base32, as ids.ts writes the time part of an id.
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * A referral's reference number (转办编号), as a department reads it on its page and quotes it
 * to the standing committee's office: `黄人联转〔2026〕7KQ2-M9XD号` (English
 * `HPPC-LD 2026/7KQ2-M9XD`). Derived from the referral id alone, so it is stable across
 * re-routing, reopening and redrives and needs no counter: the year is the China calendar year
 * of the id's time part (when the activity was scheduled), the serial the id's last eight
 * characters (the end of the SHA-256 part of `referralIdOf`; 40 bits, unique in practice).
 * The full id, which the organisers' API takes, ends with the serial.
 */
export const referralReference = (referralId: string, language: Language): string => {
  const id = referralId.toUpperCase();
  let ms = 0;
  for (const char of id.slice(0, 10)) ms = ms * 32 + Math.max(0, BASE32.indexOf(char));
  const year = new Date(ms + CHINA_OFFSET_MS).getUTCFullYear();
  const serial = `${id.slice(-8, -4)}-${id.slice(-4)}`;
  return language === 'zh'
    ? `${LETTERHEAD.referencePrefix.zh}〔${year}〕${serial}号`
    : `${LETTERHEAD.referencePrefix.en} ${year}/${serial}`;
};
/**
 * The `From` of an email: the standing committee's name before the sender address, as an RFC
 * 2047 encoded word (SES takes only ASCII in a display name).
 */
export const letterheadSender = (senderEmail: string, language: Language = 'zh'): string =>
  `=?UTF-8?B?${Buffer.from(LETTERHEAD.standingCommittee[language], 'utf8').toString('base64')}?= <${senderEmail}>`;
