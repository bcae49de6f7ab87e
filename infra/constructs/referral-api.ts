import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { linkPageEnvSchema } from '../../functions/department/env';
import { getReferralEnvSchema, referralActionsEnvSchema } from '../../functions/referral-api/env';
import type { LiandongHttpApi } from './http-api';
import { ProjectFunction } from './project-function';
import {
  referralDeadlineEnvironment,
  type ReferralDeadlineSettings,
} from '../../functions/shared/domain/deadline-env';

const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/** A change of a referral: the head update, the audit event and the marker item, in one transaction. */
const TABLE_CHANGE = ['dynamodb:UpdateItem', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem'];

export interface ReferralApiProps {
  readonly table: dynamodb.ITable;
  readonly api: LiandongHttpApi;
  readonly logRetention: logs.RetentionDays;
  /** The referral workflow: pages and organiser routes end its human steps. */
  readonly referralStateMachine: sfn.IStateMachine;
  /** The key that signs response and rating links (read at run time, never in the environment). */
  readonly signingKey: secretsmanager.ISecret;
  /** The referral deadline settings: the set the referral workflow's steps are given. */
  readonly deadlines?: ReferralDeadlineSettings;
}

/**
 * The department's response page and the raiser's rating page (public: the signed, expiring
 * link is the credential), and the organisers' referral API: read a referral with its history,
 * re-route a returned one, decide an extension, close it as the supervising committee.
 */
export class ReferralApi extends Construct {
  readonly functions: Readonly<Record<string, lambda.IFunction>>;

  constructor(scope: Construct, id: string, props: ReferralApiProps) {
    super(scope, id);
    const { table, api, logRetention, referralStateMachine, signingKey } = props;
    const pageEnv = {
      TABLE_NAME: table.tableName,
      LINK_SIGNING_SECRET_ARN: signingKey.secretArn,
    };

    const respondPage = new ProjectFunction(this, 'RespondPageFunction', {
      entry: 'functions/department/respond-page.ts',
      description: 'GET/POST /respond/{token}: the department response page',
      envSchema: linkPageEnvSchema,
      environment: pageEnv,
      logRetention,
      memorySize: 256,
    });
    const ratePage = new ProjectFunction(this, 'RatePageFunction', {
      entry: 'functions/department/rate-page.ts',
      description: 'GET/POST /rate/{token}: the rating page of whoever raised a finding',
      envSchema: linkPageEnvSchema,
      environment: pageEnv,
      logRetention,
      memorySize: 256,
    });
    for (const fn of [respondPage, ratePage]) {
      table.grant(fn, ...TABLE_READ, ...TABLE_CHANGE);
      signingKey.grantRead(fn);
      referralStateMachine.grantTaskResponse(fn);
    }
    const publicReason =
      'Opened from an emailed link by a department or a resident who has no account: the link carries an opaque, signed, expiring id that is the credential; GET only reads, POST acts once';
    api.addRoute('RespondPage', {
      method: apigwv2.HttpMethod.GET,
      path: '/respond/{token}',
      handler: respondPage,
      public: { reason: publicReason },
    });
    api.addRoute('RespondSubmit', {
      method: apigwv2.HttpMethod.POST,
      path: '/respond/{token}',
      handler: respondPage,
      public: { reason: publicReason },
    });
    api.addRoute('RatePage', {
      method: apigwv2.HttpMethod.GET,
      path: '/rate/{token}',
      handler: ratePage,
      public: { reason: publicReason },
    });
    api.addRoute('RateSubmit', {
      method: apigwv2.HttpMethod.POST,
      path: '/rate/{token}',
      handler: ratePage,
      public: { reason: publicReason },
    });

    const getReferral = new ProjectFunction(this, 'GetReferralFunction', {
      entry: 'functions/referral-api/get-referral.ts',
      description:
        'GET /referrals/{referralId}: a referral with its routing, responses and audit trail',
      envSchema: getReferralEnvSchema,
      environment: { TABLE_NAME: table.tableName },
      logRetention,
    });
    table.grant(getReferral, 'dynamodb:GetItem', 'dynamodb:Query');
    api.addRoute('GetReferral', {
      method: apigwv2.HttpMethod.GET,
      path: '/referrals/{referralId}',
      handler: getReferral,
    });

    const actions = new ProjectFunction(this, 'ReferralActionsFunction', {
      entry: 'functions/referral-api/referral-actions.ts',
      description:
        'Organisers re-route a referral, decide an extension, close it as the committee, redrive it',
      envSchema: referralActionsEnvSchema,
      environment: {
        TABLE_NAME: table.tableName,
        REFERRAL_STATE_MACHINE_ARN: referralStateMachine.stateMachineArn,
        ...referralDeadlineEnvironment(props.deadlines),
      },
      logRetention,
    });
    table.grant(actions, 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem');
    referralStateMachine.grantTaskResponse(actions);
    referralStateMachine.grantExecution(
      actions,
      'states:DescribeExecution',
      'states:RedriveExecution',
    );
    for (const [routeId, path] of [
      ['RerouteReferral', '/referrals/{referralId}/reroute'],
      ['DecideReferralExtension', '/referrals/{referralId}/extension'],
      ['CloseReferralByCommittee', '/referrals/{referralId}/close'],
      ['RedriveReferral', '/referrals/{referralId}/redrive'],
    ] as const) {
      api.addRoute(routeId, { method: apigwv2.HttpMethod.POST, path, handler: actions });
    }

    this.functions = { respondPage, ratePage, getReferral, actions };
  }
}
