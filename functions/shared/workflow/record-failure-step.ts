import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { sfn } from '../clients.js';
import { logger, metrics } from '../observability.js';
import { executionFailedEventSchema, failureOf, isCurrentFailure } from './execution-failure.js';
import { workflowStep } from './step.js';

/** What a workflow's recorder keeps: the error as Step Functions gave it, the recorder's request. */
export interface WorkflowFailure {
  error: ReturnType<typeof failureOf>;
  /** The recorder's invocation, whose log line holds the full cause (trace included). */
  requestId: string;
}

/**
 * The target of the rule on a workflow's FAILED and TIMED_OUT events (`recordFailuresOf` in
 * workflows/steps.ts): the execution's name is its subject's id (`idKey`). A late or repeated
 * event of a failure that was redriven since changes nothing; a current one is logged in full
 * (the cause with its trace stays in this log line), counted as `<Workflow>WorkflowsFailed`,
 * and handed to `record`, which keeps on the subject what organisers may read.
 */
export const recordFailureStep = <TIdKey extends 'activityId' | 'referralId'>(options: {
  /** `Activity` or `Referral`: names the log line and the metric. */
  workflow: string;
  idKey: TIdKey;
  record: (id: string, failure: WorkflowFailure) => Promise<unknown>;
}) =>
  workflowStep(executionFailedEventSchema, async (event, context) => {
    const id = event.detail.name;
    logger.appendKeys({ [options.idKey]: id });
    const outcome = (recorded: boolean) =>
      ({ [options.idKey]: id, recorded }) as Record<TIdKey, string> & { recorded: boolean };
    if (!(await isCurrentFailure(sfn, event))) {
      logger.info('Failure event of an execution that has moved on; not recorded', {
        redriveCount: event.detail.redriveCount ?? 0,
      });
      return outcome(false);
    }
    const error = failureOf(event);
    logger.warn(`${options.workflow} workflow failed`, {
      error: error.Error,
      cause: error.Cause,
      executionArn: event.detail.executionArn,
    });
    metrics.addMetric(`${options.workflow}WorkflowsFailed`, MetricUnit.Count, 1);
    await options.record(id, { error, requestId: context.awsRequestId });
    return outcome(true);
  });
