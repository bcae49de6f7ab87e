import {
  getReferral,
  roundOf,
  type Rating,
  type ReferralPhase,
  type ReplyResult,
  type ReferralItem,
} from '../shared/data/referrals.js';
import { createHash } from 'node:crypto';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { sendTaskSuccess } from '../shared/workflow/task-token.js';
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { getDeputies } from '../shared/data/deputies.js';
import { keys, toQueryParams, type PrimaryKey } from '../shared/data/keys.js';
import { raiserOf } from '../shared/domain/raisers.js';
import {
  putNew,
  withConflictRetry,
  writeTransaction,
  type TransactItem,
} from '../shared/data/transact.js';
import type { DomainLogger } from '../shared/observability.js';
import type { LinkRecord } from '../shared/data/links.js';

/**
 * What the department's pages and the organisers' API read and write of a referral
 * (docs/referral-workflow.md); the referral itself is functions/shared/data/referrals.ts.
 */

export const DEPARTMENT_ACTIONS = [
  'ACKNOWLEDGE',
  'RETURN',
  'REQUEST_EXTENSION',
  'PROGRESS',
  'REPLY',
] as const;
export type DepartmentAction = (typeof DEPARTMENT_ACTIONS)[number];

/** Statuses in which the department may act on its referral. */
export const AWAITING_DEPARTMENT = ['SENT', 'ACKNOWLEDGED', 'OVERDUE'] as const;

/** A received department action (`RESPONSE#<round>#<action>[#<digest>]`). */
export interface ResponseItem extends PrimaryKey {
  entity: 'REFERRAL_RESPONSE';
  referralId: string;
  round: number;
  action: DepartmentAction;
  departmentId: string;
  at: string;
  reason?: string;
  days?: number;
  text?: string;
  result?: ReplyResult;
}

/** A raiser's rating of one round (`RATING#<round>#<raiserRef>`). */
export interface RatingItem extends PrimaryKey {
  entity: 'REFERRAL_RATING';
  referralId: string;
  round: number;
  raiserRef: string;
  rating: Rating;
  comment: string;
  at: string;
}

export interface Deps {
  db: DynamoDBDocumentClient;
  tableName: string;
  sfn: SFNClient;
  now?: () => Date;
  logger?: DomainLogger;
}

export const clock = (deps: { now?: () => Date }): Date => (deps.now ?? (() => new Date()))();

/** Why a valid link cannot act or show the referral any more. */
export type StaleReason = 'MOVED_ON' | 'NOT_FOUND';

/** Whether a link still reaches the referral it names (a page's own rule: its round, its raiser). */
export type LinkIsCurrent = (referral: ReferralItem, link: LinkRecord) => boolean;

/**
 * Runs `use` on the referral a link names, as it stands now, with its round; or answers why the
 * link no longer reaches it: the referral is gone (NOT_FOUND) or the link is not current for it
 * any more (MOVED_ON: re-routed or reopened since).
 */
export const withLinkedReferral = async <T>(
  deps: Pick<Deps, 'db' | 'tableName'>,
  link: LinkRecord,
  isCurrent: LinkIsCurrent,
  use: (referral: ReferralItem, round: number) => Promise<T>,
): Promise<T | StaleReason> => {
  const referral = await getReferral(deps, link.referralId);
  if (!referral) return 'NOT_FOUND';
  if (!isCurrent(referral, link)) return 'MOVED_ON';
  return use(referral, roundOf(referral));
};

/** What a page's action commits: the referral's audited change and the item that records it. */
export type CommitAction = (audited: TransactItem[], record: object) => Promise<void>;

/**
 * A page's action on the referral a link names (withLinkedReferral). The pass commits the
 * referral's audited change (`audited`) and the item that records the action (`record`,
 * created only if absent) with `commit`; a write that lost a race runs the whole pass again
 * (withConflictRetry), which re-reads the referral and finds the record or the other change.
 */
export const actOnLinkedReferral = <T>(
  deps: Pick<Deps, 'db' | 'tableName'>,
  link: LinkRecord,
  isCurrent: LinkIsCurrent,
  pass: (referral: ReferralItem, round: number, commit: CommitAction) => Promise<T>,
): Promise<T | StaleReason> => {
  const commit: CommitAction = (audited, record) =>
    writeTransaction(deps.db, [...audited, putNew(deps.tableName, record)]);
  return withConflictRetry(() =>
    withLinkedReferral(deps, link, isCurrent, (referral, round) => pass(referral, round, commit)),
  );
};

/** A short digest of free text, to tell two different progress notes apart. */
export const digestOf = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 16);

export const getItem = async <T>(
  deps: Pick<Deps, 'db' | 'tableName'>,
  key: PrimaryKey,
): Promise<T | undefined> => {
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }),
  );
  return Item as T | undefined;
};

/** Every item of one key query (small partitions: responses and ratings of one referral). */
export const queryAll = async <T>(
  deps: Pick<Deps, 'db' | 'tableName'>,
  query: Parameters<typeof toQueryParams>[0],
): Promise<T[]> => {
  const items: T[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        ...toQueryParams(query),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...((page.Items ?? []) as T[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
};

/** Ratings are taken while the reply of this round awaits them. */
export const isRatable = (referral: Pick<ReferralItem, 'status' | 'pendingTask'>): boolean =>
  referral.status === 'REPLIED' || referral.pendingTask?.phase === 'RATING';

/** Who has rated a round, and until when the others may: what the pages say about the wait. */
export interface RatingProgress {
  /** Raisers asked to rate this round (those the feedback email reached). */
  asked: number;
  /** Ratings given, oldest first: the reader as `YOU`, deputies by name, residents never named. */
  rated: { who: 'YOU' | 'DEPUTY' | 'RESIDENT'; name?: string; at: string }[];
  /** The rating deadline of the round (ISO). */
  deadline?: string;
  /** Ratings are still taken (the referral waits for them). */
  open: boolean;
}

/**
 * The rating progress of the referral's current round, once its feedback went out; `undefined`
 * before. `reader` is the rating page's own raiser; `names: false` (the department's page)
 * names nobody, as the department never learns who raised a finding.
 */
export const ratingProgress = async (
  deps: Pick<Deps, 'db' | 'tableName'>,
  referral: ReferralItem,
  options: { reader?: string; names: boolean },
): Promise<RatingProgress | undefined> => {
  const round = roundOf(referral);
  const feedback = referral.feedback;
  if (!feedback || feedback.round !== round) return undefined;
  const ratings = (
    await queryAll<RatingItem>(deps, keys.ratingsOfReferralRound(referral.id, round))
  ).sort((a, b) => (a.at < b.at ? -1 : 1));
  const deputyIds = options.names
    ? ratings.flatMap((rating) => {
        const raiser = raiserOf(rating.raiserRef);
        return raiser?.kind === 'DEPUTY' ? [raiser.deputyId] : [];
      })
    : [];
  const deputies = deputyIds.length ? await getDeputies(deps, deputyIds, ['name']) : new Map();
  return {
    asked: feedback.raiserRefs.length,
    rated: ratings.map((rating) => {
      if (rating.raiserRef === options.reader) return { who: 'YOU', at: rating.at };
      const raiser = raiserOf(rating.raiserRef);
      const name = raiser?.kind === 'DEPUTY' ? deputies.get(raiser.deputyId)?.name : undefined;
      return raiser?.kind === 'DEPUTY'
        ? { who: 'DEPUTY', ...(name ? { name: String(name) } : {}), at: rating.at }
        : { who: 'RESIDENT', at: rating.at };
    }),
    ...(feedback.ratingDeadline ? { deadline: feedback.ratingDeadline } : {}),
    open: isRatable(referral),
  };
};

/**
 * Ends the referral's pending step of `phase` if there is one; `'NOT_WAITING'` when the
 * referral is not (or no longer) waiting on that step.
 */
export const endPendingStep = async (
  deps: Pick<Deps, 'sfn'>,
  referral: Pick<ReferralItem, 'pendingTask'>,
  phase: ReferralPhase,
  output: Record<string, unknown>,
): Promise<'ENDED' | 'CLOSED' | 'NOT_WAITING'> => {
  const pending = referral.pendingTask;
  if (!pending || pending.phase !== phase) return 'NOT_WAITING';
  return (await sendTaskSuccess(deps, pending.token, output)) ? 'ENDED' : 'CLOSED';
};
