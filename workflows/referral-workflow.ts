import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { SubjectWorkflow, type WorkflowFunctions, type WorkflowProps } from './steps';

/** The names of its step functions (infra creates one function for each). */
export type ReferralWorkflowStep =
  | 'sendReferralEmail'
  | 'awaitReferral'
  | 'checkReferralDeadlines'
  | 'sendReferralFeedback'
  | 'reopenReferral'
  | 'closeReferral'
  | 'recordReferralFailure';

export type ReferralWorkflowFunctions = WorkflowFunctions<ReferralWorkflowStep>;

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
export class ReferralWorkflow extends SubjectWorkflow<ReferralWorkflowStep> {
  constructor(scope: Construct, id: string, props: WorkflowProps<ReferralWorkflowFunctions>) {
    super(scope, id, props, {
      idField: 'referralId',
      awaitFunction: 'awaitReferral',
      answerPath: '$.decision',
      recorder: 'recordReferralFailure',
      comment: 'Referral: department email, response, deadlines, feedback',
      define: ({ scope, step, byIdWith, human, onError }, functions) => {
        const sendEmail = step('SendReferralEmail', functions.sendReferralEmail);
        const awaitDepartment = human('AwaitDepartment', {
          phase: 'DEPARTMENT',
          comment:
            'The department acknowledges, returns, asks for time, replies; the committee may close',
          timeoutPath: '$.secondsUntilCheckpoint',
        });
        const checkDeadlines = step('CheckDeadlines', functions.checkReferralDeadlines);
        const awaitReroute = human('AwaitReroute', {
          phase: 'REROUTE',
          comment: 'The organisers re-route a returned referral to another department',
        });
        const sendFeedback = step('SendFeedback', functions.sendReferralFeedback);
        const awaitRatings = human('AwaitRatings', {
          phase: 'RATING',
          comment: 'Raisers rate the reply; ends early when all rated or on a first NOT_SATISFIED',
          timeoutPath: '$.secondsUntilRatingDeadline',
        });
        const reopen = step('ReopenReferral', functions.reopenReferral);
        const close = step(
          'CloseReferral',
          functions.closeReferral,
          byIdWith({ decision: sfn.JsonPath.objectAt('$.decision') }),
        );
        const closed = new sfn.Succeed(scope, 'Closed');
        // A defect, not a fault: a redrive would stop here again, so it ends the execution.
        const unexpected = new sfn.Fail(scope, 'UnexpectedOutcome', {
          comment: 'A human step ended with an outcome this workflow does not know',
          error: 'UnexpectedOutcome',
          cause: 'Unknown outcome of a human step',
        });

        const outcomeIs = (value: string) =>
          sfn.Condition.stringEquals('$.decision.outcome', value);
        const routeOutcome = new sfn.Choice(scope, 'RouteOutcome')
          .when(outcomeIs('REPLIED'), sendFeedback)
          .when(outcomeIs('RETURNED'), awaitReroute)
          .when(outcomeIs('CLOSED_BY_COMMITTEE'), close)
          .otherwise(unexpected);
        const routeReroute = new sfn.Choice(scope, 'RouteReroute')
          .when(outcomeIs('REROUTED'), sendEmail)
          .when(outcomeIs('CLOSED_BY_COMMITTEE'), close)
          .otherwise(unexpected);
        const routeRating = new sfn.Choice(scope, 'RouteRating')
          .when(
            sfn.Condition.and(
              outcomeIs('NOT_SATISFIED'),
              sfn.Condition.numberEquals('$.timesReopened', 0),
            ),
            reopen,
          )
          .otherwise(close);

        // A deadline is the ordinary end of a wait: check reminders and escalation, wait again.
        onError(awaitDepartment, sfn.Errors.TIMEOUT, checkDeadlines);
        // The rating window closed: close with the ratings given so far (the timeout lands in
        // `$.decision`, without an outcome, so CloseReferral always finds the path).
        onError(awaitRatings, sfn.Errors.TIMEOUT, close, '$.decision');

        sendEmail.next(awaitDepartment);
        awaitDepartment.next(routeOutcome);
        checkDeadlines.next(awaitDepartment);
        awaitReroute.next(routeReroute);
        sendFeedback.next(awaitRatings);
        awaitRatings.next(routeRating);
        reopen.next(sendEmail);
        close.next(closed);
        return sendEmail;
      },
    });
  }
}
