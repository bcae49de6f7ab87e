import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { linkPageEnvSchema } from '../../functions/department/env';
import * as departmentRoutes from '../../functions/department/routes';
import { getReferralEnvSchema, referralActionsEnvSchema } from '../../functions/referral-api/env';
import * as routes from '../../functions/referral-api/routes';
import type { RouteContract } from '../../functions/shared/http/contract';
import {
  referralDeadlineEnvironment,
  type ReferralDeadlineSettings,
} from '../../functions/shared/domain/deadline-env';
import {
  type ApiFunctionsProps,
  FunctionFactory,
  TABLE_READ,
  TABLE_UPDATE,
} from './function-factory';

export interface ReferralApiProps extends ApiFunctionsProps {
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
    const { referralStateMachine, signingKey } = props;
    const functions = new FunctionFactory(this, props);
    /** A link page: reads, changes the referral, ends the workflow's human step it answers. */
    const linkPage = (
      functionId: string,
      spec: {
        entry: string;
        description: string;
        routeId: string;
        page: RouteContract;
        submit: RouteContract;
      },
    ) => {
      const fn = functions.add(functionId, {
        entry: spec.entry,
        description: spec.description,
        envSchema: linkPageEnvSchema,
        environment: { LINK_SIGNING_SECRET_ARN: signingKey.secretArn },
        memorySize: 256,
        // A change of a referral: the head update, the audit event and the marker item, in one
        // transaction.
        tableActions: [...TABLE_READ, ...TABLE_UPDATE],
        readsSecrets: [signingKey],
        routes: [
          [`${spec.routeId}Page`, spec.page],
          [`${spec.routeId}Submit`, spec.submit],
        ],
      });
      referralStateMachine.grantTaskResponse(fn);
      return fn;
    };

    const respondPage = linkPage('RespondPageFunction', {
      entry: 'functions/department/respond-page.ts',
      description: 'GET/POST /respond/{token}: the department response page',
      routeId: 'Respond',
      page: departmentRoutes.respondPageContracts.show,
      submit: departmentRoutes.respondPageContracts.submit,
    });
    const ratePage = linkPage('RatePageFunction', {
      entry: 'functions/department/rate-page.ts',
      description: 'GET/POST /rate/{token}: the rating page of whoever raised a finding',
      routeId: 'Rate',
      page: departmentRoutes.ratePageContracts.show,
      submit: departmentRoutes.ratePageContracts.submit,
    });

    const getReferral = functions.add('GetReferralFunction', {
      entry: 'functions/referral-api/get-referral.ts',
      description:
        'GET /referrals/{referralId}: a referral with its routing, responses and audit trail',
      envSchema: getReferralEnvSchema,
      tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
      routes: [['GetReferral', routes.getReferralRoute]],
    });

    const actions = functions.add('ReferralActionsFunction', {
      entry: 'functions/referral-api/referral-actions.ts',
      description:
        'Organisers re-route a referral, decide an extension, close it as the committee, redrive it',
      envSchema: referralActionsEnvSchema,
      environment: {
        REFERRAL_STATE_MACHINE_ARN: referralStateMachine.stateMachineArn,
        ...referralDeadlineEnvironment(props.deadlines),
      },
      tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
      routes: [
        ['RerouteReferral', routes.rerouteReferralRoute],
        ['DecideReferralExtension', routes.decideExtensionRoute],
        ['CloseReferralByCommittee', routes.closeByCommitteeRoute],
        ['RedriveReferral', routes.redriveReferralRoute],
      ],
    });
    referralStateMachine.grantTaskResponse(actions);
    referralStateMachine.grantExecution(
      actions,
      'states:DescribeExecution',
      'states:RedriveExecution',
    );

    this.functions = { respondPage, ratePage, getReferral, actions };
  }
}
