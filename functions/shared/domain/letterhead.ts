import type { Letterhead } from '../data/jurisdiction.js';
import type { Language } from './reference.js';

/**
 * What emails and pages sign with: the district's standing committee, the tag of every email
 * subject and the prefix of referral numbers. Read from the stored jurisdiction
 * (shared/data/jurisdiction.ts, `jurisdictionOf`), never spelled in code: one deployment serves
 * one district, whichever it is.
 */
export type { Letterhead };

/** An email subject with the district's tag in front. */
export const taggedSubject = (
  letterhead: Letterhead,
  language: Language,
  subject: string,
): string => `${letterhead.subjectTag[language]}${subject}`;

// Crockford base32, as ids.ts writes the time part of an id.
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * A referral's reference number (转办编号), as a department reads it on its page and quotes it
 * to the standing committee's office: `<prefix>〔2026〕7KQ2-M9XD号` (English
 * `<prefix> 2026/7KQ2-M9XD`). Derived from the referral id alone, so it is stable across
 * re-routing, reopening and redrives and needs no counter: the year is the China calendar year
 * of the id's time part (when the activity was scheduled), the serial the id's last eight
 * characters (the end of the SHA-256 part of `referralIdOf`; 40 bits, unique in practice).
 * The full id, which the organisers' API takes, ends with the serial.
 */
export const referralReference = (
  letterhead: Letterhead,
  referralId: string,
  language: Language,
): string => {
  const id = referralId.toUpperCase();
  let ms = 0;
  for (const char of id.slice(0, 10)) ms = ms * 32 + Math.max(0, BASE32.indexOf(char));
  const year = new Date(ms + CHINA_OFFSET_MS).getUTCFullYear();
  const serial = `${id.slice(-8, -4)}-${id.slice(-4)}`;
  return language === 'zh'
    ? `${letterhead.referencePrefix.zh}〔${year}〕${serial}号`
    : `${letterhead.referencePrefix.en} ${year}/${serial}`;
};
/**
 * The `From` of an email: the standing committee's name before the sender address, as an RFC
 * 2047 encoded word (SES takes only ASCII in a display name).
 */
export const letterheadSender = (
  letterhead: Letterhead,
  senderEmail: string,
  language: Language = 'zh',
): string =>
  `=?UTF-8?B?${Buffer.from(letterhead.standingCommittee[language], 'utf8').toString('base64')}?= <${senderEmail}>`;
