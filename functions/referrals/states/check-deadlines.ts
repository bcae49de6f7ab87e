import { jurisdictionOf, letterheadOf } from '../../shared/data/jurisdiction.js';
import { keys } from '../../shared/data/keys.js';
import { writeTransaction, withConflictRetry } from '../../shared/data/transact.js';
import { dueDateOfInstant, secondsUntil } from '../../shared/domain/deadlines.js';
import { sendEmailOnce } from '../../shared/email/send-once.js';
import { renderEscalationEmail, renderReminderEmail } from '../emails.js';
import { WITH_DEPARTMENT } from '../model.js';
import { type ReminderRecord } from '../../shared/data/referrals.js';
import {
  type MailDeps,
  assertOpen,
  clock,
  expectStatus,
  loadReferral,
  referralChange,
} from '../referral-state.js';
import {
  departmentAddresses,
  emailFindings,
  languageOf,
  loadContext,
  safeAddresses,
} from '../email-context.js';
import { type CheckpointResult, type DeadlineDeps, planFor } from '../deadlines.js';

// --- CheckReferralDeadlines --------------------------------------------------------------

export interface CheckDeadlinesDeps extends MailDeps, DeadlineDeps {
  /** The organisers' addresses (standing committee office) for escalations. */
  organiserEmails: readonly string[];
}

/**
 * Runs when AwaitDepartment's checkpoint passed: sends the reminder that is due, or at the due
 * date marks the referral OVERDUE and emails the escalation to the supervising committee and
 * the organisers, each once (email claims named by round, due instant and offset). Returns when
 * to look again: the next reminder, the due date, or once overdue a periodic re-check.
 */
export const checkReferralDeadlines = async (
  deps: CheckDeadlinesDeps,
  referralId: string,
): Promise<CheckpointResult> =>
  withConflictRetry(async () => {
    const referral = await loadReferral(deps, referralId);
    assertOpen(referral);
    const now = clock(deps);
    const { round, due, key, plan } = planFor(referral, deps, now);
    const next = { referralId, secondsUntilCheckpoint: secondsUntil(plan.nextCheckpoint, now) };
    if (plan.action === 'NONE' || !WITH_DEPARTMENT.includes(referral.status)) return next;

    const context = await loadContext(deps, referral, plan.action === 'ESCALATE');
    const common = {
      language: languageOf(context),
      letterhead: letterheadOf(await jurisdictionOf(deps)),
      activityTitle: context.activity?.title ?? '',
      departmentName: context.department?.name ?? referral.departmentId,
      committeeName: context.committee?.name,
      dueDate: dueDateOfInstant(due),
    };
    const mail = {
      from: deps.senderEmail,
      configurationSet: deps.configurationSet,
      owner: { kind: 'REFERRAL', id: referralId },
    };

    if (plan.action === 'REMIND') {
      const to = departmentAddresses(context, referral);
      const { messageId } = await sendEmailOnce(deps, {
        claimKey: keys.referralEmailClaimKey(referralId, round, {
          reminder: key,
          offsetSeconds: plan.offsetSeconds,
        }),
        to,
        ...renderReminderEmail(common),
        ...mail,
        purpose: 'REMINDER',
      });
      const at = clock(deps).toISOString();
      const reminder: ReminderRecord = {
        round,
        due: key,
        offsetSeconds: plan.offsetSeconds,
        messageId,
        at,
      };
      await writeTransaction(
        deps.db,
        referralChange(
          deps,
          referral,
          { set: { reminders: [...(referral.reminders ?? []), reminder] } },
          {
            action: 'REMINDER_SENT',
            before: { status: referral.status },
            after: {
              status: referral.status,
              round,
              due: due.toISOString(),
              offsetSeconds: plan.offsetSeconds,
              messageId,
            },
          },
          at,
        ),
      );
      deps.logger?.info('Referral reminder sent', { round, offsetSeconds: plan.offsetSeconds });
      return next;
    }

    // ESCALATE
    const to = [
      ...new Set([
        ...safeAddresses(context.committee?.emails),
        ...safeAddresses(deps.organiserEmails),
      ]),
    ].slice(0, 50);
    let messageId: string | null = null;
    if (to.length > 0) {
      ({ messageId } = await sendEmailOnce(deps, {
        claimKey: keys.referralEmailClaimKey(referralId, round, { escalation: key }),
        to,
        ...renderEscalationEmail({ ...common, findings: emailFindings(context.findings) }),
        ...mail,
        purpose: 'ESCALATION',
      }));
    } else {
      deps.logger?.warn('Overdue referral: nobody to escalate to', { round });
    }
    const at = clock(deps).toISOString();
    await writeTransaction(
      deps.db,
      referralChange(
        deps,
        referral,
        {
          set: {
            status: 'OVERDUE',
            overdueAt: at,
            escalation: { round, due: key, messageId, at, recipients: to.length },
          },
          condition: expectStatus(...WITH_DEPARTMENT),
        },
        {
          action: 'REFERRAL_OVERDUE',
          before: { status: referral.status },
          after: {
            status: 'OVERDUE',
            round,
            due: due.toISOString(),
            escalatedTo: to.length,
            messageId,
          },
        },
        at,
      ),
    );
    deps.logger?.info('Referral overdue; escalated', { round, recipients: to.length });
    return next;
  });
