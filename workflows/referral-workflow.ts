import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { humanStep, type HumanStepOptions, invokeStep, standardStateMachine } from './steps';

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
 * any task ─(States.ALL)─► RecordReferralFailure ─► ReferralFailed
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

    const recordFailure = invokeStep(
      this,
      'RecordReferralFailure',
      functions.recordReferralFailure,
      { ...byReferralId, error: sfn.JsonPath.objectAt('$.error') },
    );
    const failed = new sfn.Fail(this, 'ReferralFailed', {
      error: 'ReferralFailed',
      cause: 'A step of the referral workflow failed; see the referral record',
    });
    recordFailure.next(failed);

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
    const unexpected = new sfn.Pass(this, 'UnexpectedOutcome', {
      comment: 'A human step ended with an outcome this workflow does not know',
      parameters: {
        'referralId.$': '$.referralId',
        error: { Error: 'UnexpectedOutcome', Cause: 'Unknown outcome of a human step' },
      },
    });
    unexpected.next(recordFailure);

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

    const steps = [
      sendEmail,
      awaitDepartment,
      checkDeadlines,
      awaitReroute,
      sendFeedback,
      awaitRatings,
      reopen,
      close,
    ];
    for (const step of steps) {
      step.addCatch(recordFailure, { errors: [sfn.Errors.ALL], resultPath: '$.error' });
    }

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
  }
}
