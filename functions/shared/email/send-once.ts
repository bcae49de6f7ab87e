import { SendEmailCommand, SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../data/keys.js';
import { getItem } from '../data/query.js';
import { toStoreError, writeTransaction } from '../data/transact.js';
import { AppError, TransientError, ValidationError } from '../errors.js';
import type { DomainLogger } from '../observability.js';
import { isTransientAwsError } from '../transient.js';
import type { CalendarMethod } from './calendar.js';
import { buildCalendarEmail } from './mime.js';
import { isSafeEmailAddress } from './sanitize.js';

/**
 * At-most-once email delivery for workflow steps (docs/referral-workflow.md, "Shared modules").
 *
 * 1. The email is claimed with a conditional write on `EMAIL#<claimKey>` (only when the claim
 *    holds no message id and no live claim).
 * 2. It is sent through SES `SendEmail`, or `SendRawEmail` when it carries a calendar event
 *    ({@link sendSesEmail}); throttling and 5xx are retried here with exponential
 *    backoff and full jitter, then surface as {@link TransientError} (the claim released, since
 *    nothing went out) so the state machine's Retry takes over.
 * 3. The SES message id is stored on the claim, together with a `SESMSG#<messageId>` lookup item
 *    that bounce and complaint notifications resolve.
 *
 * A claim that holds a message id is never sent again: the call returns that id (a retried or
 * redriven step). A send whose outcome is unknown (a network failure after the request left)
 * keeps its claim, so no second email goes out until the claim is stale
 * ({@link EMAIL_CLAIM_STALE_AFTER_MS}); meanwhile every call surfaces TransientError.
 */

/**
 * How long storing the message id of a sent email is retried (the email functions run for a
 * minute at most; see infra/constructs/referral-steps.ts).
 */
export const STORE_RETRY_BUDGET_MS = 20_000;
const STORE_RETRY_MAX_DELAY_MS = 2_000;

/** Lambda's maximum timeout: an older claim belongs to an invocation that is certainly dead. */
export const EMAIL_CLAIM_STALE_AFTER_MS = 15 * 60_000;

export interface EmailOwner {
  /** What the email is about, e.g. `REFERRAL`, `INVITATION`, `ACTIVITY`. */
  kind: string;
  /** Its id (a referral id; an invitation as `<activityId>/<deputyId>`). */
  id: string;
}

export interface SendEmailOnceDeps {
  db: DynamoDBDocumentClient;
  ses: SESClient;
  tableName: string;
  now?: () => Date;
  logger?: DomainLogger;
  /** Attempts of SendEmail within one call (default 4). */
  maxAttempts?: number;
  /** First backoff ceiling in ms (default 200); doubles each attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Time spent retrying the message id's write after a send (default 20 s). */
  storeRetryBudgetMs?: number;
  /** Age after which another attempt may take a claim over (default 15 minutes). */
  claimStaleAfterMs?: number;
  /** For tests: the wait between attempts and the jitter source. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** An iCalendar object (functions/shared/email/calendar.ts) sent with an email. */
export interface CalendarAttachment {
  method: CalendarMethod;
  /** The iCalendar text, CRLF line ends. */
  content: string;
  /** Default `invite.ics`. */
  filename?: string;
}

/** What one SES call sends. */
export interface OutgoingEmail {
  to: string | readonly string[];
  subject: string;
  text: string;
  html: string;
  configurationSet: string;
  from: string;
  replyTo?: string | readonly string[];
  /**
   * A calendar event: the email is then built as MIME here and sent raw, with the event both
   * as a `text/calendar; method=…` alternative (what mail clients show as an invitation) and as
   * an `.ics` attachment.
   */
  calendar?: CalendarAttachment;
}

export interface SendEmailOnceInput extends OutgoingEmail {
  /** Names the step's email: one email per claim key, ever. */
  claimKey: string;
  /** The audited item the email belongs to; recorded on the claim for bounce handling. */
  owner?: EmailOwner;
  /** A label for the email within its owner (e.g. `REFERRAL`, `REMINDER`, `ESCALATION`). */
  purpose?: string;
}

export interface SendEmailOnceResult {
  messageId: string;
  /** False when an earlier attempt had already sent it (the stored message id is returned). */
  sentNow: boolean;
}

/** The stored claim (`EMAIL#<claimKey>` / `EMAIL`). */
export interface EmailClaimItem {
  pk: string;
  sk: string;
  claimKey: string;
  claimedAt?: string;
  messageId?: string;
  sentAt?: string;
  owner?: EmailOwner;
  purpose?: string;
  recipientCount?: number;
  lastError?: string;
  /** Set by the bounce/complaint handler. */
  delivery?: { status: 'BOUNCED' | 'COMPLAINED'; at: string; detail?: string };
}

/** The lookup item `SESMSG#<messageId>` / `SESMSG`. */
export interface SesMessageItem {
  pk: string;
  sk: string;
  messageId: string;
  claimKey: string;
  owner?: EmailOwner;
  purpose?: string;
  sentAt: string;
}

/** SES refused the message for good (e.g. `MessageRejected`): retrying will not help. */
export class EmailRejectedError extends AppError {
  override readonly name = 'EmailRejectedError';
  readonly statusCode = 502;
}

/**
 * SES's documented error codes that are permanent by definition: the same request is refused
 * again until someone changes the message, an identity, the configuration, the account or the
 * permissions (then the organiser redrives the step). From the SES API reference: SendEmail's
 * own errors, and the Common Errors that say the request is malformed or not allowed. Every
 * other code, known (Throttling, ServiceUnavailable, InternalFailure, RequestExpired ...) or
 * not, is retried with backoff: here, then by the state machine's Retry (TransientError).
 */
export const SES_PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  // SendEmail
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'ConfigurationSetDoesNotExistException',
  'ConfigurationSetSendingPausedException',
  'AccountSendingPausedException',
  // Common Errors: the request is malformed
  'InvalidParameterValue',
  'InvalidParameterCombination',
  'MissingParameter',
  'ValidationError',
  'InvalidAction',
  'MissingAction',
  'InvalidQueryParameter',
  'MalformedQueryString',
  // Common Errors: the caller may not send
  'AccessDeniedException',
  'NotAuthorized',
  'OptInRequired',
  'IncompleteSignature',
  'InvalidClientTokenId',
  'MissingAuthenticationToken',
]);

/**
 * A rejection of this one message (its recipient or content), not of every send: a step that
 * emails many people records it for that person and goes on.
 */
export const isMessageRejection = (error: unknown): boolean =>
  (error as { name?: string } | undefined)?.name === 'MessageRejected';

/** The error that stops a step on a permanent SES code, in SES's own words (what to fix). */
export const sesRejectionError = (error: unknown): EmailRejectedError => {
  const name = (error as Error).name ?? 'Error';
  const detail = String((error as Error).message ?? '').slice(0, 300);
  return new EmailRejectedError(
    `SES rejected the email (${name})${detail && detail !== name ? `: ${detail}` : ''}`,
    { cause: error },
  );
};

/** Codes of SES's answers that ask to retry (documented: Throttling, 5xx). */
const SES_ANSWERS = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'InternalServerError',
]);

/**
 * `rejected`: SES refused with a code that is permanent by definition (nothing sent).
 * `retry`: SES answered with any other error (nothing sent), or the connection was refused
 * (the request never left). `unknown`: no answer (the request may or may not have been
 * accepted), so the claim must keep blocking a resend.
 */
export const classifySesError = (error: unknown): 'retry' | 'rejected' | 'unknown' => {
  const { name, code, $metadata, $fault } = (error ?? {}) as {
    name?: string;
    code?: string;
    $fault?: string;
    $metadata?: { httpStatusCode?: number };
  };
  if (SES_PERMANENT_ERRORS.has(name ?? '')) return 'rejected';
  // A refused connection never carried the request: nothing was sent. Before, it counted as an
  // unknown outcome, so an SES endpoint that was down for a moment kept every claim blocked
  // (no email) for EMAIL_CLAIM_STALE_AFTER_MS, far past the step's retries.
  if (code === 'ECONNREFUSED') return 'retry';
  // An error answer from SES (a status, or a code only SES sends): the email was not accepted.
  // Not the SDK's own timeouts or a reset connection: the request may have gone through.
  const status = $metadata?.httpStatusCode ?? 0;
  if (status >= 400 || $fault === 'server' || SES_ANSWERS.has(name ?? '')) return 'retry';
  return 'unknown';
};

/** Exponential backoff with full jitter: uniform in [0, min(max, base · 2^attempt)). */
export const backoffDelay = (
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number => Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));

const LINE_BREAK = /[\r\n\u2028\u2029]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

const list = (value: string | readonly string[] | undefined): string[] =>
  value === undefined ? [] : typeof value === 'string' ? [value] : [...value];

/** Rejects anything that could add a header: CR/LF in the subject, unsafe addresses. */
export const assertSafeHeaders = (input: OutgoingEmail): void => {
  const issues: { path: string; message: string }[] = [];
  if (LINE_BREAK.test(input.subject) || CONTROL.test(input.subject)) {
    issues.push({ path: 'subject', message: 'must be one line without control characters' });
  }
  if (input.subject.trim().length === 0) issues.push({ path: 'subject', message: 'is empty' });
  const to = list(input.to);
  if (to.length === 0) issues.push({ path: 'to', message: 'needs at least one address' });
  if (to.length > 50) issues.push({ path: 'to', message: 'SES takes at most 50 recipients' });
  to.forEach((address, i) => {
    if (!isSafeEmailAddress(address)) issues.push({ path: `to.${i}`, message: 'unsafe address' });
  });
  list(input.replyTo).forEach((address, i) => {
    if (!isSafeEmailAddress(address)) {
      issues.push({ path: `replyTo.${i}`, message: 'unsafe address' });
    }
  });
  // The sender may carry a display name (`名称 <a@b.cn>`); it is configuration, but still one line.
  if (LINE_BREAK.test(input.from) || CONTROL.test(input.from) || input.from.trim() === '') {
    issues.push({ path: 'from', message: 'must be one line without control characters' });
  }
  if (LINE_BREAK.test(input.configurationSet) || input.configurationSet.trim() === '') {
    issues.push({ path: 'configurationSet', message: 'is invalid' });
  }
  if (issues.length > 0) {
    throw new ValidationError('Email headers rejected (header injection guard)', issues);
  }
};

/** The MIME message of an email with a calendar event (functions/shared/email/mime.ts). */
export const buildRawEmail = (email: OutgoingEmail): Buffer => {
  if (!email.calendar) throw new Error('buildRawEmail: only emails with a calendar are sent raw');
  return buildCalendarEmail({
    from: email.from,
    to: list(email.to),
    ...(email.replyTo ? { replyTo: list(email.replyTo) } : {}),
    subject: email.subject,
    text: email.text,
    html: email.html,
    calendar: email.calendar,
  });
};

/**
 * Prepares one SES call for one email: `SendEmail`, or `SendRawEmail` with the MIME message when
 * the email carries a calendar event. The headers are checked and the message built here, before
 * any claim is taken, so a message that cannot be built never blocks its claim; the returned
 * function makes the call. The one place the project talks to SES, so the at-most-once path and
 * the senders with their own claims send the same way.
 */
export const prepareSesEmail = async (
  ses: SESClient,
  outgoing: OutgoingEmail,
): Promise<() => Promise<{ MessageId?: string }>> => {
  // toWellFormed: a lone surrogate in stored text (the inputs refuse them now, see
  // shared/http/well-formed.ts) would make the SDK throw URIError, failing the step.
  const email: OutgoingEmail = {
    ...outgoing,
    subject: outgoing.subject.toWellFormed(),
    text: outgoing.text.toWellFormed(),
    html: outgoing.html.toWellFormed(),
  };
  assertSafeHeaders(email);
  if (email.calendar) {
    const command = new SendRawEmailCommand({
      Source: email.from,
      Destinations: list(email.to),
      RawMessage: { Data: buildRawEmail(email) },
      ConfigurationSetName: email.configurationSet,
    });
    return () => ses.send(command);
  }
  const command = new SendEmailCommand({
    Source: email.from,
    Destination: { ToAddresses: list(email.to) },
    ...(email.replyTo ? { ReplyToAddresses: list(email.replyTo) } : {}),
    Message: {
      Subject: { Data: email.subject, Charset: 'UTF-8' },
      Body: {
        Text: { Data: email.text, Charset: 'UTF-8' },
        Html: { Data: email.html, Charset: 'UTF-8' },
      },
    },
    ConfigurationSetName: email.configurationSet,
  });
  return () => ses.send(command);
};

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Reads a claim (strongly consistent); undefined when there is none. */
export const getEmailClaim = (
  deps: Pick<SendEmailOnceDeps, 'db' | 'tableName'>,
  claimKey: string,
): Promise<EmailClaimItem | undefined> => getItem<EmailClaimItem>(deps, keys.emailClaim(claimKey));

/** Resolves an SES message id to the claim that sent it (bounces, complaints). */
export const getSesMessage = (
  deps: Pick<SendEmailOnceDeps, 'db' | 'tableName'>,
  messageId: string,
): Promise<SesMessageItem | undefined> => getItem<SesMessageItem>(deps, keys.sesMessage(messageId));

export const sendEmailOnce = async (
  deps: SendEmailOnceDeps,
  input: SendEmailOnceInput,
): Promise<SendEmailOnceResult> => {
  const send = await prepareSesEmail(deps.ses, input);
  const clock = deps.now ?? (() => new Date());
  const key = keys.emailClaim(input.claimKey);
  const log = { claimKey: input.claimKey };

  // 1. Claim.
  const now = clock();
  const claimedAt = now.toISOString();
  const staleBefore = new Date(
    now.getTime() - (deps.claimStaleAfterMs ?? EMAIL_CLAIM_STALE_AFTER_MS),
  ).toISOString();
  try {
    await deps.db.send(
      new UpdateCommand({
        TableName: deps.tableName,
        Key: key,
        UpdateExpression:
          'SET claimKey = :claimKey, claimedAt = :claimedAt, recipientCount = :count' +
          (input.owner ? ', #owner = :owner' : '') +
          (input.purpose ? ', purpose = :purpose' : ''),
        ConditionExpression:
          'attribute_not_exists(messageId) AND ' +
          '(attribute_not_exists(claimedAt) OR claimedAt < :stale)',
        ...(input.owner ? { ExpressionAttributeNames: { '#owner': 'owner' } } : {}),
        ExpressionAttributeValues: {
          ':claimKey': input.claimKey,
          ':claimedAt': claimedAt,
          ':count': list(input.to).length,
          ':stale': staleBefore,
          ...(input.owner ? { ':owner': { kind: input.owner.kind, id: input.owner.id } } : {}),
          ...(input.purpose ? { ':purpose': input.purpose } : {}),
        },
      }),
    );
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw toStoreError(error);
    const claim = await getEmailClaim(deps, input.claimKey);
    if (claim?.messageId) {
      deps.logger?.info('Email already sent; not sending again', {
        ...log,
        messageId: claim.messageId,
      });
      return { messageId: claim.messageId, sentNow: false };
    }
    throw new TransientError(
      `Email ${input.claimKey} is claimed by another attempt (claimed at ${claim?.claimedAt}); ` +
        'it is not sent again until that claim is settled or stale',
    );
  }

  // Only our own claim may be finished or released.
  const release = async (lastError: string) => {
    try {
      await deps.db.send(
        new UpdateCommand({
          TableName: deps.tableName,
          Key: key,
          UpdateExpression: 'REMOVE claimedAt SET lastError = :lastError',
          ConditionExpression: 'claimedAt = :claimedAt',
          ExpressionAttributeValues: { ':claimedAt': claimedAt, ':lastError': lastError },
        }),
      );
    } catch (error) {
      // The claim then goes stale by itself; the refusal is what the caller must hear about.
      deps.logger?.warn('Could not release an email claim', { ...log, error: String(error) });
    }
  };

  // 2. Send, retrying what SES refused for now.
  const maxAttempts = Math.max(1, deps.maxAttempts ?? 4);
  const sleep = deps.sleep ?? defaultSleep;
  let messageId: string | undefined;
  for (let attempt = 0; messageId === undefined; attempt++) {
    try {
      const response = await send();
      if (!response.MessageId) {
        // Accepted without an id: it went out, so the claim must block a resend.
        messageId = `unknown:${claimedAt}`;
        deps.logger?.warn('SES accepted an email without a message id', log);
      } else {
        messageId = response.MessageId;
      }
    } catch (error) {
      const kind = classifySesError(error);
      const name = (error as Error).name ?? 'Error';
      if (kind === 'retry' && attempt + 1 < maxAttempts) {
        await sleep(
          backoffDelay(attempt, deps.baseDelayMs ?? 200, deps.maxDelayMs ?? 5_000, deps.random),
        );
        continue;
      }
      if (kind === 'retry') {
        await release(name);
        throw new TransientError(
          `SES refused to send (${name}) ${maxAttempts} times; the step's retry sends it`,
          { cause: error },
        );
      }
      if (kind === 'rejected') {
        await release(name);
        deps.logger?.warn('SES rejected an email', { ...log, error: name });
        throw sesRejectionError(error);
      }
      // Unknown outcome: keep the claim so no second email goes out before it is stale.
      deps.logger?.warn('Email outcome unknown; its claim blocks a resend until stale', {
        ...log,
        error: name,
      });
      throw new TransientError(
        `Email outcome unknown (${name}); not resent until the claim is stale`,
        {
          cause: error,
        },
      );
    }
  }

  // 3. Store the message id on our claim, with the lookup item for notifications.
  const sentAt = clock().toISOString();
  const lookup: SesMessageItem = {
    ...keys.sesMessage(messageId),
    messageId,
    claimKey: input.claimKey,
    ...(input.owner ? { owner: { kind: input.owner.kind, id: input.owner.id } } : {}),
    ...(input.purpose ? { purpose: input.purpose } : {}),
    sentAt,
  };
  // The email is out: until its id is stored, every retry of the step is blocked (the claim) for
  // EMAIL_CLAIM_STALE_AFTER_MS. So this write gets a time budget, not a few attempts: a table
  // that is down for seconds (a restart) must not cost the referral its email.
  const storeBudgetMs = deps.storeRetryBudgetMs ?? STORE_RETRY_BUDGET_MS;
  let waitedMs = 0;
  for (let attempt = 0; ; attempt++) {
    try {
      await writeTransaction(deps.db, [
        {
          Update: {
            TableName: deps.tableName,
            Key: key,
            UpdateExpression: 'SET messageId = :messageId, sentAt = :sentAt REMOVE lastError',
            ConditionExpression: 'claimedAt = :claimedAt',
            ExpressionAttributeValues: {
              ':messageId': messageId,
              ':sentAt': sentAt,
              ':claimedAt': claimedAt,
            },
          },
        },
        { Put: { TableName: deps.tableName, Item: lookup } },
      ]);
      return { messageId, sentNow: true };
    } catch (error) {
      if (
        (error instanceof TransientError || isTransientAwsError(error)) &&
        waitedMs < storeBudgetMs
      ) {
        const delay = Math.max(
          50,
          backoffDelay(Math.min(attempt, 4), deps.baseDelayMs ?? 200, STORE_RETRY_MAX_DELAY_MS),
        );
        waitedMs += delay;
        await sleep(delay);
        continue;
      }
      // The email went out, so the step must not fail into a retry that could send it again:
      // report its id. The claim (still ours, without the id) blocks a resend until stale.
      deps.logger?.warn('Email sent but its message id could not be stored', {
        ...log,
        messageId,
        error: String(error),
      });
      return { messageId, sentNow: true };
    }
  }
};
