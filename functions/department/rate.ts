import { appendAuditEvent, streamHead } from '../shared/data/audit.js';
import { getFindings } from '../shared/data/findings.js';
import { keys } from '../shared/data/keys.js';
import type { LinkRecord } from '../shared/data/links.js';
import type { DepartmentItem } from '../shared/data/reference.js';
import { departmentFindingOf, type DepartmentFinding } from '../shared/domain/finding-fields.js';
import { raisedBy, raiserOf } from '../shared/domain/raisers.js';
import {
  clock,
  actOnLinkedReferral,
  withLinkedReferral,
  type StaleReason,
  endPendingStep,
  getItem,
  isRatable,
  queryAll,
  ratingProgress,
  type Deps,
  type RatingProgress,
  type RatingItem,
} from './referral.js';
import {
  roundOf,
  type Rating,
  type ReferralItem,
  type ReplyResult,
} from '../shared/data/referrals.js';

/**
 * The rating page of whoever raised a finding: the department's reply and a form to rate it.
 * One rating per raiser and round (`RATING#<round>#<raiserRef>`, put conditionally with the
 * referral's change and audit event). The first NOT_SATISFIED of a referral not yet reopened
 * ends AwaitRatings at once with `{outcome: 'NOT_SATISFIED'}`; otherwise the step ends with
 * `{outcome: 'RATED'}` once every raiser of the round has rated (or at its deadline).
 */

export interface RatingPageModel {
  referralId: string;
  activityTitle: string;
  departmentName: string;
  /** What is rated: the findings of the referral this raiser raised (place and text). */
  findings: DepartmentFinding[];
  reply?: { result: ReplyResult; text: string; at: string };
  /** This raiser's rating of this round, if given. */
  rated?: { rating: Rating; at: string };
  open: boolean;
  /** Who has rated this round and until when the others may. */
  progress?: RatingProgress;
}

export type RateOutcome =
  | { kind: 'DONE'; signalled?: 'ENDED' | 'CLOSED' | 'NOT_WAITING' }
  | { kind: 'ALREADY' }
  | { kind: 'CLOSED' };

const isCurrent = (referral: ReferralItem, link: LinkRecord) =>
  roundOf(referral) === link.round && referral.id === link.referralId && !!link.raiserRef;

export const ratingPage = (deps: Deps, link: LinkRecord): Promise<RatingPageModel | StaleReason> =>
  withLinkedReferral(deps, link, isCurrent, async (referral, round) => {
    const raiser = raiserOf(link.raiserRef!);
    const [activity, department, findings, rating, progress] = await Promise.all([
      getItem<{ title?: string }>(deps, keys.activity(referral.activityId)),
      getItem<DepartmentItem>(deps, keys.department(referral.departmentId)),
      getFindings(deps, referral.activityId, referral.findingIds),
      getItem<RatingItem>(deps, keys.referralRating(referral.id, round, link.raiserRef!)),
      ratingProgress(deps, referral, { reader: link.raiserRef!, names: true }),
    ]);
    return {
      referralId: referral.id,
      activityTitle: activity?.title ?? '',
      departmentName: department?.name ?? referral.departmentId,
      // Their own findings only: a merged referral carries other people's too.
      findings: findings
        .filter((finding) => raiser !== undefined && raisedBy(raiser, finding))
        .map(departmentFindingOf),
      ...(referral.reply
        ? {
            reply: {
              result: referral.reply.result,
              text: referral.reply.text,
              at: referral.reply.at,
            },
          }
        : {}),
      ...(rating ? { rated: { rating: rating.rating, at: rating.at } } : {}),
      open: isRatable(referral) && !rating,
      ...(progress ? { progress } : {}),
    };
  });

export const rate = (
  deps: Deps,
  link: LinkRecord,
  input: { rating: Rating; comment: string },
): Promise<RateOutcome | StaleReason> =>
  actOnLinkedReferral(deps, link, isCurrent, async (referral, round, commit) => {
    // isCurrent: the link names a raiser.
    const raiserRef = link.raiserRef!;
    const key = keys.referralRating(referral.id, round, raiserRef);
    if (await getItem<RatingItem>(deps, key)) return { kind: 'ALREADY' };
    if (!isRatable(referral)) return { kind: 'CLOSED' };

    const at = clock(deps).toISOString();
    const ratings = { ...referral.ratings, [raiserRef]: { rating: input.rating, at, round } };
    const { items } = appendAuditEvent({
      tableName: deps.tableName,
      streamId: keys.auditStreamOfReferral(referral.id),
      head: streamHead(keys.referral(referral.id), referral),
      change: { set: { ratings, updatedAt: at } },
      event: {
        at,
        actor: `raiser:${raiserRef}`,
        action: 'REFERRAL_RATED',
        before: { status: referral.status, round },
        // The comment may name people: it stays on the rating item, out of the audit trail.
        after: { raiserRef, rating: input.rating, hasComment: input.comment.length > 0, round },
      },
    });
    const item: RatingItem = {
      ...key,
      entity: 'REFERRAL_RATING',
      referralId: referral.id,
      round,
      raiserRef,
      rating: input.rating,
      comment: input.comment,
      at,
    };
    await commit(items, item);

    const outcome = await ratingOutcome(deps, referral, round, input.rating);
    if (!outcome) return { kind: 'DONE' };
    const signalled = await endPendingStep(deps, referral, 'RATING', { outcome });
    return { kind: 'DONE', signalled };
  });

/** `NOT_SATISFIED` at once (before any reopening), `RATED` when all raisers have rated. */
const ratingOutcome = async (
  deps: Deps,
  referral: ReferralItem,
  round: number,
  rating: Rating,
): Promise<'NOT_SATISFIED' | 'RATED' | undefined> => {
  if (rating === 'NOT_SATISFIED' && !referral.reopened) return 'NOT_SATISFIED';
  const expected = referral.feedback?.round === round ? referral.feedback.raiserRefs : [];
  if (expected.length === 0) return undefined;
  const rated = new Set(
    (await queryAll<RatingItem>(deps, keys.ratingsOfReferralRound(referral.id, round))).map(
      (item) => item.raiserRef,
    ),
  );
  return expected.every((ref) => rated.has(ref)) ? 'RATED' : undefined;
};
