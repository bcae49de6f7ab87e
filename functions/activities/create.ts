// `POST /activities`: check the invitees and the campaign, write the activity with its
// invitations and audit stream, start its workflow (or record why it could not start).
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { getActivity } from '../shared/data/activities.js';
import { appendAuditEvent, streamHead, startAuditStream } from '../shared/data/audit.js';
import { getCampaign } from '../shared/data/campaigns.js';
import { getDeputies } from '../shared/data/deputies.js';
import { chinaDateOf } from '../shared/domain/deadlines.js';
import type { ActivityFailure, InvitationItem } from '../shared/data/items.js';
import { keys } from '../shared/data/keys.js';
import {
  MAX_TRANSACTION_ITEMS,
  chunk,
  toStoreError,
  writeTransaction,
} from '../shared/data/transact.js';
import {
  ForbiddenError,
  TransientError,
  ValidationError,
  type FieldIssue,
} from '../shared/errors.js';
import { scopeOf, type Caller } from '../shared/http/auth.js';
import { newId } from '../shared/ids.js';
import { detailFieldsOf, type ActivityDetails, type CreateActivityBody } from './schemas.js';
import { toActivityView, type ActivityRecord, type ActivityView } from './view.js';
import { unknownReferenceMessage } from '../shared/reference-ids.js';
import { isErrorNamed, type ActivityDeps } from './domain.js';
import {
  ACTIVITY_OPTIONAL_FIELDS,
  ACTIVITY_SUMMARY_FIELDS,
  pickFields,
  presentFields,
} from '../shared/domain/fields.js';

/** The type-specific fields of a create body, as stored under `details`. */
export const detailsOf = (input: CreateActivityBody): ActivityDetails | undefined => {
  const body = input as unknown as Record<string, unknown>;
  const entries = detailFieldsOf(input.type)
    .filter((name) => body[name] !== undefined)
    .map((name) => [name, body[name]] as const);
  return entries.length ? (Object.fromEntries(entries) as ActivityDetails) : undefined;
};

/**
 * What the audit event records of the details: everything except the unannounced-visit items
 * themselves (auditors may read the trail before they are revealed), of which only when they
 * are revealed and how many.
 */
const auditedDetails = (details: ActivityDetails | undefined) => {
  if (!details) return undefined;
  if (!('unannouncedVisits' in details) || !details.unannouncedVisits) return details;
  const { unannouncedVisits, ...rest } = details;
  return {
    ...rest,
    unannouncedVisits: {
      revealAt: unannouncedVisits.revealAt,
      count: unannouncedVisits.items.length,
    },
  };
};

const BATCH_WRITE_LIMIT = 25;

const checkDeputies = async (deps: ActivityDeps, ids: readonly string[]) => {
  // Existence and `active` only: nothing personal is read to validate an invitation list.
  const found = await getDeputies(deps, ids, ['active']);
  const issues: FieldIssue[] = [];
  const unknown: string[] = [];
  const inactive: string[] = [];
  ids.forEach((id, index) => {
    const deputy = found.get(id);
    if (!deputy) {
      unknown.push(id);
      issues.push({
        path: `invitedDeputyIds.${index}`,
        message: unknownReferenceMessage('deputy', id),
      });
    } else if (!deputy.active) {
      inactive.push(id);
      issues.push({ path: `invitedDeputyIds.${index}`, message: `deputy ${id} is not active` });
    }
  });
  if (issues.length > 0) {
    const list = (ids: string[]) => ids.slice(0, 20).join(', ') + (ids.length > 20 ? ', …' : '');
    const parts = [
      ...(unknown.length ? [`unknown deputies ${list(unknown)}`] : []),
      ...(inactive.length ? [`inactive deputies ${list(inactive)}`] : []),
    ];
    throw new ValidationError(`Invalid invitedDeputyIds: ${parts.join('; ')}`, issues);
  }
};

/** A campaign the activity joins must exist, and the activity start (China date) within its dates. */
const checkCampaign = async (
  deps: ActivityDeps,
  campaignId: string | undefined,
  startsAt: string,
) => {
  if (campaignId === undefined) return;
  const campaign = await getCampaign(deps, campaignId);
  if (!campaign) {
    throw new ValidationError(`Invalid campaignId: unknown campaign ${campaignId}`, [
      { path: 'campaignId', message: `unknown campaign ${campaignId}: GET /campaigns lists them` },
    ]);
  }
  const day = chinaDateOf(new Date(startsAt));
  if (day < campaign.from || day > campaign.to) {
    const message = `starts on ${day}, outside campaign ${campaignId} (${campaign.from}..${campaign.to})`;
    throw new ValidationError(`Invalid startsAt: ${message}`, [{ path: 'startsAt', message }]);
  }
};

const batchPut = async (deps: ActivityDeps, items: readonly InvitationItem[]) => {
  for (const batch of chunk(items, BATCH_WRITE_LIMIT)) {
    let requests = batch.map((item) => ({ PutRequest: { Item: item } }));
    for (let attempt = 1; requests.length > 0; attempt++) {
      if (attempt > 6) throw new TransientError('DynamoDB left invitation writes unprocessed');
      if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const result = await deps.db.send(
        new BatchWriteCommand({ RequestItems: { [deps.tableName]: requests } }),
      );
      requests = (result.UnprocessedItems?.[deps.tableName] ?? []) as typeof requests;
    }
  }
};

/**
 * Schedules an activity: validates the invitation list against the deputies, stores the
 * activity, its invitations and its first audit event, and starts its workflow.
 *
 * What is atomic: the activity, its `ACTIVITY_SCHEDULED` audit event and the first 98
 * invitations go in one TransactWriteItems (DynamoDB allows 100 items). Larger lists (up to
 * 2,000) are completed with idempotent batch puts before the workflow starts, so the workflow
 * only ever sees a complete invitation list. Until then the activity exists with part of its
 * invitations but no execution; if that completion or StartExecution fails, the activity is
 * marked FAILED (with its audit event) before the error is returned, so nothing is left
 * silently half-scheduled. A retry is a new request (a new activity), unless the client sent an
 * Idempotency-Key and the first attempt succeeded, in which case the stored response is replayed.
 */
export const createActivity = async (
  deps: ActivityDeps,
  input: CreateActivityBody,
  caller: Caller,
): Promise<ActivityView & { invitedDeputyIds: string[] }> => {
  const scope = scopeOf(caller);
  if (scope !== undefined && scope !== input.street) {
    throw new ForbiddenError(`You may only schedule activities of your street (${caller.street})`);
  }
  await Promise.all([
    checkDeputies(deps, input.invitedDeputyIds),
    checkCampaign(deps, input.campaignId, input.startsAt),
  ]);

  const now = (deps.now ?? (() => new Date()))();
  const at = now.toISOString();
  const id = (deps.newId ?? newId)(now);
  const streamId = keys.auditStreamOfActivity(id);

  const details = detailsOf(input);
  const activity: Omit<ActivityRecord, 'auditSeq' | 'auditHash'> = {
    ...keys.activity(id),
    ...keys.activityListing('SCHEDULED', input.startsAt, id),
    ...keys.activityOwnership(caller.sub, input.startsAt, id),
    entity: 'ACTIVITY',
    id,
    ...pickFields(input, ACTIVITY_SUMMARY_FIELDS),
    ...presentFields(input, ACTIVITY_OPTIONAL_FIELDS),
    ...(details ? { details } : {}),
    language: input.language,
    organiserId: caller.sub,
    ...(scope ? { scope } : {}),
    status: 'SCHEDULED',
    phase: 'INVITATIONS',
    invitedCount: input.invitedDeputyIds.length,
    createdAt: at,
    updatedAt: at,
  };
  const invitations: InvitationItem[] = input.invitedDeputyIds.map((deputyId) => ({
    ...keys.invitation(id, deputyId),
    ...keys.invitationOwnership(deputyId, input.startsAt, id),
    entity: 'INVITATION',
    activityId: id,
    deputyId,
    invitedAt: at,
  }));

  const { items: scheduled } = startAuditStream({
    tableName: deps.tableName,
    streamId,
    head: activity,
    event: {
      at,
      actor: caller.sub,
      action: 'ACTIVITY_SCHEDULED',
      before: null,
      after: {
        status: 'SCHEDULED',
        title: input.title,
        type: input.type,
        street: input.street,
        location: input.location,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        attendanceClosesAt: input.attendanceClosesAt,
        findingsCloseAt: input.findingsCloseAt,
        details: auditedDetails(details),
        language: input.language,
        ...(input.campaignId ? { campaignId: input.campaignId } : {}),
        invitedDeputyIds: input.invitedDeputyIds,
      },
    },
  });
  const firstCount = MAX_TRANSACTION_ITEMS - scheduled.length;
  await writeTransaction(deps.db, [
    ...scheduled,
    ...invitations
      .slice(0, firstCount)
      .map((Item) => ({ Put: { TableName: deps.tableName, Item } })),
  ]);

  try {
    await batchPut(deps, invitations.slice(firstCount));
    await startWorkflow(deps, id);
  } catch (error) {
    await markSchedulingFailed(deps, id, caller.sub, error);
    throw toStoreError(error);
  }

  return {
    ...toActivityView(
      { ...activity, auditSeq: 1, auditHash: '' },
      { emailsSent: 0 },
      { organiser: true, auditor: false, now },
    ),
    invitedDeputyIds: input.invitedDeputyIds,
  };
};

const startWorkflow = async (deps: ActivityDeps, activityId: string) => {
  try {
    await deps.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: deps.stateMachineArn,
        name: activityId,
        // Ids only: execution history is kept for 90 days and must hold no personal data.
        input: JSON.stringify({ activityId }),
      }),
    );
  } catch (error) {
    // The name is the fresh activity id, so an existing execution can only be ours (an earlier
    // attempt whose response was lost): the input is the same by construction.
    if (isErrorNamed(error, 'ExecutionAlreadyExists')) {
      deps.logger?.warn('Workflow already started', { activityId });
      return;
    }
    if (
      isErrorNamed(error, 'ThrottlingException') ||
      (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 503
    ) {
      throw new TransientError('Step Functions is busy; retry later', { cause: error });
    }
    throw error;
  }
};

const markSchedulingFailed = async (
  deps: ActivityDeps,
  activityId: string,
  actor: string,
  cause: unknown,
) => {
  try {
    const activity = await getActivity(deps, activityId);
    if (!activity || activity.status !== 'SCHEDULED') return;
    const at = (deps.now ?? (() => new Date()))().toISOString();
    const failure: ActivityFailure = {
      stage: 'SCHEDULING',
      error: cause instanceof Error ? cause.name : 'Error',
      cause: 'The activity could not be fully scheduled; schedule it again',
      at,
    };
    const { items } = appendAuditEvent({
      tableName: deps.tableName,
      streamId: keys.auditStreamOfActivity(activityId),
      head: streamHead(keys.activity(activityId), activity),
      change: {
        set: {
          status: 'FAILED',
          failure,
          updatedAt: at,
          ...keys.activityListing('FAILED', activity.startsAt, activityId),
        },
      },
      event: {
        at,
        actor,
        action: 'SCHEDULING_FAILED',
        before: { status: activity.status },
        after: { status: 'FAILED', failure },
      },
    });
    await writeTransaction(deps.db, items);
  } catch (error) {
    // Best effort: the original error is what the caller must see.
    deps.logger?.warn('Could not mark a half-scheduled activity as failed', { activityId, error });
  }
};

/**
 * An activity as `caller` may see it. Organisers (within their street, if scoped) and auditors
 * see any activity; a deputy only one they are invited to. Everyone else gets 404, the same
 * answer as for an activity that does not exist, so existence does not leak.
 */
