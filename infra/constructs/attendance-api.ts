import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  attendanceEnvSchema,
  checkInEnvSchema,
  checkInPageEnvSchema,
  checkInQrEnvSchema,
  phaseControlEnvSchema,
} from '../../functions/attendance/env';
import * as routes from '../../functions/attendance/routes';
import { functionTable, TABLE_READ } from './function-factory';

export interface AttendanceFunctionsProps {
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
export const attendanceFunctions = (props: AttendanceFunctionsProps) => {
  const { checkInCodeKey, linkSigningKey } = props;
  const codeEnv = { CHECK_IN_CODE_SECRET_ARN: checkInCodeKey.secretArn };
  // ConditionCheckItem: an answer's or a check-in's transaction checks the activity's status
  // without writing it (functions/attendance/domain.ts), and IAM authorizes each item's action.
  const answerActions = [
    'dynamodb:GetItem',
    'dynamodb:ConditionCheckItem',
    'dynamodb:UpdateItem',
    'dynamodb:PutItem',
  ];
  const changeActions = ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'];

  return functionTable({
    RespondInvitationFunction: {
      entry: 'functions/attendance/respond-invitation.ts',
      description: 'POST /activities/{activityId}/invitation/response: accept or decline',
      envSchema: attendanceEnvSchema,
      tableActions: answerActions,
      routes: [['RespondInvitation', routes.respondInvitationRoute]],
    },
    CheckInFunction: {
      entry: 'functions/attendance/check-in.ts',
      description: 'POST /activities/{activityId}/check-ins: a deputy checks in once',
      envSchema: checkInEnvSchema,
      environment: codeEnv,
      tableActions: answerActions,
      readsSecrets: [checkInCodeKey],
      routes: [['CheckIn', routes.checkInRoute]],
    },
    MakeUpCheckInFunction: {
      entry: 'functions/attendance/make-up-check-in.ts',
      description: 'POST /activities/{activityId}/check-ins/make-up: organiser records a check-in',
      envSchema: attendanceEnvSchema,
      tableActions: [...TABLE_READ, 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
      routes: [['MakeUpCheckIn', routes.makeUpCheckInRoute]],
    },
    CheckInQrFunction: {
      entry: 'functions/attendance/check-in-qr.ts',
      description: 'GET /activities/{activityId}/check-in/qr: short-lived code and QR image',
      envSchema: checkInQrEnvSchema,
      environment: {
        ...codeEnv,
        ...(props.publicBaseUrl ? { PUBLIC_BASE_URL: props.publicBaseUrl } : {}),
      },
      tableActions: ['dynamodb:GetItem'],
      readsSecrets: [checkInCodeKey],
      routes: [['CheckInQr', routes.checkInQrRoute]],
    },
    CheckInPageFunction: {
      entry: 'functions/attendance/check-in-page.ts',
      description:
        'GET|POST /check-in/{code}: public check-in page opened from a QR code (one tap with a personal link)',
      envSchema: checkInPageEnvSchema,
      environment: { ...codeEnv, LINK_SIGNING_SECRET_ARN: linkSigningKey.secretArn },
      memorySize: 256,
      // Reads the activity, the link record, the invitation and the deputy's name; the one-tap
      // check-in writes the invitation and its check-in record, conditional on the activity.
      tableActions: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:UpdateItem',
        'dynamodb:PutItem',
        'dynamodb:ConditionCheckItem',
      ],
      readsSecrets: [linkSigningKey, checkInCodeKey],
      routes: [
        ['CheckInPage', routes.checkInPageRoute],
        ['CheckInPageSubmit', routes.checkInPageSubmitRoute],
      ],
    },
    PhaseControlFunction: {
      entry: 'functions/attendance/phase-control.ts',
      description: 'Organiser ends START (open check-in) or ATTENDANCE (close) early',
      envSchema: phaseControlEnvSchema,
      tableActions: changeActions,
      rolePolicy: [
        {
          actions: ['states:SendTaskSuccess'],
          resources: [props.activityStateMachine.stateMachineArn],
        },
      ],
      routes: [
        ['OpenCheckInEarly', routes.openCheckInEarlyRoute],
        ['CloseAttendance', routes.closeAttendanceRoute],
      ],
    },
    UpdateCountsFunction: {
      entry: 'functions/attendance/update-counts.ts',
      description: 'PATCH /activities/{activityId}/counts: community visit counts',
      envSchema: attendanceEnvSchema,
      tableActions: changeActions,
      routes: [['UpdateCounts', routes.updateCountsRoute]],
    },
  });
};
