import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  appendAuditEvent,
  streamHead,
  type AuditEventContent,
  type HeadChange,
} from '../shared/data/audit.js';
import { keys } from '../shared/data/keys.js';
import { clock, type TableDeps } from '../shared/domain/deps.js';
import { writeTransaction, withConflictRetry } from '../shared/data/transact.js';
import { ConflictError, NotFoundError, TransientError } from '../shared/errors.js';
import { CLOSED_STATUSES } from './model.js';
import { type ReferralItem } from '../shared/data/referrals.js';
import { referralListingAfter } from './listing.js';
import type { EmailSenderDeps } from '../shared/email/deps.js';
import { WORKFLOW_ACTOR } from '../shared/workflow/actor.js';

export const DAY_SECONDS = 86_400;

export type ReferralDeps = TableDeps;

export { clock };

export interface MailDeps extends ReferralDeps, EmailSenderDeps {}

export interface LinkDeps extends MailDeps {
  /** The key that signs response and rating links (functions/shared/secrets.ts). */
  signingKey: () => Promise<string>;
  /** Base URL of the public pages, e.g. the API's URL. */
  publicBaseUrl: string;
}

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

/**
 * A state's work on one referral: read consistently, retried whole when a concurrent change
 * moved the referral's stream head in between (the work reads again and decides again).
 */
export const withReferral = <T>(
  deps: ReferralDeps,
  referralId: string,
  work: (referral: ReferralItem) => Promise<T>,
): Promise<T> => withConflictRetry(async () => work(await loadReferral(deps, referralId)));

/**
 * A state that runs only on an open, dispatched referral (`assertOpen`), written as its
 * decision on the referral read by `withReferral`: `(deps, referralId) => result`.
 */
export const openReferralState =
  <TDeps extends ReferralDeps, TResult>(
    decide: (deps: TDeps, referral: ReferralItem) => Promise<TResult>,
  ) =>
  (deps: TDeps, referralId: string): Promise<TResult> =>
    withReferral(deps, referralId, async (referral) => {
      assertOpen(referral);
      return decide(deps, referral);
    });

/**
 * A change a workflow state makes and the audit event that says so: `before` is the status the
 * referral had unless given, `after` always starts with the status the change leaves.
 */
export interface ReferralStateChange extends HeadChange {
  action: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
}

/** The entries of `referralChange` for a `ReferralStateChange` made at `at`. */
export const referralStateChange = (
  deps: ReferralDeps,
  referral: ReferralItem,
  at: string,
  { action, before, after, ...change }: ReferralStateChange,
  options: { clearFailure?: boolean } = {},
): TransactItem[] =>
  referralChange(
    deps,
    referral,
    change,
    {
      action,
      before: before ?? { status: referral.status },
      after: { status: change.set?.status ?? referral.status, ...after },
    },
    at,
    options,
  );

/** Writes a `ReferralStateChange` made at `at` in one transaction. */
export const commitReferralChange = async (
  deps: ReferralDeps,
  referral: ReferralItem,
  at: string,
  change: ReferralStateChange,
  options: { clearFailure?: boolean } = {},
): Promise<void> =>
  writeTransaction(deps.db, referralStateChange(deps, referral, at, change, options));
