import { dueDateOfInstant, secondsUntil } from '../../shared/domain/deadlines.js';
import { recipientLevelOf } from '../../shared/domain/reference.js';
import { createLink, MAX_LINK_TTL_SECONDS } from '../../shared/data/links.js';
import { renderReferralEmail } from '../emails.js';
import { WITH_DEPARTMENT } from '../model.js';
import { roundOf, type ReferralItem, type SentEmailRecord } from '../../shared/data/referrals.js';
import {
  DAY_SECONDS,
  type LinkDeps,
  clock,
  commitReferralChange,
  openReferralState,
} from '../referral-state.js';
import {
  departmentAddresses,
  emailFindings,
  loadContext,
  pageUrl,
  sendReferralEmailOnce,
} from '../email-context.js';
import {
  type CheckpointResult,
  type DeadlineDeps,
  dueOf,
  secondsUntilCheckpoint,
} from '../deadlines.js';

// --- SendReferralEmail -------------------------------------------------------------------

export type SendReferralEmailDeps = LinkDeps & DeadlineDeps;

/**
 * Emails the current department once per round (round and department name the email claim, so
 * a retry or a redrive never sends it twice) with a signed link to the response page, and marks
 * the referral SENT with its audit event. A retry after success changes nothing.
 */
export const sendReferralEmail = openReferralState(
  async (deps: SendReferralEmailDeps, referral): Promise<CheckpointResult> => {
    const referralId = referral.id;
    const round = roundOf(referral);
    const checkpointOf = (sentTo: ReferralItem, now: Date): CheckpointResult => ({
      referralId,
      secondsUntilCheckpoint: secondsUntilCheckpoint(sentTo, deps, now),
    });
    const done =
      WITH_DEPARTMENT.includes(referral.status) &&
      referral.sent?.round === round &&
      referral.sent.departmentId === referral.departmentId;
    if (done) return checkpointOf(referral, clock(deps));
    const context = await loadContext(deps, referral);
    const to = departmentAddresses(context, referral);
    const due = dueOf(referral, deps.config);
    const ttlSeconds = Math.min(
      MAX_LINK_TTL_SECONDS,
      Math.max(
        secondsUntil(due, clock(deps)) + deps.config.statutoryMaxDays * DAY_SECONDS,
        DAY_SECONDS,
      ),
    );
    const token = await createLink(deps, await deps.signingKey(), {
      purpose: 'RESPOND',
      referralId,
      round,
      ttlSeconds,
    });
    const { messageId, sentNow } = await sendReferralEmailOnce(deps, referralId, round, {
      claim: { department: referral.departmentId },
      to,
      ...renderReferralEmail({
        ...context.heading,
        dueDate: dueDateOfInstant(due),
        findings: emailFindings(context.findings),
        url: pageUrl(deps.publicBaseUrl, 'respond', token),
      }),
      purpose: 'REFERRAL',
    });
    const now = clock(deps);
    const at = now.toISOString();
    // The level the department has now is the one this referral counts under from now on.
    const sent: SentEmailRecord = {
      round,
      departmentId: referral.departmentId,
      departmentLevel: recipientLevelOf(context.department ?? {}),
      messageId,
      at,
    };
    await commitReferralChange(deps, referral, at, {
      set: { status: 'SENT', round, sent, emails: [...(referral.emails ?? []), sent] },
      remove: ['pendingTask'],
      action: 'REFERRAL_SENT',
      before: { status: referral.status, round: referral.round ?? null },
      after: {
        round,
        departmentId: referral.departmentId,
        departmentLevel: sent.departmentLevel,
        recipients: to.length,
        messageId,
        due: due.toISOString(),
      },
    });
    deps.logger?.info('Referral emailed', { round, sentNow, recipients: to.length });
    return checkpointOf({ ...referral, status: 'SENT', round, sent }, now);
  },
);
