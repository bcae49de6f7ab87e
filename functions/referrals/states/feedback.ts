import type { FindingItem } from '../../findings/model.js';
import { DEPUTY_EMAIL_FIELDS, deputyLanguageOf, getDeputies } from '../../shared/data/deputies.js';
import { addDays, secondsUntil } from '../../shared/domain/deadlines.js';
import { raiserOf, raiserRefOfDeputy, raiserRefOfResident } from '../../shared/domain/raisers.js';
import type { Language } from '../../shared/domain/reference.js';
import { isSafeEmailAddress } from '../../shared/email/sanitize.js';
import { ConflictError } from '../../shared/errors.js';
import { createLink, linkOfToken, MAX_LINK_TTL_SECONDS } from '../../shared/data/links.js';
import { renderFeedbackEmail } from '../emails.js';
import { roundOf, type FeedbackRecord } from '../../shared/data/referrals.js';
import {
  DAY_SECONDS,
  type LinkDeps,
  clock,
  commitReferralChange,
  expectStatus,
  openReferralState,
} from '../referral-state.js';
import { emailFindings, loadContext, pageUrl, sendReferralEmailOnce } from '../email-context.js';

// --- SendReferralFeedback ----------------------------------------------------------------

export interface FeedbackDeps extends LinkDeps {
  /** Days the raisers have to rate the reply. */
  ratingDays: number;
}

export interface FeedbackResult {
  referralId: string;
  secondsUntilRatingDeadline: number;
  /** 0 or 1: RouteRating reopens only a referral not yet reopened. */
  timesReopened: number;
}

/** Opaque raiser references: a deputy by id, a resident by the finding they raised. */
export { raiserRefOfDeputy, raiserRefOfResident };

/**
 * Tells each deputy who raised one of the referral's findings, and each resident who gave an
 * email contact and consent, the department's reply, with a signed rating link: one email per
 * raiser per round, whatever the retries. Stores who may rate (`feedback.raiserRefs`).
 */
export const sendReferralFeedback = openReferralState(
  async (deps: FeedbackDeps, referral): Promise<FeedbackResult> => {
    const referralId = referral.id;
    const round = roundOf(referral);
    const timesReopened = referral.reopenCount ?? (referral.reopened ? 1 : 0);
    const now = clock(deps);
    if (referral.feedback?.round === round) {
      return {
        referralId,
        secondsUntilRatingDeadline: secondsUntil(new Date(referral.feedback.ratingDeadline), now),
        timesReopened,
      };
    }
    if (referral.status !== 'REPLIED') {
      throw new ConflictError(
        `Referral ${referralId} is ${referral.status}: no reply to feed back`,
      );
    }
    const context = await loadContext(deps, referral);
    // A deputy reads the feedback in the deputy's own language, a resident in the activity's.
    const raisers = new Map<
      string,
      { email?: string; language?: Language; findings: FindingItem[] }
    >();
    const deputyIds = new Set<string>();
    for (const finding of context.findings) {
      const { deputyId, resident } = finding.raisedBy ?? {};
      if (deputyId) {
        deputyIds.add(deputyId);
        const ref = raiserRefOfDeputy(deputyId);
        raisers.set(ref, { findings: [...(raisers.get(ref)?.findings ?? []), finding] });
      }
      if (resident?.consentToContact && resident.contact && isSafeEmailAddress(resident.contact)) {
        raisers.set(raiserRefOfResident(finding.id), {
          email: resident.contact,
          findings: [finding],
        });
      }
    }
    const deputies = await getDeputies(deps, [...deputyIds], DEPUTY_EMAIL_FIELDS);
    for (const [ref, raiser] of raisers) {
      const who = raiserOf(ref);
      if (who?.kind !== 'DEPUTY') continue;
      const deputy = deputies.get(who.deputyId);
      if (deputy?.active && isSafeEmailAddress(deputy.email)) {
        raiser.email = deputy.email;
        raiser.language = deputyLanguageOf(deputy);
      }
    }

    const ratingDeadline = addDays(now, deps.ratingDays);
    const key = await deps.signingKey();
    const emailed: string[] = [];
    const deputyRateLinks: NonNullable<FeedbackRecord['deputyRateLinks']> = {};
    const { heading } = context;
    for (const [raiserRef, raiser] of raisers) {
      if (!raiser.email) continue;
      const token = await createLink(deps, key, {
        purpose: 'RATE',
        referralId,
        round,
        raiserRef,
        ttlSeconds: Math.min(MAX_LINK_TTL_SECONDS, (deps.ratingDays + 1) * DAY_SECONDS),
      });
      await sendReferralEmailOnce(deps, referralId, round, {
        claim: { feedback: raiserRef },
        to: raiser.email,
        ...renderFeedbackEmail({
          ...heading,
          language: raiser.language ?? heading.language,
          findings: emailFindings(raiser.findings),
          result: typeof referral.reply?.result === 'string' ? referral.reply.result : undefined,
          replyText: typeof referral.reply?.text === 'string' ? referral.reply.text : undefined,
          url: pageUrl(deps.publicBaseUrl, 'rate', token),
        }),
        purpose: 'FEEDBACK',
      });
      emailed.push(raiserRef);
      if (raiserRef.startsWith('D.')) deputyRateLinks[raiserRef] = linkOfToken(token);
    }
    const at = clock(deps).toISOString();
    const feedback: FeedbackRecord = {
      round,
      raiserRefs: emailed,
      emailed: emailed.length,
      at,
      ratingDeadline: ratingDeadline.toISOString(),
      ...(Object.keys(deputyRateLinks).length > 0 ? { deputyRateLinks } : {}),
    };
    await commitReferralChange(deps, referral, at, {
      set: { feedback },
      remove: ['pendingTask'],
      condition: expectStatus('REPLIED'),
      action: 'FEEDBACK_SENT',
      after: {
        round,
        raisers: raisers.size,
        emailed: emailed.length,
        ratingDeadline: feedback.ratingDeadline,
      },
    });
    deps.logger?.info('Referral feedback sent', { round, emailed: emailed.length });
    return {
      referralId,
      // Nobody to ask: the rating step ends at once and the referral closes.
      secondsUntilRatingDeadline: emailed.length > 0 ? secondsUntil(ratingDeadline, now) : 1,
      timesReopened,
    };
  },
);
