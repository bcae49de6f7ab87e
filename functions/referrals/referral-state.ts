import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  appendAuditEvent,
  streamHead,
  type AuditEventContent,
  type HeadChange,
} from '../shared/data/audit.js';
import { keys } from '../shared/data/keys.js';
import { ConflictError, NotFoundError, TransientError } from '../shared/errors.js';
import type { DomainLogger } from '../shared/observability.js';
import { CLOSED_STATUSES } from './model.js';
import { type ReferralItem } from '../shared/data/referrals.js';
import { referralListingAfter } from './listing.js';
import type { EmailSenderDeps } from '../shared/email/deps.js';

export const WORKFLOW_ACTOR = 'workflow';

export const DAY_SECONDS = 86_400;

export interface ReferralDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
  logger?: DomainLogger;
}

export interface MailDeps extends ReferralDeps, EmailSenderDeps {}

export interface LinkDeps extends MailDeps {
  /** The key that signs response and rating links (functions/shared/secrets.ts). */
  signingKey: () => Promise<string>;
  /** Base URL of the public pages, e.g. the API's URL. */
  publicBaseUrl: string;
}

export const clock = (deps: ReferralDeps) => (deps.now ?? (() => new Date()))();

export const loadReferral = async (
  deps: ReferralDeps,
  referralId: string,
): Promise<ReferralItem> => {
  const { Item } = await deps.db.send(
    new GetCommand({
      TableName: deps.tableName,
      Key: keys.referral(referralId),
      ConsistentRead: true,
    }),
  );
  if (!Item) throw new NotFoundError(`Referral ${referralId} not found`);
  return Item as ReferralItem;
};

export const getOne = async <T>(deps: ReferralDeps, key: { pk: string; sk: string }) => {
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }),
  );
  return Item as T | undefined;
};

export const isClosed = (referral: ReferralItem) => CLOSED_STATUSES.includes(referral.status);

export const assertOpen = (referral: ReferralItem) => {
  if (isClosed(referral)) throw new ConflictError(`Referral ${referral.id} is ${referral.status}`);
  // The dispatch step marks the referral DISPATCHED before it starts this execution; APPROVED
  // here means a start without its mark (an older dispatch step), which passes once the mark
  // lands, so it is retried.
  if (referral.status === 'APPROVED') {
    throw new TransientError(`Referral ${referral.id} is being dispatched`);
  }
  if (referral.status === 'DRAFT') {
    throw new ConflictError(`Referral ${referral.id} is DRAFT: not dispatched`);
  }
};

export type TransactItem = ReturnType<typeof appendAuditEvent>['items'][number];

/**
 * The entries that apply `change` to the referral with the next event of its own audit stream
 * (`REFERRAL#<id>`), conditional on the stream head not having moved. A successful change
 * clears a recorded failure (a redriven execution goes on).
 */
export const referralChange = (
  deps: ReferralDeps,
  referral: ReferralItem,
  change: HeadChange,
  event: Omit<AuditEventContent, 'at' | 'actor'>,
  at: string,
  options: { clearFailure?: boolean } = {},
): TransactItem[] =>
  appendAuditEvent({
    tableName: deps.tableName,
    streamId: keys.auditStreamOfReferral(referral.id),
    head: streamHead(keys.referral(referral.id), referral),
    change: {
      ...change,
      set: {
        ...change.set,
        // The 督办 list entry follows the status and due date this change leaves.
        ...referralListingAfter(referral, change.set ?? {}, change.remove),
        updatedAt: at,
      },
      remove: [
        ...new Set([
          ...(change.remove ?? []),
          ...(options.clearFailure === false ? [] : ['failure']),
        ]),
      ],
    },
    event: { ...event, at, actor: WORKFLOW_ACTOR },
  }).items;

export const expectStatus = (...statuses: string[]): HeadChange['condition'] => ({
  expression: statuses.map((_, i) => `#expectedStatus = :expected${i}`).join(' OR '),
  names: { '#expectedStatus': 'status' },
  values: Object.fromEntries(statuses.map((status, i) => [`:expected${i}`, status])),
});
