import { Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { cancelActivityEnvSchema, redriveActivityEnvSchema } from '../../functions/activities/env';
import {
  closeFindingsEnvSchema,
  completeActivityEnvSchema,
  dispatchReferralsEnvSchema,
  triageEnvSchema,
} from '../../functions/activity-workflow/env';
import {
  closeFindingsPhaseEnvSchema,
  listFindingsEnvSchema,
  recordFindingEnvSchema,
} from '../../functions/findings/env';
import {
  approveReviewEnvSchema,
  decideFindingsEnvSchema,
  getReviewEnvSchema,
  updateReferralEnvSchema,
} from '../../functions/review/env';
import type { LiandongHttpApi } from './http-api';
import { grantSendEmail } from './grants';
import { ProjectFunction } from './project-function';

/** DynamoDB actions, by what a function does with the table. */
const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const UPDATE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'];

export interface FindingsReviewApiProps {
  readonly table: dynamodb.ITable;
  readonly api: LiandongHttpApi;
  readonly logRetention: logs.RetentionDays;
  /** The HMAC key a recorded resident's name and contact are filed under (docs/privacy.md). */
  readonly residentLookupKey: secretsmanager.ISecret;
  /** The activity workflow: human steps end with SendTaskSuccess; cancel stops executions. */
  readonly activityStateMachine: sfn.IStateMachine;
  readonly senderEmail: string;
  readonly configurationSetName: string;
  /** The SES identity the cancellation notices are sent from. */
  readonly sesIdentityArn: string;
}

/**
 * The organiser and deputy routes of findings, the review (主任会议) and cancellation: one
 * function a route, each granted only what it does.
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
export class FindingsReviewApi extends Construct {
  readonly recordFinding: ProjectFunction<typeof recordFindingEnvSchema>;
  readonly listFindings: ProjectFunction<typeof listFindingsEnvSchema>;
  readonly closeFindingsPhase: ProjectFunction<typeof closeFindingsPhaseEnvSchema>;
  readonly getReview: ProjectFunction<typeof getReviewEnvSchema>;
  readonly decideFindings: ProjectFunction<typeof decideFindingsEnvSchema>;
  readonly updateReferral: ProjectFunction<typeof updateReferralEnvSchema>;
  readonly approveReview: ProjectFunction<typeof approveReviewEnvSchema>;
  readonly cancelActivity: ProjectFunction<typeof cancelActivityEnvSchema>;
  readonly redriveActivity: ProjectFunction<typeof redriveActivityEnvSchema>;

  constructor(scope: Construct, id: string, props: FindingsReviewApiProps) {
    super(scope, id);
    const { table, api, logRetention } = props;
    const tableEnv = { TABLE_NAME: table.tableName };
    const POST = apigwv2.HttpMethod.POST;
    const GET = apigwv2.HttpMethod.GET;

    this.recordFinding = new ProjectFunction(this, 'RecordFindingFunction', {
      entry: 'functions/findings/record-finding.ts',
      description: 'POST /activities/{activityId}/findings: record a finding',
      envSchema: recordFindingEnvSchema,
      environment: {
        ...tableEnv,
        RESIDENT_LOOKUP_SECRET_ARN: props.residentLookupKey.secretArn,
      },
      logRetention,
    });
    // DeleteItem: Powertools Idempotency removes its in-progress record when a request fails.
    table.grant(this.recordFinding, ...READ, ...UPDATE, 'dynamodb:DeleteItem');
    props.residentLookupKey.grantRead(this.recordFinding);

    this.listFindings = new ProjectFunction(this, 'ListFindingsFunction', {
      entry: 'functions/findings/list-findings.ts',
      description: 'GET /activities/{activityId}/findings: findings as the caller may see them',
      envSchema: listFindingsEnvSchema,
      environment: tableEnv,
      logRetention,
    });
    table.grant(this.listFindings, ...READ);

    this.closeFindingsPhase = new ProjectFunction(this, 'CloseFindingsPhaseFunction', {
      entry: 'functions/findings/close-findings.ts',
      description: 'POST /activities/{activityId}/findings/close: end the FINDINGS step',
      envSchema: closeFindingsPhaseEnvSchema,
      environment: tableEnv,
      logRetention,
    });
    table.grant(this.closeFindingsPhase, ...READ, ...UPDATE);
    props.activityStateMachine.grantTaskResponse(this.closeFindingsPhase);

    this.getReview = new ProjectFunction(this, 'GetReviewFunction', {
      entry: 'functions/review/get-review.ts',
      description: 'GET /activities/{activityId}/review: findings, draft referrals, blockers',
      envSchema: getReviewEnvSchema,
      environment: tableEnv,
      logRetention,
    });
    table.grant(this.getReview, ...READ);

    this.decideFindings = new ProjectFunction(this, 'DecideFindingsFunction', {
      entry: 'functions/review/decide-findings.ts',
      description: 'POST /activities/{activityId}/review/decisions: decide findings',
      envSchema: decideFindingsEnvSchema,
      environment: tableEnv,
      logRetention,
    });
    // DeleteItem: a draft referral left without findings is removed.
    table.grant(this.decideFindings, ...READ, ...UPDATE, 'dynamodb:DeleteItem');

    this.updateReferral = new ProjectFunction(this, 'UpdateReferralFunction', {
      entry: 'functions/review/update-referral.ts',
      description:
        'POST /activities/{activityId}/review/referrals/{referralId}: committee, due date',
      envSchema: updateReferralEnvSchema,
      environment: tableEnv,
      logRetention,
    });
    table.grant(this.updateReferral, ...READ, ...UPDATE, 'dynamodb:DeleteItem');

    this.approveReview = new ProjectFunction(this, 'ApproveReviewFunction', {
      entry: 'functions/review/approve-review.ts',
      description: 'POST /activities/{activityId}/review/approve: approve referrals, end REVIEW',
      envSchema: approveReviewEnvSchema,
      environment: tableEnv,
      logRetention,
    });
    table.grant(this.approveReview, ...READ, ...UPDATE);
    props.activityStateMachine.grantTaskResponse(this.approveReview);

    this.cancelActivity = new ProjectFunction(this, 'CancelActivityFunction', {
      entry: 'functions/activities/cancel-activity.ts',
      description: 'POST /activities/{activityId}/cancel: stop the workflow, tell the invitees',
      envSchema: cancelActivityEnvSchema,
      environment: {
        ...tableEnv,
        ACTIVITY_STATE_MACHINE_ARN: props.activityStateMachine.stateMachineArn,
        SENDER_EMAIL: props.senderEmail,
        SES_CONFIGURATION_SET: props.configurationSetName,
      },
      logRetention,
      // API Gateway answers after 30 s at most; the handler keeps a reserve and answers 202.
      timeout: Duration.seconds(29),
    });
    table.grant(this.cancelActivity, ...READ, ...UPDATE);
    props.activityStateMachine.grantExecution(this.cancelActivity, 'states:StopExecution');
    grantSendEmail(this.cancelActivity, this, props, { calendar: true });

    this.redriveActivity = new ProjectFunction(this, 'RedriveActivityFunction', {
      entry: 'functions/activities/redrive-activity.ts',
      description: 'POST /activities/{activityId}/redrive: run the failed workflow step again',
      envSchema: redriveActivityEnvSchema,
      environment: {
        ...tableEnv,
        ACTIVITY_STATE_MACHINE_ARN: props.activityStateMachine.stateMachineArn,
      },
      logRetention,
    });
    // DeleteItem: the activity leaves the audit listing of ended activities.
    table.grant(this.redriveActivity, ...READ, ...UPDATE, 'dynamodb:DeleteItem');
    props.activityStateMachine.grantExecution(
      this.redriveActivity,
      'states:DescribeExecution',
      'states:RedriveExecution',
    );

    const routes: [string, apigwv2.HttpMethod, string, lambda.IFunction][] = [
      ['RecordFinding', POST, '/activities/{activityId}/findings', this.recordFinding],
      ['ListFindings', GET, '/activities/{activityId}/findings', this.listFindings],
      [
        'CloseFindingsPhase',
        POST,
        '/activities/{activityId}/findings/close',
        this.closeFindingsPhase,
      ],
      ['GetReview', GET, '/activities/{activityId}/review', this.getReview],
      ['DecideFindings', POST, '/activities/{activityId}/review/decisions', this.decideFindings],
      [
        'UpdateReferral',
        POST,
        '/activities/{activityId}/review/referrals/{referralId}',
        this.updateReferral,
      ],
      ['ApproveReview', POST, '/activities/{activityId}/review/approve', this.approveReview],
      ['CancelActivity', POST, '/activities/{activityId}/cancel', this.cancelActivity],
      ['RedriveActivity', POST, '/activities/{activityId}/redrive', this.redriveActivity],
    ];
    for (const [routeId, method, path, handler] of routes) {
      api.addRoute(routeId, { method, path, handler });
    }
  }
}

export interface ActivityStepFunctionsProps {
  readonly table: dynamodb.ITable;
  readonly logRetention: logs.RetentionDays;
  /** The referral workflow that DispatchReferrals starts (execution name = referral id). */
  readonly referralStateMachine: sfn.IStateMachine;
}

export interface ActivityStepFunctions {
  readonly closeFindings: ProjectFunction<typeof closeFindingsEnvSchema>;
  readonly triage: ProjectFunction<typeof triageEnvSchema>;
  readonly dispatchReferrals: ProjectFunction<typeof dispatchReferralsEnvSchema>;
  readonly completeActivity: ProjectFunction<typeof completeActivityEnvSchema>;
}

/**
 * The activity workflow's steps after the findings phase, for the state machine:
 * `CloseFindingsFunction`, `TriageFunction`, `DispatchReferralsFunction`,
 * `CompleteActivityFunction`, created in `scope` with their least-privilege grants.
 */
export const createActivityStepFunctions = (
  scope: Construct,
  props: ActivityStepFunctionsProps,
): ActivityStepFunctions => {
  const { table, logRetention } = props;
  const tableEnv = { TABLE_NAME: table.tableName };
  const closeFindings = new ProjectFunction(scope, 'CloseFindingsFunction', {
    entry: 'functions/activity-workflow/close-findings.ts',
    description: 'Activity step: close and seal the findings',
    envSchema: closeFindingsEnvSchema,
    environment: tableEnv,
    logRetention,
  });
  const triage = new ProjectFunction(scope, 'TriageFunction', {
    entry: 'functions/activity-workflow/triage.ts',
    description: 'Activity step: draft one referral per department from the routing rules',
    envSchema: triageEnvSchema,
    environment: tableEnv,
    logRetention,
    timeout: Duration.minutes(2),
  });
  const dispatchReferrals = new ProjectFunction(scope, 'DispatchReferralsFunction', {
    entry: 'functions/activity-workflow/dispatch-referrals.ts',
    description: 'Activity step: start one referral workflow per approved referral',
    envSchema: dispatchReferralsEnvSchema,
    environment: {
      ...tableEnv,
      REFERRAL_STATE_MACHINE_ARN: props.referralStateMachine.stateMachineArn,
    },
    logRetention,
    timeout: Duration.minutes(2),
  });
  const completeActivity = new ProjectFunction(scope, 'CompleteActivityFunction', {
    entry: 'functions/activity-workflow/complete-activity.ts',
    description: 'Activity step: compute the report data and complete the activity',
    envSchema: completeActivityEnvSchema,
    environment: tableEnv,
    logRetention,
  });
  for (const step of [closeFindings, triage, dispatchReferrals, completeActivity]) {
    table.grant(step, ...READ, ...UPDATE);
  }
  props.referralStateMachine.grantStartExecution(dispatchReferrals);
  // An execution that already exists is recognised by its input.
  props.referralStateMachine.grantExecution(dispatchReferrals, 'states:DescribeExecution');
  return { closeFindings, triage, dispatchReferrals, completeActivity };
};
