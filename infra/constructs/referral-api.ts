import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { linkPageEnvSchema } from '../../functions/department/env';
import * as departmentRoutes from '../../functions/department/routes';
import { getReferralEnvSchema, referralActionsEnvSchema } from '../../functions/referral-api/env';
import * as routes from '../../functions/referral-api/routes';
import type { RouteContract } from '../../functions/shared/http/contract';
import {
  referralDeadlineEnvironment,
  type ReferralDeadlineSettings,
} from '../../functions/shared/domain/deadline-env';
import { type FunctionSpec, functionTable, TABLE_READ, TABLE_UPDATE } from './function-factory';

export interface ReferralFunctionsProps {
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
export const referralFunctions = (props: ReferralFunctionsProps) => {
  const { referralStateMachine: machine, signingKey } = props;
  /** A link page: reads, changes the referral, ends the workflow's human step it answers. */
  const linkPage = (page: {
    entry: string;
    description: string;
    routeId: string;
    contracts: { show: RouteContract; submit: RouteContract };
  }): FunctionSpec<typeof linkPageEnvSchema> => ({
    entry: page.entry,
    description: page.description,
    envSchema: linkPageEnvSchema,
    environment: { LINK_SIGNING_SECRET_ARN: signingKey.secretArn },
    memorySize: 256,
    // A change of a referral: the head update, the audit event and the marker item, in one
    // transaction.
    tableActions: [...TABLE_READ, ...TABLE_UPDATE],
    readsSecrets: [signingKey],
    stateMachine: { machine, taskResponse: true },
    routes: [
      [`${page.routeId}Page`, page.contracts.show],
      [`${page.routeId}Submit`, page.contracts.submit],
    ],
  });

  return functionTable({
    RespondPageFunction: linkPage({
      entry: 'functions/department/respond-page.ts',
      description: 'GET/POST /respond/{token}: the department response page',
      routeId: 'Respond',
      contracts: departmentRoutes.respondPageContracts,
    }),
    RatePageFunction: linkPage({
      entry: 'functions/department/rate-page.ts',
      description: 'GET/POST /rate/{token}: the rating page of whoever raised a finding',
      routeId: 'Rate',
      contracts: departmentRoutes.ratePageContracts,
    }),
    GetReferralFunction: {
      entry: 'functions/referral-api/get-referral.ts',
      description:
        'GET /referrals/{referralId}: a referral with its routing, responses and audit trail',
      envSchema: getReferralEnvSchema,
      tableActions: ['dynamodb:GetItem', 'dynamodb:Query'],
      routes: [['GetReferral', routes.getReferralRoute]],
    },
    ReferralActionsFunction: {
      entry: 'functions/referral-api/referral-actions.ts',
      description:
        'Organisers re-route a referral, decide an extension, close it as the committee, redrive it',
      envSchema: referralActionsEnvSchema,
      environment: {
        REFERRAL_STATE_MACHINE_ARN: machine.stateMachineArn,
        ...referralDeadlineEnvironment(props.deadlines),
      },
      tableActions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
      stateMachine: {
        machine,
        taskResponse: true,
        executionActions: ['states:DescribeExecution', 'states:RedriveExecution'],
      },
      routes: [
        ['RerouteReferral', routes.rerouteReferralRoute],
        ['DecideReferralExtension', routes.decideExtensionRoute],
        ['CloseReferralByCommittee', routes.closeByCommitteeRoute],
        ['RedriveReferral', routes.redriveReferralRoute],
      ],
    },
  });
};
