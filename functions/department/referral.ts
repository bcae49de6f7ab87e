import { createHash } from 'node:crypto';
import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { FindingItem, ReferralItem } from '../findings/model.js';
import type { PendingTask } from '../shared/data/items.js';
import { getDeputies } from '../shared/data/deputies.js';
import { keys, toQueryParams, type PrimaryKey } from '../shared/data/keys.js';
import { raiserOf } from '../shared/domain/raisers.js';
import { TransientError } from '../shared/errors.js';
import type { DomainLogger } from '../shared/observability.js';

/**
 * The referral as the pages and the organisers' API see it (docs/referral-workflow.md): the
 * review's {@link ReferralItem} plus what the referral workflow, the response page and the API
 * add to it. Every field the workflow adds is optional here, so an item written by any step
 * reads safely.
 */

/** Human steps of the referral workflow (`phase` of `pendingTask`, stored by AwaitReferral). */
export type ReferralPhase = 'DEPARTMENT' | 'REROUTE' | 'RATING';

export const DEPARTMENT_ACTIONS = [
  'ACKNOWLEDGE',
  'RETURN',
  'REQUEST_EXTENSION',
  'PROGRESS',
  'REPLY',
] as const;
export type DepartmentAction = (typeof DEPARTMENT_ACTIONS)[number];

export const REPLY_RESULTS = ['RESOLVED', 'PARTLY_RESOLVED', 'UNRESOLVABLE'] as const;
export type ReplyResult = (typeof REPLY_RESULTS)[number];

export const RATINGS = ['SATISFIED', 'BASICALLY_SATISFIED', 'NOT_SATISFIED'] as const;
export type Rating = (typeof RATINGS)[number];

/** Statuses in which the department may act on its referral. */
export const AWAITING_DEPARTMENT = ['SENT', 'ACKNOWLEDGED', 'OVERDUE'] as const;

export interface RoutingEntry {
  departmentId: string;
  at: string;
  /** `workflow` for the first dispatch, else the organiser's `sub`. */
  by: string;
  reason?: string;
}

export interface ExtensionRequest {
  round: number;
  days: number;
  reason: string;
  requestedAt: string;
  status: 'PENDING' | 'GRANTED' | 'REFUSED';
  decidedAt?: string;
  decidedBy?: string;
  decisionReason?: string;
  /** The due date after a grant. */
  newDueDate?: string;
}

export interface ReferralReply {
  round: number;
  departmentId: string;
  result: ReplyResult;
  text: string;
  at: string;
}

export interface ReferralState extends Omit<ReferralItem, 'status'> {
  status: string;
  /** Routing / reopen count: links carry the round they were issued for. */
  round?: number;
  pendingTask?: PendingTask;
  routing?: RoutingEntry[];
  reopened?: boolean;
  dueAt?: string;
  acknowledgedAt?: string;
  returned?: { round: number; departmentId: string; reason: string; at: string };
  reply?: ReferralReply;
  extensionRequest?: ExtensionRequest;
  committeeClosure?: { by: string; reason: string; at: string; round: number };
  /** The feedback of a round: who is asked to rate it (opaque references). */
  feedback?: { round: number; raiserRefs: string[]; ratingDeadline?: string };
  /** The latest rating of each raiser (the comment stays on the rating item). */
  ratings?: Record<string, { rating: Rating; at: string; round: number }>;
}

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

/** The round a referral is in: 1 until a re-routing or a reopening moved it on (as functions/referrals). */
export const roundOf = (referral: Pick<ReferralState, 'round'>): number =>
  referral.round && referral.round > 0 ? referral.round : 1;

/** A short digest of free text, to tell two different progress notes apart. */
export const digestOf = (text: string): string =>
  createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 16);

export const getReferralState = async (
  deps: Pick<Deps, 'db' | 'tableName'>,
  referralId: string,
): Promise<ReferralState | undefined> => {
  const { Item } = await deps.db.send(
    new GetCommand({
      TableName: deps.tableName,
      Key: keys.referral(referralId),
      ConsistentRead: true,
    }),
  );
  return Item as ReferralState | undefined;
};

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

/** The findings a referral lists (reads only; at most 100 per call, as BatchGet allows). */
export const getFindings = async (
  deps: Pick<Deps, 'db' | 'tableName'>,
  referral: Pick<ReferralState, 'activityId' | 'findingIds'>,
): Promise<FindingItem[]> => {
  const ids = referral.findingIds.slice(0, 100);
  if (ids.length === 0) return [];
  const { Responses } = await deps.db.send(
    new BatchGetCommand({
      RequestItems: {
        [deps.tableName]: { Keys: ids.map((id) => keys.finding(referral.activityId, id)) },
      },
    }),
  );
  const found = (Responses?.[deps.tableName] ?? []) as FindingItem[];
  const order = new Map(ids.map((id, index) => [id, index]));
  return found.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
};

/** Ratings are taken while the reply of this round awaits them. */
export const isRatable = (referral: Pick<ReferralState, 'status' | 'pendingTask'>): boolean =>
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
  referral: ReferralState,
  options: { reader?: string; names: boolean },
): Promise<RatingProgress | undefined> => {
  const round = roundOf(referral);
  if (referral.feedback?.round !== round) return undefined;
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
    asked: referral.feedback.raiserRefs.length,
    rated: ratings.map((rating) => {
      if (rating.raiserRef === options.reader) return { who: 'YOU', at: rating.at };
      const raiser = raiserOf(rating.raiserRef);
      const name = raiser?.kind === 'DEPUTY' ? deputies.get(raiser.deputyId)?.name : undefined;
      return raiser?.kind === 'DEPUTY'
        ? { who: 'DEPUTY', ...(name ? { name: String(name) } : {}), at: rating.at }
        : { who: 'RESIDENT', at: rating.at };
    }),
    ...(referral.feedback.ratingDeadline ? { deadline: referral.feedback.ratingDeadline } : {}),
    open: isRatable(referral),
  };
};

/** Error names with which Step Functions says the token's task is no longer open. */
const CLOSED_TASK_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

/**
 * Ends a human step with `output` through its stored token. `false` when Step Functions says
 * the task is no longer open (its deadline passed, or it was ended before); throttling and 5xx
 * become {@link TransientError}.
 */
export const sendTaskSuccess = async (
  deps: Pick<Deps, 'sfn'>,
  token: string,
  output: Record<string, unknown>,
): Promise<boolean> => {
  try {
    await deps.sfn.send(
      new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }),
    );
    return true;
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (CLOSED_TASK_ERRORS.has(name)) return false;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (name === 'ThrottlingException' || (status !== undefined && status >= 500)) {
      throw new TransientError('Step Functions is busy; retry later', { cause: error });
    }
    throw error;
  }
};

/**
 * Ends the referral's pending step of `phase` if there is one; `'NOT_WAITING'` when the
 * referral is not (or no longer) waiting on that step.
 */
export const endPendingStep = async (
  deps: Pick<Deps, 'sfn'>,
  referral: Pick<ReferralState, 'pendingTask'>,
  phase: ReferralPhase,
  output: Record<string, unknown>,
): Promise<'ENDED' | 'CLOSED' | 'NOT_WAITING'> => {
  const pending = referral.pendingTask;
  if (!pending || pending.phase !== phase) return 'NOT_WAITING';
  return (await sendTaskSuccess(deps, pending.token, output)) ? 'ENDED' : 'CLOSED';
};
