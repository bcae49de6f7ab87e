import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  humanStep,
  type HumanStepOptions,
  invokeStep,
  recordFailuresOf,
  standardStateMachine,
} from './steps';

export interface ReferralWorkflowFunctions {
  readonly sendReferralEmail: lambda.IFunction;
  readonly awaitReferral: lambda.IFunction;
  readonly checkReferralDeadlines: lambda.IFunction;
  readonly sendReferralFeedback: lambda.IFunction;
  readonly reopenReferral: lambda.IFunction;
  readonly closeReferral: lambda.IFunction;
  readonly recordReferralFailure: lambda.IFunction;
}

export interface ReferralWorkflowProps {
  readonly functions: ReferralWorkflowFunctions;
  readonly logRetention: logs.RetentionDays;
}

/**
 * One execution per approved referral, name = referral id, input `{ referralId }`
 * (docs/referral-workflow.md). Payloads carry the referral id, numbers and the outcome code of
 * the last human step (`$.decision`); everything else is read from the table.
 *
 * ```
 * SendReferralEmail ─► AwaitDepartment ─(States.Timeout)─► CheckDeadlines ─► AwaitDepartment
 * AwaitDepartment ─(token)─► RouteOutcome
 *    RETURNED ─► AwaitReroute ─(REROUTED)─► SendReferralEmail
 *    REPLIED ─► SendFeedback ─► AwaitRatings ─(token | Timeout)─► RouteRating
 *                 NOT_SATISFIED and not yet reopened ─► ReopenReferral ─► SendReferralEmail
 *                 otherwise ─► CloseReferral
 *    CLOSED_BY_COMMITTEE ─► CloseReferral ─► Closed
 * a task failing after its Retry fails the execution there; a rule on the failure event runs
 * RecordReferralFailure, and a redrive (POST /referrals/{id}/redrive) runs the task again
 * ```
 */
export class ReferralWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ReferralWorkflowProps) {
    super(scope, id);
    const { functions } = props;
    const human = (stepId: string, options: Omit<HumanStepOptions, 'idField' | 'resultPath'>) =>
      humanStep(this, stepId, functions.awaitReferral, {
        idField: 'referralId',
        resultPath: '$.decision',
        ...options,
      });
    const byReferralId = { referralId: sfn.JsonPath.stringAt('$.referralId') };

    const sendEmail = invokeStep(
      this,
      'SendReferralEmail',
      functions.sendReferralEmail,
      byReferralId,
    );
    const awaitDepartment = human('AwaitDepartment', {
      phase: 'DEPARTMENT',
      comment:
        'The department acknowledges, returns, asks for time, replies; the committee may close',
      timeoutPath: '$.secondsUntilCheckpoint',
    });
    const checkDeadlines = invokeStep(
      this,
      'CheckDeadlines',
      functions.checkReferralDeadlines,
      byReferralId,
    );
    const awaitReroute = human('AwaitReroute', {
      phase: 'REROUTE',
      comment: 'The organisers re-route a returned referral to another department',
    });
    const sendFeedback = invokeStep(
      this,
      'SendFeedback',
      functions.sendReferralFeedback,
      byReferralId,
    );
    const awaitRatings = human('AwaitRatings', {
      phase: 'RATING',
      comment: 'Raisers rate the reply; ends early when all rated or on a first NOT_SATISFIED',
      timeoutPath: '$.secondsUntilRatingDeadline',
    });
    const reopen = invokeStep(this, 'ReopenReferral', functions.reopenReferral, byReferralId);
    const close = invokeStep(this, 'CloseReferral', functions.closeReferral, {
      ...byReferralId,
      decision: sfn.JsonPath.objectAt('$.decision'),
    });
    const closed = new sfn.Succeed(this, 'Closed');
    // A defect, not a fault: a redrive would stop here again, so it ends the execution.
    const unexpected = new sfn.Fail(this, 'UnexpectedOutcome', {
      comment: 'A human step ended with an outcome this workflow does not know',
      error: 'UnexpectedOutcome',
      cause: 'Unknown outcome of a human step',
    });

    const outcomeIs = (value: string) => sfn.Condition.stringEquals('$.decision.outcome', value);
    const routeOutcome = new sfn.Choice(this, 'RouteOutcome')
      .when(outcomeIs('REPLIED'), sendFeedback)
      .when(outcomeIs('RETURNED'), awaitReroute)
      .when(outcomeIs('CLOSED_BY_COMMITTEE'), close)
      .otherwise(unexpected);
    const routeReroute = new sfn.Choice(this, 'RouteReroute')
      .when(outcomeIs('REROUTED'), sendEmail)
      .when(outcomeIs('CLOSED_BY_COMMITTEE'), close)
      .otherwise(unexpected);
    const routeRating = new sfn.Choice(this, 'RouteRating')
      .when(
        sfn.Condition.and(
          outcomeIs('NOT_SATISFIED'),
          sfn.Condition.numberEquals('$.timesReopened', 0),
        ),
        reopen,
      )
      .otherwise(close);

    // A deadline is the ordinary end of a wait: check reminders and escalation, wait again.
    awaitDepartment.addCatch(checkDeadlines, {
      errors: [sfn.Errors.TIMEOUT],
      resultPath: sfn.JsonPath.DISCARD,
    });
    // The rating window closed: close with the ratings given so far (the timeout lands in
    // `$.decision`, without an outcome, so CloseReferral always finds the path).
    awaitRatings.addCatch(close, { errors: [sfn.Errors.TIMEOUT], resultPath: '$.decision' });

    sendEmail.next(awaitDepartment);
    awaitDepartment.next(routeOutcome);
    checkDeadlines.next(awaitDepartment);
    awaitReroute.next(routeReroute);
    sendFeedback.next(awaitRatings);
    awaitRatings.next(routeRating);
    reopen.next(sendEmail);
    close.next(closed);

    this.stateMachine = standardStateMachine(this, {
      definition: sendEmail,
      logRetention: props.logRetention,
      comment: 'Referral: department email, response, deadlines, feedback',
    });
    recordFailuresOf(this, 'FailureRecording', this.stateMachine, functions.recordReferralFailure);
  }
}
