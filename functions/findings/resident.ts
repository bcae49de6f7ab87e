import { createHmac, randomBytes } from 'node:crypto';
import { canonicalJson } from '../shared/data/audit.js';
import type { Resident } from './model.js';

/**
 * Residents' personal data in findings (docs/privacy.md): the salted commitment the audit trail
 * holds instead of the name and contact, and the keyed lookup digests a resident's request is
 * answered with. Pure functions; the secret lookup key comes from Secrets Manager.
 */

/** The personal fields of a resident: what erasure removes (the consent flag stays). */
export const PERSONAL_FIELDS = ['name', 'contact'] as const;

/** Whether a resident still has a name or a contact on record. */
export const holdsPersonalData = (resident: Resident | undefined): boolean =>
  resident !== undefined && (resident.name !== undefined || resident.contact !== undefined);

/**
 * Salted commitment to a resident's name and contact: HMAC-SHA256 keyed with a random
 * per-finding salt over the canonical JSON of the two fields. The content hash of the finding
 * (and so the sealed audit record) covers this, never the values: once erasure destroys the salt
 * nobody can test a guessed name or phone number against the trail, and the trail still
 * verifies because the commitment itself stays.
 */
export const residentCommitment = (salt: string, resident: Resident): string =>
  createHmac('sha256', Buffer.from(salt, 'base64'))
    .update(canonicalJson({ name: resident.name, contact: resident.contact }), 'utf8')
    .digest('hex');

export interface ResidentSeal {
  /** Base64 of 32 random bytes; removed at erasure. */
  salt?: string;
  /** {@link residentCommitment} with that salt; kept after erasure. */
  commitment: string;
}

export const sealResident = (
  resident: Resident,
  random: (size: number) => Buffer = randomBytes,
): Required<ResidentSeal> => {
  const salt = random(32).toString('base64');
  return { salt, commitment: residentCommitment(salt, resident) };
};

/**
 * A name as people type it: Unicode NFKC (full-width letters and digits become ASCII), no
 * whitespace at all (张 三 = 张三), lower case.
 */
export const normaliseName = (name: string): string =>
  name.normalize('NFKC').replace(/\s+/gu, '').toLowerCase();

/**
 * A contact as people type it: an email address trimmed and lower-cased; anything made of
 * digits, spaces, dashes, dots, brackets and a leading + is a phone number, reduced to its
 * digits without a Chinese country code (+86 138 0000 0000 = 13800000000).
 */
export const normaliseContact = (contact: string): string => {
  const value = contact.normalize('NFKC').trim();
  if (/^\+?[\d\s\-().]+$/u.test(value)) {
    const digits = value.replace(/\D/gu, '');
    return digits.length > 11 && digits.startsWith('86') ? digits.slice(2) : digits;
  }
  return value.replace(/\s+/gu, '').toLowerCase();
};

/** The keyed hash a normalised name or contact is filed under: HMAC-SHA256 with the lookup key. */
export const lookupDigest = (key: string, field: 'name' | 'contact', value: string): string =>
  createHmac('sha256', key)
    .update(`${field}:${field === 'name' ? normaliseName(value) : normaliseContact(value)}`, 'utf8')
    .digest('hex');

/** The lookup digests of a resident's name and contact (those present), without duplicates. */
export const lookupDigestsOf = (
  key: string,
  person: { name?: string | undefined; contact?: string | undefined },
): string[] => [
  ...new Set([
    ...(person.name ? [lookupDigest(key, 'name', person.name)] : []),
    ...(person.contact ? [lookupDigest(key, 'contact', person.contact)] : []),
  ]),
];
