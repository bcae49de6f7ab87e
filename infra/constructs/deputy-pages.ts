import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  deputyHomeEnvSchema,
  deputyPageEnvSchema,
  meActivitiesEnvSchema,
} from '../../functions/deputy/env';
import * as routes from '../../functions/deputy/routes';
import {
  type ApiFunctionsProps,
  FunctionFactory,
  TABLE_READ,
  TABLE_UPDATE,
} from './function-factory';

export interface DeputyPagesProps extends ApiFunctionsProps {
  /** The key of the signed links (personal and home links). */
  readonly linkSigningKey: secretsmanager.ISecret;
  /** The key of the check-in codes: the venue code typed on the page is checked against it. */
  readonly checkInCodeKey: secretsmanager.ISecret;
  /** The key of residents' lookup digests: a finding recorded on the page files its resident. */
  readonly residentLookupKey: secretsmanager.ISecret;
  readonly senderEmail: string;
  readonly configurationSetName: string;
  readonly sesIdentityArn: string;
}

/**
 * The deputy's side (issue 14): the activity page of a personal link (answer, check in, record
 * findings), "my activities" (ask for a home link by email; the home page it opens), and
 * `GET /me/activities` for signed-in deputies. Public pages: the signed, expiring link is the
 * credential. Each function gets only the table actions it uses.
 */
export class DeputyPages extends Construct {
  readonly functions: Readonly<Record<string, lambda.IFunction>>;

  constructor(scope: Construct, id: string, props: DeputyPagesProps) {
    super(scope, id);
    const { api, linkSigningKey, checkInCodeKey, residentLookupKey } = props;
    const functions = new FunctionFactory(this, { ...props, mailSender: props });

    const activityPage = functions.add('DeputyActivityPageFunction', {
      entry: 'functions/deputy/activity-page.ts',
      description: "GET/POST /deputy/{token}: a deputy's page of one activity",
      envSchema: deputyPageEnvSchema,
      environment: {
        LINK_SIGNING_SECRET_ARN: linkSigningKey.secretArn,
        CHECK_IN_CODE_SECRET_ARN: checkInCodeKey.secretArn,
        RESIDENT_LOOKUP_SECRET_ARN: residentLookupKey.secretArn,
      },
      memorySize: 256,
      // Reads the link, activity, invitation, findings, referrals; writes an answer, a check-in
      // or a finding with its unchained audit record, each in a transaction conditional on the
      // activity.
      tableActions: [...TABLE_READ, ...TABLE_UPDATE],
      readsSecrets: [linkSigningKey, checkInCodeKey, residentLookupKey],
      routes: [
        ['DeputyActivityPage', routes.activityPageContracts.show],
        ['DeputyActivitySubmit', routes.activityPageContracts.submit],
      ],
    });

    const home = functions.add('DeputyHomeFunction', {
      entry: 'functions/deputy/home-page.ts',
      description:
        'GET/POST /my-activities, GET /my-activities/{token}: a deputy asks for and opens a home link',
      envSchema: deputyHomeEnvSchema,
      environment: {
        LINK_SIGNING_SECRET_ARN: linkSigningKey.secretArn,
        SENDER_EMAIL: props.senderEmail,
        SES_CONFIGURATION_SET: props.configurationSetName,
        PUBLIC_BASE_URL: api.api.apiEndpoint,
      },
      memorySize: 256,
      // Reads the address claim, invitations (ownership index), activities, duty entries; writes
      // the rate counter, the home link and the email claim (sendEmailOnce's transaction).
      tableActions: [...TABLE_READ, 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
      readsSecrets: [linkSigningKey],
      sendsEmail: {},
      routes: [
        ['DeputyHomeRequestForm', routes.homeRequestFormRoute],
        ['DeputyHomeRequest', routes.homeRequestRoute],
        ['DeputyHomePage', routes.homePageRoute],
      ],
    });

    const meActivities = functions.add('MeActivitiesFunction', {
      entry: 'functions/deputy/me-activities.ts',
      description: "GET /me/activities: a signed-in deputy's invitations and activities",
      envSchema: meActivitiesEnvSchema,
      tableActions: ['dynamodb:Query', 'dynamodb:BatchGetItem'],
      routes: [['MeActivities', routes.meActivitiesRoute]],
    });

    this.functions = { activityPage, home, meActivities };
  }
}
