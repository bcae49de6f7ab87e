import { createHash } from 'node:crypto';
import { getActivity } from '../shared/data/activities.js';
import { keys } from '../shared/data/keys.js';
import { isSafeEmailAddress } from '../shared/email/sanitize.js';
import { EmailRejectedError, sendEmailOnce } from '../shared/email/send-once.js';
import { ConflictError, NotFoundError, TransientError } from '../shared/errors.js';
import type { DomainLogger } from '../shared/observability.js';
import { renderReportEmail } from './render-email.js';
import { loadReportView, type ReportDeps } from './store.js';
import type { EmailSenderDeps } from '../shared/email/deps.js';

export interface SendReportDeps extends ReportDeps, EmailSenderDeps {
  /** The organiser office mailboxes (ORGANISER_EMAILS). */
  organiserEmails: readonly string[];
  logger?: DomainLogger;
  /** Passed on to sendEmailOnce (tests shorten SES backoff). */
  emailOptions?: {
    maxAttempts?: number;
    baseDelayMs?: number;
    sleep?: (ms: number) => Promise<void>;
  };
}

/** What the step returns into the execution: numbers only. */
export interface SendReportResult {
  activityId: string;
  recipients: number;
  sentNow: number;
  alreadySent: number;
  rejected: number;
}

/** Parses ORGANISER_EMAILS: comma-separated, trimmed, unsafe addresses dropped, each once. */
export const organiserMailboxes = (value: string | undefined): string[] => [
  ...new Set(
    (value ?? '')
      .split(',')
      .map((address) => address.trim().toLowerCase())
      .filter((address) => address !== '' && isSafeEmailAddress(address)),
  ),
];

/**
 * One claim per activity and recipient, so a retried or redriven step (or a manual re-run)
 * sends each mailbox the report at most once. The address is hashed: claim keys are stored and
 * logged, addresses need not be.
 */
export const reportClaimKey = (activityId: string, recipient: string): string =>
  keys.reportEmailClaimKey(
    activityId,
    createHash('sha256').update(recipient.toLowerCase()).digest('hex').slice(0, 32),
  );

/**
 * State `SendActivityReport`: emails the activity report to each organiser mailbox, one email
 * per recipient through sendEmailOnce. A mailbox SES refuses for good is logged and skipped
 * (retrying cannot help it); a passing fault (throttling, an unsettled claim) is raised as
 * TransientError after the other mailboxes were tried, so the state's Retry sends only what is
 * missing. The activity stays COMPLETED whatever happens here.
 */
export const sendActivityReport = async (
  deps: SendReportDeps,
  activityId: string,
): Promise<SendReportResult> => {
  const recipients = [...new Set(deps.organiserEmails.map((address) => address.toLowerCase()))];
  const result = {
    activityId,
    recipients: recipients.length,
    sentNow: 0,
    alreadySent: 0,
    rejected: 0,
  };
  if (recipients.length === 0) {
    deps.logger?.warn('No organiser mailbox configured (ORGANISER_EMAILS): report not emailed');
    return result;
  }
  const activity = await getActivity(deps, activityId);
  if (!activity) throw new NotFoundError(`Activity ${activityId} not found`);
  if (activity.status !== 'COMPLETED') {
    throw new ConflictError(`Activity ${activityId} is ${activity.status}: no report to send`);
  }
  const email = renderReportEmail(
    await loadReportView(deps, activity as unknown as Record<string, unknown>),
  );

  let transient: unknown;
  for (const recipient of recipients) {
    try {
      const sent = await sendEmailOnce(
        { ...deps, ...deps.emailOptions },
        {
          claimKey: reportClaimKey(activityId, recipient),
          to: recipient,
          from: deps.senderEmail,
          configurationSet: deps.configurationSet,
          subject: email.subject,
          text: email.text,
          html: email.html,
          owner: { kind: 'ACTIVITY', id: activityId },
          purpose: 'ACTIVITY_REPORT',
        },
      );
      if (sent.sentNow) result.sentNow++;
      else result.alreadySent++;
    } catch (error) {
      if (error instanceof EmailRejectedError) {
        result.rejected++;
        deps.logger?.warn('SES refused the activity report for one mailbox', {
          error: error.message,
        });
      } else if (error instanceof TransientError) {
        transient ??= error;
      } else {
        throw error;
      }
    }
  }
  if (transient !== undefined) throw transient;
  deps.logger?.info('Activity report emailed', { ...result });
  return result;
};
