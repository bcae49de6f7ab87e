import { jurisdictionOf, letterheadOf } from '../../shared/data/jurisdiction.js';
import { keys } from '../../shared/data/keys.js';
import { writeTransaction, withConflictRetry } from '../../shared/data/transact.js';
import { dueDateOfInstant, secondsUntil } from '../../shared/domain/deadlines.js';
import { recipientLevelOf } from '../../shared/domain/reference.js';
import { sendEmailOnce } from '../../shared/email/send-once.js';
import { createLink, MAX_LINK_TTL_SECONDS } from '../../shared/data/links.js';
import { renderReferralEmail } from '../emails.js';
import { WITH_DEPARTMENT } from '../model.js';
import { roundOf, type ReferralItem, type SentEmailRecord } from '../../shared/data/referrals.js';
import {
  DAY_SECONDS,
  type LinkDeps,
  assertOpen,
  clock,
  loadReferral,
  referralChange,
} from '../referral-state.js';
import {
  departmentAddresses,
  emailFindings,
  languageOf,
  loadContext,
  pageUrl,
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
export const sendReferralEmail = async (
  deps: SendReferralEmailDeps,
  referralId: string,
): Promise<CheckpointResult> =>
  withConflictRetry(async () => {
    const referral = await loadReferral(deps, referralId);
    assertOpen(referral);
    const round = roundOf(referral);
    const done =
      WITH_DEPARTMENT.includes(referral.status) &&
      referral.sent?.round === round &&
      referral.sent.departmentId === referral.departmentId;
    if (done) {
      return {
        referralId,
        secondsUntilCheckpoint: secondsUntilCheckpoint(referral, deps, clock(deps)),
      };
    }
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
    const email = renderReferralEmail({
      language: languageOf(context),
      letterhead: letterheadOf(await jurisdictionOf(deps)),
      activityTitle: context.activity?.title ?? '',
      departmentName: context.department?.name ?? referral.departmentId,
      committeeName: context.committee?.name,
      dueDate: dueDateOfInstant(due),
      findings: emailFindings(context.findings),
      url: pageUrl(deps.publicBaseUrl, 'respond', token),
    });
    const { messageId, sentNow } = await sendEmailOnce(deps, {
      claimKey: keys.referralEmailClaimKey(referralId, round, {
        department: referral.departmentId,
      }),
      to,
      ...email,
      from: deps.senderEmail,
      configurationSet: deps.configurationSet,
      owner: { kind: 'REFERRAL', id: referralId },
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
    await writeTransaction(
      deps.db,
      referralChange(
        deps,
        referral,
        {
          set: {
            status: 'SENT',
            round,
            sent,
            emails: [...(referral.emails ?? []), sent],
          },
          remove: ['pendingTask'],
        },
        {
          action: 'REFERRAL_SENT',
          before: { status: referral.status, round: referral.round ?? null },
          after: {
            status: 'SENT',
            round,
            departmentId: referral.departmentId,
            departmentLevel: sent.departmentLevel,
            recipients: to.length,
            messageId,
            due: due.toISOString(),
          },
        },
        at,
      ),
    );
    deps.logger?.info('Referral emailed', { round, sentNow, recipients: to.length });
    const updated: ReferralItem = { ...referral, status: 'SENT', round, sent };
    return { referralId, secondsUntilCheckpoint: secondsUntilCheckpoint(updated, deps, now) };
  });
