import { Duration } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { closeAttendanceEnvSchema } from '../../functions/activity-workflow/env';
import {
  attendanceEnvSchema,
  checkInEnvSchema,
  checkInPageEnvSchema,
  checkInQrEnvSchema,
  phaseControlEnvSchema,
} from '../../functions/attendance/env';
import type { LiandongHttpApi } from './http-api';
import { ProjectFunction } from './project-function';

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];

export interface AttendanceApiProps {
  readonly table: dynamodb.ITable;
  readonly api: LiandongHttpApi;
  readonly logRetention: logs.RetentionDays;
  /** The activity workflow: the phase-control function may end its human steps. */
  readonly activityStateMachine: sfn.IStateMachine;
  /**
   * The secret holding the HMAC key of the short-lived check-in codes: the functions that issue
   * or verify a code get its ARN (`CHECK_IN_CODE_SECRET_ARN`) and read access, never the value.
   */
  readonly checkInCodeKey: secretsmanager.ISecret;
  /**
   * The key of the signed links: the check-in page reads the cookie of a deputy's personal link
   * (one-tap check-in on a phone that opened it).
   */
  readonly linkSigningKey: secretsmanager.ISecret;
  /** Origin of the public check-in page, if not the API's own (e.g. a custom domain). */
  readonly publicBaseUrl?: string;
}

/**
 * Invitation responses, check-ins (API, QR, make-up), the QR code and the public check-in
 * page, community-visit counts, and the organiser routes that end the START and ATTENDANCE
 * human steps early. Each function gets only the table actions it uses.
 */
export class AttendanceApi extends Construct {
  /** The functions by role, for tests and alarms. */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;

  constructor(scope: Construct, id: string, props: AttendanceApiProps) {
    super(scope, id);
    const { table, api, logRetention } = props;
    const tableEnv = { TABLE_NAME: table.tableName };
    const secretEnv = { ...tableEnv, CHECK_IN_CODE_SECRET_ARN: props.checkInCodeKey.secretArn };

    const respond = new ProjectFunction(this, 'RespondInvitationFunction', {
      entry: 'functions/attendance/respond-invitation.ts',
      description: 'POST /activities/{activityId}/invitation/response: accept or decline',
      envSchema: attendanceEnvSchema,
      environment: tableEnv,
      logRetention,
    });
    // ConditionCheckItem: the answer's transaction checks the activity's status without writing
    // it (functions/attendance/domain.ts), and IAM authorizes each transaction item's action.
    table.grant(
      respond,
      'dynamodb:GetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:UpdateItem',
      'dynamodb:PutItem',
    );
    api.addRoute('RespondInvitation', {
      method: apigwv2.HttpMethod.POST,
      path: '/activities/{activityId}/invitation/response',
      handler: respond,
    });

    const checkIn = new ProjectFunction(this, 'CheckInFunction', {
      entry: 'functions/attendance/check-in.ts',
      description: 'POST /activities/{activityId}/check-ins: a deputy checks in once',
      envSchema: checkInEnvSchema,
      environment: secretEnv,
      logRetention,
    });
    table.grant(
      checkIn,
      'dynamodb:GetItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:UpdateItem',
      'dynamodb:PutItem',
    );
    api.addRoute('CheckIn', {
      method: apigwv2.HttpMethod.POST,
      path: '/activities/{activityId}/check-ins',
      handler: checkIn,
    });

    const makeUp = new ProjectFunction(this, 'MakeUpCheckInFunction', {
      entry: 'functions/attendance/make-up-check-in.ts',
      description: 'POST /activities/{activityId}/check-ins/make-up: organiser records a check-in',
      envSchema: attendanceEnvSchema,
      environment: tableEnv,
      logRetention,
    });
    table.grant(makeUp, ...TABLE_READ, 'dynamodb:UpdateItem', 'dynamodb:PutItem');
    api.addRoute('MakeUpCheckIn', {
      method: apigwv2.HttpMethod.POST,
      path: '/activities/{activityId}/check-ins/make-up',
      handler: makeUp,
    });

    const qr = new ProjectFunction(this, 'CheckInQrFunction', {
      entry: 'functions/attendance/check-in-qr.ts',
      description: 'GET /activities/{activityId}/check-in/qr: short-lived code and QR image',
      envSchema: checkInQrEnvSchema,
      environment: {
        ...secretEnv,
        ...(props.publicBaseUrl ? { PUBLIC_BASE_URL: props.publicBaseUrl } : {}),
      },
      logRetention,
    });
    table.grant(qr, 'dynamodb:GetItem');
    api.addRoute('CheckInQr', {
      method: apigwv2.HttpMethod.GET,
      path: '/activities/{activityId}/check-in/qr',
      handler: qr,
    });

    const page = new ProjectFunction(this, 'CheckInPageFunction', {
      entry: 'functions/attendance/check-in-page.ts',
      description:
        'GET|POST /check-in/{code}: public check-in page opened from a QR code (one tap with a personal link)',
      envSchema: checkInPageEnvSchema,
      environment: { ...secretEnv, LINK_SIGNING_SECRET_ARN: props.linkSigningKey.secretArn },
      logRetention,
      memorySize: 256,
    });
    // Reads the activity, the link record, the invitation and the deputy's name; the one-tap
    // check-in writes the invitation and its check-in record, conditional on the activity.
    table.grant(
      page,
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:UpdateItem',
      'dynamodb:PutItem',
      'dynamodb:ConditionCheckItem',
    );
    props.linkSigningKey.grantRead(page);
    api.addRoute('CheckInPage', {
      method: apigwv2.HttpMethod.GET,
      path: '/check-in/{code}',
      handler: page,
      public: {
        reason:
          'Opened from a QR code on site; the signed, expiring code names the activity only, and the check-in itself is a POST with the deputy JWT or the personal-link cookie',
      },
    });
    api.addRoute('CheckInPageSubmit', {
      method: apigwv2.HttpMethod.POST,
      path: '/check-in/{code}',
      handler: page,
      public: {
        reason:
          'One-tap check-in on site: identity from the signed personal-link cookie (HttpOnly, SameSite=Lax), presence from the signed, expiring venue code; neither alone checks anyone in',
      },
    });
    for (const fn of [checkIn, qr, page]) props.checkInCodeKey.grantRead(fn);

    const phaseControl = new ProjectFunction(this, 'PhaseControlFunction', {
      entry: 'functions/attendance/phase-control.ts',
      description: 'Organiser ends START (open check-in) or ATTENDANCE (close) early',
      envSchema: phaseControlEnvSchema,
      environment: tableEnv,
      logRetention,
    });
    table.grant(phaseControl, 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem');
    phaseControl.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:SendTaskSuccess'],
        resources: [props.activityStateMachine.stateMachineArn],
      }),
    );
    api.addRoute('OpenCheckInEarly', {
      method: apigwv2.HttpMethod.POST,
      path: '/activities/{activityId}/check-in/open',
      handler: phaseControl,
    });
    api.addRoute('CloseAttendance', {
      method: apigwv2.HttpMethod.POST,
      path: '/activities/{activityId}/attendance/close',
      handler: phaseControl,
    });

    const counts = new ProjectFunction(this, 'UpdateCountsFunction', {
      entry: 'functions/attendance/update-counts.ts',
      description: 'PATCH /activities/{activityId}/counts: community visit counts',
      envSchema: attendanceEnvSchema,
      environment: tableEnv,
      logRetention,
    });
    table.grant(counts, 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem');
    api.addRoute('UpdateCounts', {
      method: apigwv2.HttpMethod.PATCH,
      path: '/activities/{activityId}/counts',
      handler: counts,
    });

    this.functions = { respond, checkIn, makeUp, qr, page, phaseControl, counts };
  }
}

/**
 * The `CloseAttendance` step's function, for the lead to pass to the activity workflow (state
 * `CloseAttendance`: `{activityId}` → `{activityId, secondsUntilFindingsDeadline}`). Reads the
 * activity, its invitations, check-in records and the seats of attending deputies; writes the
 * activity and its audit events.
 */
export function createCloseAttendanceFunction(
  scope: Construct,
  props: { table: dynamodb.ITable; logRetention: logs.RetentionDays },
): ProjectFunction<typeof closeAttendanceEnvSchema> {
  const fn = new ProjectFunction(scope, 'CloseAttendanceFunction', {
    entry: 'functions/activity-workflow/close-attendance.ts',
    description: 'Activity step: close attendance, seal check-ins, store statistics',
    envSchema: closeAttendanceEnvSchema,
    environment: { TABLE_NAME: props.table.tableName },
    logRetention: props.logRetention,
    timeout: Duration.minutes(2),
  });
  props.table.grant(fn, ...TABLE_READ, 'dynamodb:UpdateItem', 'dynamodb:PutItem');
  return fn;
}
