import type { z } from 'zod/mini';
import type { deputyActivityEntrySchema } from './schemas.js';
import { createHash } from 'node:crypto';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ActivityRecord, InvitationRecord } from '../activities/view.js';
import { getItem } from '../department/referral.js';
import { queryAll } from '../department/referral.js';
import { batchGetByKey } from '../shared/data/batch-get.js';
import { DEPUTY_EMAIL_FIELDS, deputyLanguageOf, getDeputies } from '../shared/data/deputies.js';
import { keys } from '../shared/data/keys.js';
import { HOME_LINK_TTL_SECONDS, deputyHomeUrl } from '../shared/domain/deputy-links.js';
import { jurisdictionOf, letterheadOf, type Letterhead } from '../shared/data/jurisdiction.js';
import { taggedSubject } from '../shared/domain/letterhead.js';
import type { Language } from '../shared/domain/reference.js';
import { bodyText, escapeHtml, isSafeEmailAddress } from '../shared/email/sanitize.js';
import { sendEmailOnce } from '../shared/email/send-once.js';
import type { DomainLogger } from '../shared/observability.js';
import { createDeputyLink, tokenOfLink } from '../shared/data/links.js';
import type { EmailSenderDeps } from '../shared/email/deps.js';
import { ACTIVITY_SUMMARY_FIELDS, pickFields, presentFields } from '../shared/domain/fields.js';

/**
 * "My activities" (issue 14): a deputy who lost an invitation enters an email address and gets a
 * home link by email; the home page lists the deputy's pending invitations, upcoming and running
 * activities, and past ones with the duty record. The request always answers the same, whether
 * the address is a deputy's or not, and each address may ask a few times an hour.
 */

export interface HomeDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
  logger?: DomainLogger;
}

const clock = (deps: { now?: () => Date }) => (deps.now ?? (() => new Date()))();

// --- the request --------------------------------------------------------------------------

export interface HomeRequestDeps extends HomeDeps, EmailSenderDeps {
  signingKey: () => Promise<string>;
  publicBaseUrl: string;
  perHour: number;
}

/** What the address is known by in keys and logs: a digest, never the address. */
export const addressDigestOf = (email: string): string =>
  createHash('sha256').update(email.trim().toLowerCase(), 'utf8').digest('base64url').slice(0, 22);

/**
 * Counts this request of `email` in the current hour and, when the address is an active
 * deputy's and under the limit, emails the deputy a fresh home link. Returns nothing the caller
 * could show: the page always says the same (whether a deputy, limited or sent stays here).
 */
export const requestHomeLink = async (
  deps: HomeRequestDeps,
  email: string,
): Promise<'SENT' | 'NOT_A_DEPUTY' | 'LIMITED'> => {
  const now = clock(deps);
  const hour = Math.floor(now.getTime() / 3_600_000);
  const digest = addressDigestOf(email);
  // Counted for every address alike, deputy or not: the work done does not tell them apart.
  const counted = await deps.db.send(
    new UpdateCommand({
      TableName: deps.tableName,
      Key: keys.homeLinkRequests(digest, hour),
      UpdateExpression: 'ADD requests :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
      ExpressionAttributeValues: {
        ':one': 1,
        ':expiresAt': (hour + 2) * 3600,
      },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  const requests = Number(counted.Attributes?.requests ?? 1);
  const claim = await getItem<{ deputyId?: string }>(deps, keys.deputyEmail(email));
  if (requests > deps.perHour) return 'LIMITED';
  const deputyId = claim?.deputyId;
  if (!deputyId) return 'NOT_A_DEPUTY';
  const deputy = (await getDeputies(deps, [deputyId], DEPUTY_EMAIL_FIELDS)).get(deputyId);
  if (!deputy?.active || !isSafeEmailAddress(deputy.email)) return 'NOT_A_DEPUTY';

  const { token } = await createDeputyLink(deps, await deps.signingKey(), {
    purpose: 'DEPUTY_HOME',
    deputyId,
    ttlSeconds: HOME_LINK_TTL_SECONDS,
  });
  const url = deputyHomeUrl(deps.publicBaseUrl, token);
  await sendEmailOnce(deps, {
    claimKey: keys.homeLinkEmailClaimKey(deputyId, hour, requests),
    // The address on record, not the one typed (they match case-insensitively).
    to: deputy.email,
    ...renderHomeLinkEmail(
      deputy.name,
      url,
      deputyLanguageOf(deputy),
      letterheadOf(await jurisdictionOf(deps)),
    ),
    from: deps.senderEmail,
    configurationSet: deps.configurationSet,
    owner: { kind: 'DEPUTY', id: deputyId },
    purpose: 'HOME_LINK',
  });
  return 'SENT';
};

const homeLinkTextOf = (letterhead: Letterhead) => ({
  zh: {
    subject: taggedSubject(letterhead, 'zh', '我的代表活动'),
    greeting: (name: string) => `尊敬的${name}代表：`,
    body: (days: number) =>
      `您可通过以下链接查看您的代表活动（待回复的邀请、即将进行和已结束的活动及履职记录），链接${days}天内有效，仅供您本人使用：`,
    notYou: '如非本人申请，请忽略本邮件。',
    signature: letterhead.standingCommittee.zh,
  },
  en: {
    subject: taggedSubject(letterhead, 'en', 'My activities'),
    greeting: (name: string) => `Dear Deputy ${name},`,
    body: (days: number) =>
      `This link shows your deputy activities (invitations to answer, upcoming and past activities with your duty record). It is valid for ${days} days and for you alone:`,
    notYou: 'If you did not ask for it, please ignore this message.',
    signature: letterhead.standingCommittee.en,
  },
});

/** The email with a home link, in the deputy's language (`deputyLanguageOf`). */
export const renderHomeLinkEmail = (
  name: string,
  url: string,
  language: Language,
  letterhead: Letterhead,
) => {
  const t = homeLinkTextOf(letterhead)[language];
  const days = Math.round(HOME_LINK_TTL_SECONDS / 86_400);
  const lines = [t.greeting(bodyText(name)), '', t.body(days), url, '', t.notYou, '', t.signature];
  const text = `${lines.join('\n')}\n`;
  const html = `<!DOCTYPE html><html lang="${language === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"></head><body style="font-family: sans-serif; line-height: 1.6">${lines
    .map((line) =>
      line === url ? `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>` : escapeHtml(line),
    )
    .join('<br>')}</body></html>`;
  return { subject: t.subject, text, html };
};

// --- the lists ----------------------------------------------------------------------------

/** One activity of the lists, with the personal page's link (pages turn it into a URL). */
export type DeputyActivityEntry = z.output<typeof deputyActivityEntrySchema> & {
  /** The personal page's link id and expiry (never in the API). */
  pageLink?: { linkId: string; expiresAt: number };
};

export interface DeputyActivityLists {
  pending: DeputyActivityEntry[];
  upcoming: DeputyActivityEntry[];
  past: DeputyActivityEntry[];
}

const BEFORE_CHECK_IN = ['SCHEDULED', 'INVITATIONS_SENT'];
const RUNNING = ['CHECK_IN_OPEN', 'FINDINGS_OPEN'];

/** A deputy's invitations, sorted into pending, upcoming/running and past. Reads only. */
export const deputyActivityLists = async (
  deps: HomeDeps,
  deputyId: string,
): Promise<DeputyActivityLists> => {
  const now = clock(deps);
  const invitations = await queryAll<InvitationRecord>(deps, keys.invitationsOfDeputy(deputyId));
  const activities = await batchGetByKey<ActivityRecord>(
    deps,
    invitations.map((invitation) => [invitation.activityId, keys.activity(invitation.activityId)]),
  );
  const duty = await batchGetByKey<{ findings?: unknown[] }>(
    deps,
    [...activities.values()].map((activity) => [
      activity.id,
      keys.dutyEntry(deputyId, activity.startsAt, activity.id),
    ]),
  );
  const lists: DeputyActivityLists = { pending: [], upcoming: [], past: [] };
  for (const invitation of invitations) {
    const activity = activities.get(invitation.activityId);
    if (!activity) continue;
    const status: string = activity.status;
    const findings = duty.get(activity.id)?.findings;
    const entry: DeputyActivityEntry = {
      activityId: activity.id,
      ...pickFields(activity, ACTIVITY_SUMMARY_FIELDS),
      status,
      ...presentFields(invitation, ['response', 'checkedInAt', 'checkInMethod']),
      ...(Array.isArray(findings) ? { findingsRaised: findings.length } : {}),
      ...(invitation.pageLink ? { pageLink: invitation.pageLink } : {}),
    };
    const before =
      BEFORE_CHECK_IN.includes(status) && Date.parse(activity.startsAt) > now.getTime();
    if (before && !invitation.response) lists.pending.push(entry);
    else if (before || RUNNING.includes(status)) lists.upcoming.push(entry);
    else lists.past.push(entry);
  }
  lists.pending.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  lists.upcoming.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  lists.past.sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  return lists;
};

/**
 * The lists with each page link as its URL path (the home page holds the signing key). A link
 * that has expired is left out: it would only open a 410 page; the entry stays, as a title.
 */
export const withPageHrefs = (
  lists: DeputyActivityLists,
  secret: string,
  now: Date = new Date(),
): Record<keyof DeputyActivityLists, (DeputyActivityEntry & { href?: string })[]> => {
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const map = (entries: DeputyActivityEntry[]) =>
    entries.map((entry) => ({
      ...entry,
      ...(entry.pageLink && entry.pageLink.expiresAt > nowSeconds
        ? {
            href: `/deputy/${tokenOfLink(secret, entry.pageLink.linkId, entry.pageLink.expiresAt)}`,
          }
        : {}),
    }));
  return { pending: map(lists.pending), upcoming: map(lists.upcoming), past: map(lists.past) };
};
