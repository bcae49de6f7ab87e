import type { SESClient } from '@aws-sdk/client-ses';
import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import {
  BatchGetCommand,
  GetCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { settleDutyReferral } from '../audit-stats/duty.js';
import {
  closingStatsWrites,
  hasStatsDate,
  type ReferralFactsSource,
} from '../audit-stats/items.js';
import type { FindingItem } from '../findings/model.js';
import { withConflictRetry } from '../findings/store.js';
import { getActivity } from '../shared/data/activities.js';
import {
  appendAuditEvent,
  streamHead,
  type AuditEventContent,
  type HeadChange,
} from '../shared/data/audit.js';
import { getDeputies } from '../shared/data/deputies.js';
import type { ActivityItem } from '../shared/data/items.js';
import { keys, toQueryParams } from '../shared/data/keys.js';
import type { CommitteeItem, DepartmentItem } from '../shared/data/reference.js';
import { chunk, writeTransaction } from '../shared/data/transact.js';
import {
  addDays,
  chinaDateOf,
  dueDateOfInstant,
  dueInstantOf,
  planDeadlineCheck,
  secondsUntil,
  type DeadlineConfig,
} from '../shared/domain/deadlines.js';
import { raiserOf, raiserRefOfDeputy, raiserRefOfResident } from '../shared/domain/raisers.js';
import type { Language } from '../shared/domain/reference.js';
import { isSafeEmailAddress } from '../shared/email/sanitize.js';
import { sendEmailOnce } from '../shared/email/send-once.js';
import { ConflictError, NotFoundError, TransientError } from '../shared/errors.js';
import { createLink, linkOfToken, MAX_LINK_TTL_SECONDS } from '../shared/links.js';
import type { DomainLogger } from '../shared/observability.js';
import {
  renderEscalationEmail,
  renderFeedbackEmail,
  renderReferralEmail,
  renderReminderEmail,
  type EmailFinding,
} from './emails.js';
import { referralListingAfter } from './listing.js';
import {
  addOutcome,
  CLOSED_STATUSES,
  RATINGS,
  roundOf,
  WITH_DEPARTMENT,
  type FeedbackRecord,
  type Rating,
  type ReferralOutcome,
  type ReferralOutcomeCounts,
  type ReferralRecord,
  type ReminderRecord,
  type SentEmailRecord,
} from './model.js';
import type {
  AwaitReferralInput,
  CloseReferralInput,
  RecordReferralFailureInput,
} from './schemas.js';
import { failureForOrganisers } from '../shared/workflow/failure-cause.js';

/** Actor of audit events written by workflow steps. */
export const WORKFLOW_ACTOR = 'workflow';

const DAY_SECONDS = 86_400;

export interface ReferralDeps {
  db: DynamoDBDocumentClient;
  tableName: string;
  now?: () => Date;
  logger?: DomainLogger;
}

export interface MailDeps extends ReferralDeps {
  ses: SESClient;
  senderEmail: string;
  configurationSet: string;
}

export interface LinkDeps extends MailDeps {
  /** The key that signs response and rating links (functions/shared/secrets.ts). */
  signingKey: () => Promise<string>;
  /** Base URL of the public pages, e.g. the API's URL. */
  publicBaseUrl: string;
}

const clock = (deps: ReferralDeps) => (deps.now ?? (() => new Date()))();

export const loadReferral = async (
  deps: ReferralDeps,
  referralId: string,
): Promise<ReferralRecord> => {
  const { Item } = await deps.db.send(
    new GetCommand({
      TableName: deps.tableName,
      Key: keys.referral(referralId),
      ConsistentRead: true,
    }),
  );
  if (!Item) throw new NotFoundError(`Referral ${referralId} not found`);
  return Item as ReferralRecord;
};

const getOne = async <T>(deps: ReferralDeps, key: { pk: string; sk: string }) => {
  const { Item } = await deps.db.send(
    new GetCommand({ TableName: deps.tableName, Key: key, ConsistentRead: true }),
  );
  return Item as T | undefined;
};

const isClosed = (referral: ReferralRecord) => CLOSED_STATUSES.includes(referral.status);

const assertOpen = (referral: ReferralRecord) => {
  if (isClosed(referral)) throw new ConflictError(`Referral ${referral.id} is ${referral.status}`);
  // The dispatch step marks the referral DISPATCHED before it starts this execution; APPROVED
  // here means a start without its mark (an older dispatch step), which passes once the mark
  // lands, so it is retried.
  if (referral.status === 'APPROVED') {
    throw new TransientError(`Referral ${referral.id} is being dispatched`);
  }
  if (referral.status === 'DRAFT') {
    throw new ConflictError(`Referral ${referral.id} is DRAFT: not dispatched`);
  }
};

type TransactItem = ReturnType<typeof appendAuditEvent>['items'][number];

/**
 * The entries that apply `change` to the referral with the next event of its own audit stream
 * (`REFERRAL#<id>`), conditional on the stream head not having moved. A successful change
 * clears a recorded failure (a redriven execution goes on).
 */
export const referralChange = (
  deps: ReferralDeps,
  referral: ReferralRecord,
  change: HeadChange,
  event: Omit<AuditEventContent, 'at' | 'actor'>,
  at: string,
  options: { clearFailure?: boolean } = {},
): TransactItem[] =>
  appendAuditEvent({
    tableName: deps.tableName,
    streamId: keys.auditStreamOfReferral(referral.id),
    head: streamHead(keys.referral(referral.id), referral),
    change: {
      ...change,
      set: {
        ...change.set,
        // The 督办 list entry follows the status and due date this change leaves.
        ...referralListingAfter(referral, change.set ?? {}, change.remove),
        updatedAt: at,
      },
      remove: [
        ...new Set([
          ...(change.remove ?? []),
          ...(options.clearFailure === false ? [] : ['failure']),
        ]),
      ],
    },
    event: { ...event, at, actor: WORKFLOW_ACTOR },
  }).items;

const expectStatus = (...statuses: string[]): HeadChange['condition'] => ({
  expression: statuses.map((_, i) => `#expectedStatus = :expected${i}`).join(' OR '),
  names: { '#expectedStatus': 'status' },
  values: Object.fromEntries(statuses.map((status, i) => [`:expected${i}`, status])),
});

// --- what a referral email is about ------------------------------------------------------

interface ReferralContext {
  activity: Pick<ActivityItem, 'id' | 'title' | 'language'> | undefined;
  department: DepartmentItem | undefined;
  committee: CommitteeItem | undefined;
  findings: FindingItem[];
}

const languageOf = (context: ReferralContext): Language => context.activity?.language ?? 'zh';

const getFindings = async (
  deps: ReferralDeps,
  activityId: string,
  findingIds: readonly string[],
): Promise<FindingItem[]> => {
  const found = new Map<string, FindingItem>();
  for (const batch of chunk([...new Set(findingIds)], 100)) {
    let requestKeys: Record<string, unknown>[] = batch.map((id) => ({
      ...keys.finding(activityId, id),
    }));
    for (let attempt = 1; requestKeys.length > 0; attempt++) {
      if (attempt > 5) throw new TransientError('DynamoDB left finding reads unprocessed');
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const out = await deps.db.send(
        new BatchGetCommand({
          RequestItems: { [deps.tableName]: { Keys: requestKeys, ConsistentRead: true } },
        }),
      );
      for (const item of out.Responses?.[deps.tableName] ?? []) {
        found.set(String(item.id), item as FindingItem);
      }
      requestKeys = out.UnprocessedKeys?.[deps.tableName]?.Keys ?? [];
    }
  }
  // In the referral's own order.
  return findingIds.map((id) => found.get(id)).filter((f): f is FindingItem => f !== undefined);
};

const loadContext = async (
  deps: ReferralDeps,
  referral: ReferralRecord,
  withFindings = true,
): Promise<ReferralContext> => {
  const [activity, department, committee, findings] = await Promise.all([
    getActivity(deps, referral.activityId),
    getOne<DepartmentItem>(deps, keys.department(referral.departmentId)),
    referral.committeeId
      ? getOne<CommitteeItem>(deps, keys.committee(referral.committeeId))
      : Promise.resolve(undefined),
    withFindings
      ? getFindings(deps, referral.activityId, referral.findingIds)
      : Promise.resolve([]),
  ]);
  return { activity, department, committee, findings };
};

/** What a department must know to act: category, text, place. Never who raised it. */
const emailFindings = (findings: readonly FindingItem[]): EmailFinding[] =>
  findings.map((f) => ({ category: f.category, description: f.description, place: f.place }));

const safeAddresses = (addresses: readonly string[] | undefined): string[] => [
  ...new Set((addresses ?? []).map((a) => a.trim()).filter(isSafeEmailAddress)),
];

const departmentAddresses = (context: ReferralContext, referral: ReferralRecord): string[] => {
  const addresses = safeAddresses(context.department?.emails);
  if (!context.department || addresses.length === 0) {
    // Nothing can be sent: a person must fix the department's data, then redrive.
    throw new ConflictError(`Department ${referral.departmentId} has no usable email address`);
  }
  return addresses;
};

const pageUrl = (base: string, page: 'respond' | 'rate', token: string) =>
  `${base.replace(/\/+$/, '')}/${page}/${encodeURIComponent(token)}`;

// --- checkpoints -------------------------------------------------------------------------

export interface DeadlineDeps {
  config: DeadlineConfig;
  /** Seconds between re-checks of an overdue referral (default 7 days). */
  recheckSeconds?: number;
}

const recheckOf = (deps: DeadlineDeps) => deps.recheckSeconds ?? 7 * DAY_SECONDS;

/** The due instant of the current round (dispatch + statutory limit when none was set). */
export const dueOf = (referral: ReferralRecord, config: DeadlineConfig): Date =>
  dueInstantOf(
    referral,
    addDays(new Date(referral.dispatchedAt ?? referral.createdAt), config.statutoryLimitDays),
  );

const dueKey = (due: Date) => String(Math.floor(due.getTime() / 1000));

const planFor = (referral: ReferralRecord, deps: DeadlineDeps, now: Date) => {
  const round = roundOf(referral);
  const due = dueOf(referral, deps.config);
  const key = dueKey(due);
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
  referral: ReferralRecord,
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
      activityTitle: context.activity?.title ?? '',
      departmentName: context.department?.name ?? referral.departmentId,
      committeeName: context.committee?.name,
      dueDate: dueDateOfInstant(due),
      findings: emailFindings(context.findings),
      url: pageUrl(deps.publicBaseUrl, 'respond', token),
    });
    const { messageId, sentNow } = await sendEmailOnce(deps, {
      claimKey: `REFERRAL#${referralId}#ROUND#${round}#DEPARTMENT#${referral.departmentId}`,
      to,
      ...email,
      from: deps.senderEmail,
      configurationSet: deps.configurationSet,
      owner: { kind: 'REFERRAL', id: referralId },
      purpose: 'REFERRAL',
    });
    const now = clock(deps);
    const at = now.toISOString();
    const sent: SentEmailRecord = { round, departmentId: referral.departmentId, messageId, at };
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
            recipients: to.length,
            messageId,
            due: due.toISOString(),
          },
        },
        at,
      ),
    );
    deps.logger?.info('Referral emailed', { round, sentNow, recipients: to.length });
    const updated: ReferralRecord = { ...referral, status: 'SENT', round, sent };
    return { referralId, secondsUntilCheckpoint: secondsUntilCheckpoint(updated, deps, now) };
  });

// --- AwaitReferral -----------------------------------------------------------------------

/**
 * Stores the task token of a human step on the referral (server-side: links carry opaque ids
 * only) with its audit event; the same token again changes nothing. The token stays out of the
 * audit event, which auditors read.
 */
export interface AwaitReferralDeps extends ReferralDeps, DeadlineDeps {
  /** Ends the wait at once when the department answered while no wait was open. */
  sfn: Pick<SFNClient, 'send'>;
}

/**
 * The department's outcome already recorded on the referral, if any. The response page stores
 * the outcome before it signals the stored token; when it answered between two waits (while
 * CheckDeadlines ran) it signalled a token that was already dead, so the new wait must pick the
 * outcome up itself or it would wait for a signal that never comes.
 */
export const outcomeAlreadyGiven = (referral: ReferralRecord): string | undefined => {
  if (referral.committeeClosure) return 'CLOSED_BY_COMMITTEE';
  if (referral.status === 'REPLIED') return 'REPLIED';
  if (referral.status === 'RETURNED') return 'RETURNED';
  return undefined;
};

/** Errors of SendTaskSuccess that mean the step was already ended by someone else. */
const TASK_ALREADY_ENDED = new Set(['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken']);

export const awaitReferral = async (
  deps: AwaitReferralDeps,
  input: AwaitReferralInput,
): Promise<object> => {
  await withConflictRetry(async () => {
    const referral = await loadReferral(deps, input.referralId);
    if (referral.pendingTask?.token === input.taskToken) return;
    assertOpen(referral);
    const since = clock(deps).toISOString();
    const deadline =
      input.phase === 'DEPARTMENT'
        ? dueOf(referral, deps.config).toISOString()
        : input.phase === 'RATING'
          ? referral.feedback?.ratingDeadline
          : undefined;
    const pendingTask = {
      phase: input.phase,
      token: input.taskToken,
      since,
      round: roundOf(referral),
      ...(deadline ? { deadline } : {}),
    };
    await writeTransaction(
      deps.db,
      referralChange(
        deps,
        referral,
        { set: { pendingTask } },
        {
          action: `AWAITING_${input.phase}`,
          before: { status: referral.status, pendingPhase: referral.pendingTask?.phase ?? null },
          after: {
            phase: input.phase,
            round: roundOf(referral),
            since,
            deadline: deadline ?? null,
          },
        },
        since,
      ),
    );
  });
  if (input.phase !== 'DEPARTMENT') return {};
  // Read again after the token is stored: an answer stored before this point may have
  // signalled the previous, dead token; one stored after it finds this token itself.
  const latest = await loadReferral(deps, input.referralId);
  const outcome = outcomeAlreadyGiven(latest);
  if (outcome) {
    try {
      await deps.sfn.send(
        new SendTaskSuccessCommand({
          taskToken: input.taskToken,
          output: JSON.stringify({ outcome }),
        }),
      );
      deps.logger?.info('Outcome given between waits; wait ended at once', { outcome });
    } catch (error) {
      if (!TASK_ALREADY_ENDED.has((error as Error).name)) throw error;
    }
  }
  return {};
};

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
        claimKey: `REFERRAL#${referralId}#ROUND#${round}#REMINDER#${key}#${plan.offsetSeconds}`,
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
        claimKey: `REFERRAL#${referralId}#ROUND#${round}#ESCALATION#${key}`,
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
export const sendReferralFeedback = async (
  deps: FeedbackDeps,
  referralId: string,
): Promise<FeedbackResult> =>
  withConflictRetry(async () => {
    const referral = await loadReferral(deps, referralId);
    assertOpen(referral);
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
    const raisers = new Map<string, { email?: string; findings: FindingItem[] }>();
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
    const deputies = await getDeputies(deps, [...deputyIds], ['email', 'active']);
    for (const [ref, raiser] of raisers) {
      const who = raiserOf(ref);
      if (who?.kind !== 'DEPUTY') continue;
      const deputy = deputies.get(who.deputyId);
      if (deputy?.active && isSafeEmailAddress(deputy.email)) raiser.email = deputy.email;
    }

    const ratingDeadline = addDays(now, deps.ratingDays);
    const key = await deps.signingKey();
    const emailed: string[] = [];
    const deputyRateLinks: NonNullable<FeedbackRecord['deputyRateLinks']> = {};
    for (const [raiserRef, raiser] of raisers) {
      if (!raiser.email) continue;
      const token = await createLink(deps, key, {
        purpose: 'RATE',
        referralId,
        round,
        raiserRef,
        ttlSeconds: Math.min(MAX_LINK_TTL_SECONDS, (deps.ratingDays + 1) * DAY_SECONDS),
      });
      await sendEmailOnce(deps, {
        claimKey: `REFERRAL#${referralId}#ROUND#${round}#FEEDBACK#${raiserRef}`,
        to: raiser.email,
        ...renderFeedbackEmail({
          language: languageOf(context),
          activityTitle: context.activity?.title ?? '',
          departmentName: context.department?.name ?? referral.departmentId,
          findings: emailFindings(raiser.findings),
          result: typeof referral.reply?.result === 'string' ? referral.reply.result : undefined,
          replyText: typeof referral.reply?.text === 'string' ? referral.reply.text : undefined,
          url: pageUrl(deps.publicBaseUrl, 'rate', token),
        }),
        from: deps.senderEmail,
        configurationSet: deps.configurationSet,
        owner: { kind: 'REFERRAL', id: referralId },
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
    await writeTransaction(
      deps.db,
      referralChange(
        deps,
        referral,
        {
          set: { feedback },
          remove: ['pendingTask'],
          condition: expectStatus('REPLIED'),
        },
        {
          action: 'FEEDBACK_SENT',
          before: { status: referral.status },
          after: {
            status: referral.status,
            round,
            raisers: raisers.size,
            emailed: emailed.length,
            ratingDeadline: feedback.ratingDeadline,
          },
        },
        at,
      ),
    );
    deps.logger?.info('Referral feedback sent', { round, emailed: emailed.length });
    return {
      referralId,
      // Nobody to ask: the rating step ends at once and the referral closes.
      secondsUntilRatingDeadline: emailed.length > 0 ? secondsUntil(ratingDeadline, now) : 1,
      timesReopened,
    };
  });

// --- ReopenReferral ----------------------------------------------------------------------

/**
 * "Not satisfied" reopens a referral once: a new round with a new due date (`reopenDays` from
 * now), the reply kept in `previousReplies`. A retry after success changes nothing.
 */
export const reopenReferral = async (
  deps: ReferralDeps & { reopenDays: number },
  referralId: string,
): Promise<{ referralId: string }> =>
  withConflictRetry(async () => {
    const referral = await loadReferral(deps, referralId);
    if (referral.reopened) return { referralId };
    assertOpen(referral);
    if (referral.status !== 'REPLIED') {
      throw new ConflictError(`Referral ${referralId} is ${referral.status}: cannot reopen`);
    }
    const now = clock(deps);
    const at = now.toISOString();
    const round = roundOf(referral) + 1;
    const dueDate = chinaDateOf(addDays(now, deps.reopenDays));
    await writeTransaction(
      deps.db,
      referralChange(
        deps,
        referral,
        {
          set: {
            status: 'REOPENED',
            reopened: true,
            reopenCount: (referral.reopenCount ?? 0) + 1,
            reopenedAt: at,
            round,
            dueDate,
            previousReplies: [
              ...(referral.previousReplies ?? []),
              ...(referral.reply ? [{ ...referral.reply, round: roundOf(referral) }] : []),
            ],
          },
          remove: ['reply', 'dueAt', 'pendingTask'],
          condition: expectStatus('REPLIED'),
        },
        {
          action: 'REFERRAL_REOPENED',
          before: {
            status: referral.status,
            round: roundOf(referral),
            dueDate: referral.dueDate ?? null,
          },
          after: { status: 'REOPENED', round, dueDate },
        },
        at,
      ),
    );
    deps.logger?.info('Referral reopened', { round, dueDate });
    return { referralId };
  });

// --- CloseReferral -----------------------------------------------------------------------

const ratingOf = (item: Record<string, unknown>): Rating | undefined => {
  const value = item.rating ?? item.satisfaction ?? item.value;
  return RATINGS.includes(value as Rating) ? (value as Rating) : undefined;
};

/** Ratings of one round (items `RATING#<round>#<raiserRef>` the rating page writes). */
export const countRatings = async (
  deps: ReferralDeps,
  referralId: string,
  round: number,
): Promise<Record<Rating, number>> => {
  const counts: Record<Rating, number> = { SATISFIED: 0, BASICALLY_SATISFIED: 0, NOT_SATISFIED: 0 };
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await deps.db.send(
      new QueryCommand({
        TableName: deps.tableName,
        ...toQueryParams(keys.ratingsOfReferralRound(referralId, round)),
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of out.Items ?? []) {
      const rating = ratingOf(item);
      if (rating) counts[rating]++;
    }
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return counts;
};

/**
 * Closes the referral: status CLOSED (or CLOSED_BY_COMMITTEE), its outcome (result, answer
 * date and whether on time, ratings of the last round) stored, and the activity's report data
 * (`referralOutcomes`) updated, in one transaction with an audit event on both chains.
 */
export const closeReferral = async (
  deps: ReferralDeps & DeadlineDeps,
  input: CloseReferralInput,
): Promise<{ referralId: string }> =>
  withConflictRetry(async () => {
    const { referralId } = input;
    const referral = await loadReferral(deps, referralId);
    if (isClosed(referral)) {
      // A retry after the close committed: the duty move is conditional, so once at most.
      await settleDuty(deps, referral);
      return { referralId };
    }
    assertOpen(referral);
    const byCommittee =
      input.decision?.outcome === 'CLOSED_BY_COMMITTEE' || referral.committeeClosure !== undefined;
    const status = byCommittee ? 'CLOSED_BY_COMMITTEE' : 'CLOSED';
    const round = roundOf(referral);
    const answeredAt =
      (typeof referral.reply?.at === 'string' ? referral.reply.at : undefined) ??
      referral.repliedAt ??
      null;
    const due = dueOf(referral, deps.config);
    const outcome: ReferralOutcome = {
      status,
      result: typeof referral.reply?.result === 'string' ? referral.reply.result : null,
      answeredAt,
      answeredOnTime: answeredAt ? Date.parse(answeredAt) <= due.getTime() : null,
      reopened: referral.reopened === true,
      rounds: round,
      ratings: await countRatings(deps, referralId, round),
    };
    const at = clock(deps).toISOString();
    const items = referralChange(
      deps,
      referral,
      { set: { status, closedAt: at, outcome }, remove: ['pendingTask'] },
      {
        action: 'REFERRAL_CLOSED',
        before: { status: referral.status },
        after: { ...outcome },
      },
      at,
    );
    const activity = (await getActivity(deps, referral.activityId)) as
      (ActivityItem & { referralOutcomes?: ReferralOutcomeCounts }) | undefined;
    if (activity && !activity.referralOutcomes?.referralIds.includes(referralId)) {
      const referralOutcomes = addOutcome(activity.referralOutcomes, referralId, outcome);
      items.push(
        ...appendAuditEvent({
          tableName: deps.tableName,
          streamId: keys.auditStreamOfActivity(activity.id),
          head: streamHead(keys.activity(activity.id), activity),
          change: { set: { referralOutcomes, updatedAt: at } },
          event: {
            at,
            actor: WORKFLOW_ACTOR,
            action: 'REFERRAL_CLOSED',
            before: null,
            after: { referralId, departmentId: referral.departmentId, ...outcome },
          },
        }).items,
      );
    }
    if (activity && hasStatsDate(activity)) {
      // Its statistics item and the rollups its outcome adds into (functions/audit-stats), in
      // the same transaction: a retried close finds the referral closed and adds nothing twice.
      const closed = { ...referral, status, closedAt: at, outcome } as ReferralFactsSource;
      items.push(...closingStatsWrites(deps.tableName, activity, closed));
    }
    await writeTransaction(deps.db, items);
    deps.logger?.info('Referral closed', { status, round });
    await settleDuty(deps, { ...referral, status, closedAt: at, outcome }, activity);
    return { referralId };
  });

/**
 * The closed referral's outcome into the duty summaries of the deputies it came from
 * (functions/audit-stats/duty.ts); only once its activity has a start (always, but for items
 * written before activities had one).
 */
const settleDuty = async (
  deps: ReferralDeps,
  closed: ReferralRecord,
  known?: ActivityItem,
): Promise<void> => {
  const activity = known ?? (await getActivity(deps, closed.activityId));
  if (!activity || !hasStatsDate(activity)) return;
  await settleDutyReferral(deps, closed as unknown as ReferralFactsSource, activity);
};

// --- RecordReferralFailure ---------------------------------------------------------------

/**
 * `Catch` of the referral workflow: records the failure on the referral (its status stays, so
 * a redrive resumes where it stopped) with its audit event.
 */
export const recordReferralFailure = async (
  deps: ReferralDeps,
  input: RecordReferralFailureInput,
): Promise<{ referralId: string }> =>
  withConflictRetry(async () => {
    const referral = await loadReferral(deps, input.referralId);
    const at = clock(deps).toISOString();
    // Organisers read it: no stack trace, no server path (the full cause is in the log).
    const failure = { ...failureForOrganisers(input.error, input.requestId), at };
    await writeTransaction(
      deps.db,
      referralChange(
        deps,
        referral,
        { set: { failure }, remove: ['pendingTask'] },
        {
          action: 'REFERRAL_FAILED',
          before: { status: referral.status },
          after: { status: referral.status, error: failure.error },
        },
        at,
        { clearFailure: false },
      ),
    );
    return { referralId: input.referralId };
  });
