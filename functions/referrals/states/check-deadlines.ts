import { dueDateOfInstant, secondsUntil } from '../../shared/domain/deadlines.js';
import { renderEscalationEmail, renderReminderEmail } from '../emails.js';
import { WITH_DEPARTMENT } from '../model.js';
import { type ReminderRecord } from '../../shared/data/referrals.js';
import {
  type MailDeps,
  clock,
  commitReferralChange,
  expectStatus,
  openReferralState,
} from '../referral-state.js';
import {
  departmentAddresses,
  emailFindings,
  loadContext,
  safeAddresses,
  sendReferralEmailOnce,
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
export const checkReferralDeadlines = openReferralState(
  async (deps: CheckDeadlinesDeps, referral): Promise<CheckpointResult> => {
    const referralId = referral.id;
    const now = clock(deps);
    const { round, due, key, plan } = planFor(referral, deps, now);
    const next = { referralId, secondsUntilCheckpoint: secondsUntil(plan.nextCheckpoint, now) };
    if (plan.action === 'NONE' || !WITH_DEPARTMENT.includes(referral.status)) return next;

    const context = await loadContext(deps, referral, plan.action === 'ESCALATE');
    const common = {
      ...context.heading,
      dueDate: dueDateOfInstant(due),
    };
    const checkpoint = { round, due: due.toISOString() };

    if (plan.action === 'REMIND') {
      const { offsetSeconds } = plan;
      const { messageId } = await sendReferralEmailOnce(deps, referralId, round, {
        claim: { reminder: key, offsetSeconds },
        to: departmentAddresses(context, referral),
        ...renderReminderEmail(common),
        purpose: 'REMINDER',
      });
      const at = clock(deps).toISOString();
      const reminder: ReminderRecord = { round, due: key, offsetSeconds, messageId, at };
      await commitReferralChange(deps, referral, at, {
        set: { reminders: [...(referral.reminders ?? []), reminder] },
        action: 'REMINDER_SENT',
        after: { ...checkpoint, offsetSeconds, messageId },
      });
      deps.logger?.info('Referral reminder sent', { round, offsetSeconds });
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
      ({ messageId } = await sendReferralEmailOnce(deps, referralId, round, {
        claim: { escalation: key },
        to,
        ...renderEscalationEmail({ ...common, findings: emailFindings(context.findings) }),
        purpose: 'ESCALATION',
      }));
    } else {
      deps.logger?.warn('Overdue referral: nobody to escalate to', { round });
    }
    const at = clock(deps).toISOString();
    await commitReferralChange(deps, referral, at, {
      set: {
        status: 'OVERDUE',
        overdueAt: at,
        escalation: { round, due: key, messageId, at, recipients: to.length },
      },
      condition: expectStatus(...WITH_DEPARTMENT),
      action: 'REFERRAL_OVERDUE',
      after: { ...checkpoint, escalatedTo: to.length, messageId },
    });
    deps.logger?.info('Referral overdue; escalated', { round, recipients: to.length });
    return next;
  },
);
