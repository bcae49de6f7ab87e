import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { getActivity } from '../data/activities.js';
import { appendAuditEvent, streamHead } from '../data/audit.js';
import type { ActivityItem } from '../data/items.js';
import { keys } from '../data/keys.js';
import { writeTransaction } from '../data/transact.js';
import {
  ConcurrentModificationError,
  ConflictError,
  NotFoundError,
  TransientError,
} from '../errors.js';
import type { DomainLogger } from '../observability.js';

/**
 * Ending a human step of the activity workflow through the API (organiser routes such as
 * `POST /activities/{id}/check-in/open`, `.../attendance/close`, `.../findings/close`,
 * `.../review/approve`).
 *
 * The step's task token was stored on the activity by AwaitPhase (`pendingTask`); it never
 * leaves the server. The route reads it, checks the activity is waiting on the route's phase
 * (else 409 naming the phase it is in), and calls `SendTaskSuccess` with it. Step Functions
 * answering `TaskTimedOut` / `TaskDoesNotExist` means the deadline already closed the phase:
 * 409 "already closed", nothing changed. On success the workflow's next step makes the state
 * change (with its own audit event); this module then appends one chained audit event naming
 * who ended the step, so the trail says whether the organiser or the deadline closed it.
 */

/** Human steps of the activity workflow (the `phase` AwaitPhase stores with the token). */
export const HUMAN_PHASES = ['START', 'ATTENDANCE', 'FINDINGS', 'REVIEW'] as const;
export type HumanPhase = (typeof HUMAN_PHASES)[number];

export interface PhaseControlDeps {
  db: DynamoDBDocumentClient;
  sfn: SFNClient;
  tableName: string;
  now?: () => Date;
  logger?: DomainLogger;
}

export interface EndHumanStepInput {
  activityId: string;
  phase: HumanPhase;
  /** Cognito `sub` of the organiser: the actor of the audit event. */
  actor: string;
  /**
   * The task's output (ids and numbers only: it lands in the execution history). Defaults to
   * `{}`. The workflow may discard it.
   */
  output?: Record<string, unknown>;
  /**
   * Extra checks on the activity before anything is sent (e.g. an organiser scoped to a street
   * may only act on that street's activities): throw a named error to refuse.
   */
  authorize?: (activity: ActivityItem) => void;
}

/** The answer of an organiser's early close of a human step (the workflow makes the change next). */
export const endedHumanStepSchema = z.object({
  activityId: z.string(),
  phase: z.enum(HUMAN_PHASES),
  endedAt: z.string(),
});
export type EndHumanStepResult = z.output<typeof endedHumanStepSchema>;

const AUDIT_ATTEMPTS = 5;

/** Error names with which Step Functions says the token's task is no longer open. */
const CLOSED_TASK_ERRORS = new Set(['TaskTimedOut', 'TaskDoesNotExist']);

export const alreadyClosed = (activityId: string, phase: HumanPhase) =>
  new ConflictError(
    `The ${phase} phase of activity ${activityId} is already closed (its deadline passed or it was ended before)`,
  );

export const endHumanStep = async (
  deps: PhaseControlDeps,
  input: EndHumanStepInput,
): Promise<EndHumanStepResult> => {
  const { activityId, phase } = input;
  const activity = await getActivity(deps, activityId);
  if (!activity) throw new NotFoundError(`Activity ${activityId} not found`);
  input.authorize?.(activity);

  const pending = activity.pendingTask;
  if (!pending || pending.phase !== phase) {
    throw new ConflictError(
      `Activity ${activityId} is not waiting for ${phase}: it is in phase ${activity.phase} ` +
        `(status ${activity.status})`,
    );
  }

  try {
    await deps.sfn.send(
      new SendTaskSuccessCommand({
        taskToken: pending.token,
        output: JSON.stringify(input.output ?? {}),
      }),
    );
  } catch (error) {
    const name = (error as { name?: string }).name ?? '';
    if (CLOSED_TASK_ERRORS.has(name)) throw alreadyClosed(activityId, phase);
    if (
      name === 'ThrottlingException' ||
      (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 503
    ) {
      throw new TransientError('Step Functions is busy; retry later', { cause: error });
    }
    throw error;
  }

  const endedAt = (deps.now ?? (() => new Date()))().toISOString();
  await recordEnded(deps, input, pending.since, endedAt);
  return { activityId, phase, endedAt };
};

/**
 * Appends `<PHASE>_ENDED_BY_ORGANISER` to the activity's chain. The workflow's next step may be
 * appending at the same moment, so a lost race re-reads the head and tries again. The step has
 * already ended, so a failure here is logged rather than reported to the caller.
 */
const recordEnded = async (
  deps: PhaseControlDeps,
  input: EndHumanStepInput,
  since: string,
  endedAt: string,
) => {
  for (let attempt = 1; attempt <= AUDIT_ATTEMPTS; attempt++) {
    try {
      const activity = await getActivity(deps, input.activityId);
      if (!activity) return;
      const { items } = appendAuditEvent({
        tableName: deps.tableName,
        streamId: keys.auditStreamOfActivity(input.activityId),
        head: streamHead(keys.activity(input.activityId), activity),
        change: { set: { updatedAt: endedAt } },
        event: {
          at: endedAt,
          actor: input.actor,
          action: `${input.phase}_ENDED_BY_ORGANISER`,
          before: { phase: input.phase, since },
          after: { phase: input.phase, endedAt },
        },
      });
      await writeTransaction(deps.db, items);
      return;
    } catch (error) {
      if (error instanceof ConcurrentModificationError && attempt < AUDIT_ATTEMPTS) continue;
      deps.logger?.warn('Could not record who ended a human step', {
        activityId: input.activityId,
        phase: input.phase,
        error,
      });
      return;
    }
  }
};
