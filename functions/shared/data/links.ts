import { randomBytes } from 'node:crypto';
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys.js';
import { getItem } from './query.js';
import { AppError } from '../errors.js';
import { signedToken, verifiedToken } from '../signed-token.js';

/**
 * Signed, expiring links of the referral workflow (docs/referral-workflow.md, "Shared modules")
 * and of deputies (their activity pages and home page, issue 14).
 *
 * `createLink` stores `LINK#<random id>` → `{purpose, referralId, round, raiserRef, expiresAt}`
 * and returns the URL token `<random id>.<expiry>.<hmac>`: the id is 16 random bytes
 * (base64url), the expiry Unix seconds in base 36, the HMAC the first 16 bytes of
 * HMAC-SHA256(secret, "liandong:link:v1:<id>:<expiry>") in base64url. The token carries no
 * referral id, task token or personal data: everything it stands for stays server-side.
 *
 * `verifyLink` checks, in this order, the shape and signature (TAMPERED: a forged token never
 * reads "expired"), the signed expiry (EXPIRED), the stored record (UNKNOWN: never issued, or
 * already removed by the table's TTL), its expiry again and its purpose (WRONG_PURPOSE). Each
 * failure is an {@link InvalidLinkError}; pages answer it with a plain refusal (403, or 410 for
 * an expired link) and change nothing.
 */

export type LinkPurpose = 'RESPOND' | 'RATE';
export const LINK_PURPOSES: readonly LinkPurpose[] = ['RESPOND', 'RATE'];

/**
 * Links of a deputy (issue 14): `DEPUTY_ACTIVITY` opens the deputy's page of one activity (its
 * record holds the activity and deputy ids), `DEPUTY_HOME` the deputy's list of activities (the
 * deputy id). The ids stay in the server-side record, never in the URL.
 */
export type DeputyLinkPurpose = 'DEPUTY_ACTIVITY' | 'DEPUTY_HOME';
export const DEPUTY_LINK_PURPOSES: readonly DeputyLinkPurpose[] = [
  'DEPUTY_ACTIVITY',
  'DEPUTY_HOME',
];

/** Where link records live: the single table. `now` is for tests. */
export interface LinkStore {
  db: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
}

export interface CreateLinkInput {
  purpose: LinkPurpose;
  referralId: string;
  /** The referral's round (routing / reopen count) the link belongs to. */
  round: number;
  /** Who a RATE link is for (an opaque reference, never contact data). */
  raiserRef?: string;
  ttlSeconds: number;
}

/** The stored record a valid token stands for. */
export interface LinkRecord {
  linkId: string;
  purpose: LinkPurpose;
  referralId: string;
  round: number;
  raiserRef?: string;
  /** Unix seconds (also the table's TTL attribute). */
  expiresAt: number;
}

export type InvalidLinkReason = 'TAMPERED' | 'EXPIRED' | 'UNKNOWN' | 'WRONG_PURPOSE';

/** A link that must be refused: 410 when it expired, 403 otherwise. */
export class InvalidLinkError extends AppError {
  override readonly name = 'InvalidLinkError';
  readonly statusCode: 403 | 410;
  readonly reason: InvalidLinkReason;

  constructor(reason: InvalidLinkReason) {
    super(reason === 'EXPIRED' ? 'This link has expired' : `This link is not valid (${reason})`);
    this.reason = reason;
    this.statusCode = reason === 'EXPIRED' ? 410 : 403;
  }
}

const ID_BYTES = 16;
/**
 * Longest life of a link, a bound against mistakes (each purpose sets its own, shorter life):
 * the longest is a deputy's activity link issued with an invitation to an activity 300 days
 * ahead (`MAX_DAYS_AHEAD`) whose findings close up to 300 days after its start, plus
 * `FOLLOW_UP_DAYS` (224, functions/shared/domain/deputy-links.ts): 824 days, with margin.
 */
export const MAX_LINK_TTL_SECONDS = 900 * 24 * 60 * 60;
const TOKEN_PATTERN = /^([A-Za-z0-9_-]{22})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;

const nowOf = (store: LinkStore) => (store.now ?? (() => new Date()))();

/**
 * The URL token of a stored link: the signature is recomputed from the id and expiry, so a page
 * may show a link issued earlier (e.g. a deputy's activity pages on their home page) without
 * writing anything.
 */
export const tokenOfLink = (secret: string, linkId: string, expiresAt: number): string => {
  if (!secret) throw new Error('A link signing secret is required');
  return signedToken(secret, 'link', linkId, expiresAt);
};

/** The id and expiry a token names (not verified: for tokens this code just issued). */
export const linkOfToken = (token: string): { linkId: string; expiresAt: number } => {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) throw new Error('Not a link token');
  return { linkId: match[1]!, expiresAt: parseInt(match[2]!, 36) };
};

const checkedTtl = (ttlSeconds: number): number => {
  const ttl = Math.floor(ttlSeconds);
  if (!Number.isFinite(ttl) || ttl < 1 || ttl > MAX_LINK_TTL_SECONDS) {
    throw new Error(`Invalid link lifetime: ${ttlSeconds} s`);
  }
  return ttl;
};

/** A new link: its purpose, lifetime, and what its record holds besides keys, id and times. */
interface NewLink {
  purpose: string;
  ttlSeconds: number;
  fields: Record<string, unknown>;
}

/** Puts a new link record. */
const putLink = async (
  store: LinkStore,
  secret: string,
  { purpose, ttlSeconds, fields }: NewLink,
): Promise<{ token: string; linkId: string; expiresAt: number }> => {
  if (!secret) throw new Error('A link signing secret is required');
  const ttl = checkedTtl(ttlSeconds);
  const now = nowOf(store);
  const linkId = randomBytes(ID_BYTES).toString('base64url');
  const expiresAt = Math.floor(now.getTime() / 1000) + ttl;
  await store.db.send(
    new PutCommand({
      TableName: store.tableName,
      Item: {
        ...keys.link(linkId),
        entity: 'LINK',
        linkId,
        purpose,
        ...fields,
        createdAt: now.toISOString(),
        expiresAt,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
  return { token: tokenOfLink(secret, linkId, expiresAt), linkId, expiresAt };
};

/** Stores the link record and returns its URL token `<id>.<expiry>.<hmac>`. */
export const createLink = async (
  store: LinkStore,
  secret: string,
  input: CreateLinkInput,
): Promise<string> => {
  if (!LINK_PURPOSES.includes(input.purpose)) throw new Error(`Unknown purpose: ${input.purpose}`);
  if (!Number.isSafeInteger(input.round) || input.round < 0) {
    throw new Error(`Invalid round: ${input.round}`);
  }
  const { token } = await putLink(store, secret, {
    purpose: input.purpose,
    ttlSeconds: input.ttlSeconds,
    fields: {
      referralId: input.referralId,
      round: input.round,
      ...(input.raiserRef !== undefined ? { raiserRef: input.raiserRef } : {}),
    },
  });
  return token;
};

export interface CreateDeputyLinkInput {
  purpose: DeputyLinkPurpose;
  deputyId: string;
  /** The activity a DEPUTY_ACTIVITY link opens. */
  activityId?: string;
  ttlSeconds: number;
}

/** A deputy's link as stored; `activityId` is set for DEPUTY_ACTIVITY links. */
export interface DeputyLinkRecord {
  linkId: string;
  purpose: DeputyLinkPurpose;
  deputyId: string;
  activityId?: string;
  expiresAt: number;
}

/** Stores a deputy's link; returns its token, id and expiry (the id may be kept to show it again). */
export const createDeputyLink = async (
  store: LinkStore,
  secret: string,
  input: CreateDeputyLinkInput,
): Promise<{ token: string; linkId: string; expiresAt: number }> => {
  if (!DEPUTY_LINK_PURPOSES.includes(input.purpose)) {
    throw new Error(`Unknown purpose: ${input.purpose}`);
  }
  if (!input.deputyId) throw new Error('A deputy link needs a deputy id');
  if (input.purpose === 'DEPUTY_ACTIVITY' && !input.activityId) {
    throw new Error('A deputy activity link needs an activity id');
  }
  return putLink(store, secret, {
    purpose: input.purpose,
    ttlSeconds: input.ttlSeconds,
    fields: {
      deputyId: input.deputyId,
      ...(input.activityId ? { activityId: input.activityId } : {}),
    },
  });
};

/** A link whose token verified and whose stored record is of the purpose asked for. */
interface VerifiedLink {
  linkId: string;
  expiresAt: number;
  item: Record<string, unknown>;
}

/**
 * The verifier of one family of purposes: checks a token and reads its stored record in the
 * order the module's opening describes, then `recordOf` turns the record into what the family's
 * pages use (or refuses it). Every failure is an {@link InvalidLinkError}; nothing is written.
 */
const linkVerifier =
  <Purpose extends LinkPurpose | DeputyLinkPurpose, Verified>(
    recordOf: (link: VerifiedLink, purpose: Purpose) => Verified,
  ) =>
  async (store: LinkStore, secret: string, token: string, purpose: Purpose): Promise<Verified> => {
    const verified = secret ? verifiedToken(secret, 'link', TOKEN_PATTERN, token) : undefined;
    if (!verified) throw new InvalidLinkError('TAMPERED');
    const { id: linkId, expiresAt } = verified;
    const nowSeconds = nowOf(store).getTime() / 1000;
    if (nowSeconds >= expiresAt) throw new InvalidLinkError('EXPIRED');

    const item = await getItem<Record<string, unknown>>(store, keys.link(linkId));
    if (!item || item.entity !== 'LINK' || item.linkId !== linkId) {
      throw new InvalidLinkError('UNKNOWN');
    }
    if (item.expiresAt !== expiresAt) throw new InvalidLinkError('TAMPERED');
    if (item.purpose !== purpose) throw new InvalidLinkError('WRONG_PURPOSE');
    return recordOf({ linkId, expiresAt, item }, purpose);
  };

/** The deputy link record of a valid token of `purpose`, or {@link InvalidLinkError}. Reads only. */
export const verifyDeputyLink = linkVerifier<DeputyLinkPurpose, DeputyLinkRecord>(
  ({ linkId, expiresAt, item }, purpose) => {
    if (typeof item.deputyId !== 'string' || !item.deputyId) throw new InvalidLinkError('UNKNOWN');
    if (purpose === 'DEPUTY_ACTIVITY' && typeof item.activityId !== 'string') {
      throw new InvalidLinkError('UNKNOWN');
    }
    return {
      linkId,
      purpose,
      deputyId: item.deputyId,
      ...(typeof item.activityId === 'string' ? { activityId: item.activityId } : {}),
      expiresAt,
    };
  },
);

/** The link record of a valid token of `purpose`, or {@link InvalidLinkError}. Reads only. */
export const verifyLink = linkVerifier<LinkPurpose, LinkRecord>(({ linkId, expiresAt, item }) => ({
  linkId,
  purpose: item.purpose as LinkPurpose,
  referralId: String(item.referralId),
  round: Number(item.round),
  ...(typeof item.raiserRef === 'string' ? { raiserRef: item.raiserRef } : {}),
  expiresAt,
}));
