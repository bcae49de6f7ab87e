import {
  addDays,
  dueInstantOf,
  planDeadlineCheck,
  secondsUntil,
  type DeadlineConfig,
  type DeadlinePlan,
} from '../shared/domain/deadlines.js';
import { recipientLevelOfReferral, roundOf, type ReferralItem } from '../shared/data/referrals.js';
import { DAY_SECONDS } from './referral-state.js';

// --- checkpoints -------------------------------------------------------------------------

export interface DeadlineDeps {
  config: DeadlineConfig;
  /** Seconds between re-checks of an overdue referral (default 7 days). */
  recheckSeconds?: number;
}

export const recheckOf = (deps: DeadlineDeps) => deps.recheckSeconds ?? 7 * DAY_SECONDS;

/** The due instant of the current round (dispatch + statutory limit when none was set). */
export const dueOf = (referral: ReferralItem, config: DeadlineConfig): Date =>
  dueInstantOf(
    referral,
    addDays(new Date(referral.dispatchedAt ?? referral.createdAt), config.statutoryLimitDays),
  );

export const dueKey = (due: Date) => String(Math.floor(due.getTime() / 1000));

/**
 * An external recipient (another district's congress) is not under this congress's
 * supervision: it is told the due date, but neither reminded nor escalated as overdue; the
 * referral waits for its answer, looking again at the due date and then periodically.
 */
const externalPlan = (due: Date, deps: DeadlineDeps, now: Date): DeadlinePlan => ({
  action: 'NONE',
  nextCheckpoint: due > now ? due : new Date(now.getTime() + recheckOf(deps) * 1000),
});

export const planFor = (referral: ReferralItem, deps: DeadlineDeps, now: Date) => {
  const round = roundOf(referral);
  const due = dueOf(referral, deps.config);
  const key = dueKey(due);
  if (recipientLevelOfReferral(referral) === 'EXTERNAL') {
    return { round, due, key, plan: externalPlan(due, deps, now) };
  }
  return {
    round,
    due,
    key,
    plan: planDeadlineCheck({
      now,
      due,
      roundStartedAt: referral.sent?.round === round ? new Date(referral.sent.at) : now,
      reminderSecondsBefore: referral.reminderSecondsBefore ?? deps.config.reminderSecondsBefore,
      remindersSent: (referral.reminders ?? [])
        .filter((r) => r.round === round && r.due === key)
        .map((r) => r.offsetSeconds),
      escalated: referral.escalation?.round === round && referral.escalation.due === key,
      recheckSeconds: recheckOf(deps),
    }),
  };
};

/** Seconds until CheckDeadlines must run: at once when something is due now. */
export const secondsUntilCheckpoint = (
  referral: ReferralItem,
  deps: DeadlineDeps,
  now: Date,
): number => {
  const { plan } = planFor(referral, deps, now);
  return plan.action === 'NONE' ? secondsUntil(plan.nextCheckpoint, now) : 1;
};

export interface CheckpointResult {
  referralId: string;
  secondsUntilCheckpoint: number;
}
