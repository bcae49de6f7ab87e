import { Duration } from 'aws-cdk-lib';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { cancelActivityEnvSchema, redriveActivityEnvSchema } from '../../functions/activities/env';
import * as activityRoutes from '../../functions/activities/routes';
import {
  closeFindingsPhaseEnvSchema,
  listFindingsEnvSchema,
  recordFindingEnvSchema,
} from '../../functions/findings/env';
import * as findingRoutes from '../../functions/findings/routes';
import {
  approveReviewEnvSchema,
  decideFindingsEnvSchema,
  getReviewEnvSchema,
  updateReferralEnvSchema,
} from '../../functions/review/env';
import * as reviewRoutes from '../../functions/review/routes';
import { functionTable, TABLE_READ, TABLE_UPDATE } from './function-factory';

export interface FindingsReviewFunctionsProps {
  /** The HMAC key a recorded resident's name and contact are filed under (docs/privacy.md). */
  readonly residentLookupKey: secretsmanager.ISecret;
  /** The activity workflow: human steps end with SendTaskSuccess; cancel stops executions. */
  readonly activityStateMachine: sfn.IStateMachine;
  readonly senderEmail: string;
  readonly configurationSetName: string;
}

/**
 * The organiser and deputy routes of findings, the review (主任会议) and cancellation: one
 * function a route, each granted only what it does (the cancellation's email is sent from the
 * factory's mail sender).
 *
 * | route | function |
 * | --- | --- |
 * | `POST /activities/{activityId}/findings` | RecordFindingFunction |
 * | `GET /activities/{activityId}/findings` | ListFindingsFunction |
 * | `POST /activities/{activityId}/findings/close` | CloseFindingsPhaseFunction |
 * | `GET /activities/{activityId}/review` | GetReviewFunction |
 * | `POST /activities/{activityId}/review/decisions` | DecideFindingsFunction |
 * | `POST /activities/{activityId}/review/referrals/{referralId}` | UpdateReferralFunction |
 * | `POST /activities/{activityId}/review/approve` | ApproveReviewFunction |
 * | `POST /activities/{activityId}/cancel` | CancelActivityFunction |
 * | `POST /activities/{activityId}/redrive` | RedriveActivityFunction |
 */
export const findingsReviewFunctions = (props: FindingsReviewFunctionsProps) => {
  const { activityStateMachine: machine } = props;
  const machineEnv = { ACTIVITY_STATE_MACHINE_ARN: machine.stateMachineArn };
  const change = [...TABLE_READ, ...TABLE_UPDATE];
  /** A route that ends a human step of the workflow: its change, then the task's answer. */
  const endsHumanStep = { tableActions: change, stateMachine: { machine, taskResponse: true } };

  return functionTable({
    RecordFindingFunction: {
      entry: 'functions/findings/record-finding.ts',
      description: 'POST /activities/{activityId}/findings: record a finding',
      envSchema: recordFindingEnvSchema,
      environment: { RESIDENT_LOOKUP_SECRET_ARN: props.residentLookupKey.secretArn },
      // DeleteItem: the in-progress idempotency record of a request that failed is removed.
      tableActions: [...change, 'dynamodb:DeleteItem'],
      readsSecrets: [props.residentLookupKey],
      routes: [['RecordFinding', findingRoutes.recordFindingRoute]],
    },
    ListFindingsFunction: {
      entry: 'functions/findings/list-findings.ts',
      description: 'GET /activities/{activityId}/findings: findings as the caller may see them',
      envSchema: listFindingsEnvSchema,
      tableActions: TABLE_READ,
      routes: [['ListFindings', findingRoutes.listFindingsRoute]],
    },
    CloseFindingsPhaseFunction: {
      entry: 'functions/findings/close-findings.ts',
      description: 'POST /activities/{activityId}/findings/close: end the FINDINGS step',
      envSchema: closeFindingsPhaseEnvSchema,
      ...endsHumanStep,
      routes: [['CloseFindingsPhase', findingRoutes.closeFindingsRoute]],
    },
    GetReviewFunction: {
      entry: 'functions/review/get-review.ts',
      description: 'GET /activities/{activityId}/review: findings, draft referrals, blockers',
      envSchema: getReviewEnvSchema,
      tableActions: TABLE_READ,
      routes: [['GetReview', reviewRoutes.getReviewRoute]],
    },
    DecideFindingsFunction: {
      entry: 'functions/review/decide-findings.ts',
      description: 'POST /activities/{activityId}/review/decisions: decide findings',
      envSchema: decideFindingsEnvSchema,
      // DeleteItem: a draft referral left without findings is removed.
      tableActions: [...change, 'dynamodb:DeleteItem'],
      routes: [['DecideFindings', reviewRoutes.decideFindingsRoute]],
    },
    UpdateReferralFunction: {
      entry: 'functions/review/update-referral.ts',
      description:
        'POST /activities/{activityId}/review/referrals/{referralId}: committee, due date',
      envSchema: updateReferralEnvSchema,
      tableActions: [...change, 'dynamodb:DeleteItem'],
      routes: [['UpdateReferral', reviewRoutes.updateReferralRoute]],
    },
    ApproveReviewFunction: {
      entry: 'functions/review/approve-review.ts',
      description: 'POST /activities/{activityId}/review/approve: approve referrals, end REVIEW',
      envSchema: approveReviewEnvSchema,
      ...endsHumanStep,
      routes: [['ApproveReview', reviewRoutes.approveReviewRoute]],
    },
    CancelActivityFunction: {
      entry: 'functions/activities/cancel-activity.ts',
      description: 'POST /activities/{activityId}/cancel: stop the workflow, tell the invitees',
      envSchema: cancelActivityEnvSchema,
      environment: {
        ...machineEnv,
        SENDER_EMAIL: props.senderEmail,
        SES_CONFIGURATION_SET: props.configurationSetName,
      },
      // API Gateway answers after 30 s at most; the handler keeps a reserve and answers 202.
      timeout: Duration.seconds(29),
      tableActions: change,
      sendsEmail: { calendar: true },
      stateMachine: { machine, executionActions: ['states:StopExecution'] },
      routes: [['CancelActivity', activityRoutes.cancelActivityRoute]],
    },
    RedriveActivityFunction: {
      entry: 'functions/activities/redrive-activity.ts',
      description: 'POST /activities/{activityId}/redrive: run the failed workflow step again',
      envSchema: redriveActivityEnvSchema,
      environment: machineEnv,
      // DeleteItem: the activity leaves the audit listing of ended activities.
      tableActions: [...change, 'dynamodb:DeleteItem'],
      stateMachine: {
        machine,
        executionActions: ['states:DescribeExecution', 'states:RedriveExecution'],
      },
      routes: [['RedriveActivity', activityRoutes.redriveActivityRoute]],
    },
  });
};
