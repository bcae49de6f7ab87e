import {
  ArnFormat,
  type CfnElement,
  CfnOutput,
  Duration,
  Lazy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { NagSuppressions } from 'cdk-nag';
import type { Construct } from 'constructs';
import {
  changeActivityEnvSchema,
  createActivityEnvSchema,
  getActivityEnvSchema,
} from '../functions/activities/env';
import * as activityRoutes from '../functions/activities/routes';
import { ActivityWorkflow } from '../workflows/activity-workflow';
import { ConsoleSite } from './constructs/console-site';
import { ReferralWorkflow } from '../workflows/referral-workflow';
import { DeputyPages } from './constructs/deputy-pages';
import { attendanceFunctions } from './constructs/attendance-api';
import { auditFunctions } from './constructs/audit-api';
import { AuditCheckpoints } from './constructs/audit-checkpoints';
import { auditReportFunctions } from './constructs/audit-report';
import { auditStatsFunctions } from './constructs/audit-stats-api';
import { campaignFunctions } from './constructs/campaigns-api';
import { createActivityStepFunctions } from './constructs/activity-steps';
import { findingsReviewFunctions } from './constructs/findings-review-api';
import { listFunctions } from './constructs/lists-api';
import { MailEvents } from './constructs/mail-events';
import { Privacy } from './constructs/privacy';
import { parseRetention } from '../functions/privacy/retention';
import { ReferenceApi } from './constructs/reference-api';
import { referralFunctions } from './constructs/referral-api';
import { createReferralStepFunctions } from './constructs/referral-steps';
import { LiandongHttpApi } from './constructs/http-api';
import {
  ApiFunctions,
  FunctionFactory,
  TABLE_READ,
  TABLE_UPDATE,
} from './constructs/function-factory';
import { LiandongTable } from './constructs/table';
import type { ReferralDeadlineSettings } from '../functions/shared/domain/deadline-env';

/** The roles a Cognito group grants; the handlers check them against the JWT's groups claim. */
export const ROLE_GROUPS = ['organiser', 'deputy', 'auditor'] as const;

export class LiandongStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const senderEmail = this.contextString('liandong:senderEmail');
    const organiserAlertEmail = this.contextString('liandong:organiserAlertEmail');
    const logRetention = this.node.tryGetContext('liandong:logRetentionDays') ?? 90;
    const retention = logRetention as logs.RetentionDays;

    const { table } = new LiandongTable(this, 'Data');

    // --- identity: organisers, deputies and auditors sign in; departments never need an account
    const userPool = new cognito.UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      // An organiser's scope: a street, or DISTRICT for the whole district. Every organiser must
      // have one (functions/shared/http/auth.ts refuses an organiser without it). Administrators
      // set it (AdminUpdateUserAttributes, hence mutable); the app client cannot write it.
      customAttributes: { street: new cognito.StringAttribute({ mutable: true }) },
    });
    const userPoolClient = userPool.addClient('ApiClient', {
      authFlows: { userSrp: true },
      // Users may change their display name, nothing else: never their scope (custom:street).
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ fullname: true }),
      // Sign-in is SRP against the pool: no hosted UI, so no OAuth flows and no callback URLs
      // (CDK's default is the implicit and code grants with an https://example.com callback).
      disableOAuth: true,
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
    });
    for (const group of ROLE_GROUPS) {
      new cognito.CfnUserPoolGroup(this, `Group${group}`, {
        userPoolId: userPool.userPoolId,
        groupName: group,
        description: `Liandong role ${group}`,
      });
    }

    // --- email
    const senderIdentity = new ses.EmailIdentity(this, 'SenderIdentity', {
      identity: ses.Identity.email(senderEmail),
    });
    const configurationSet = new ses.ConfigurationSet(this, 'MailConfiguration', {
      reputationMetrics: true,
      sendingEnabled: true,
    });

    // --- the organisers' console (CloudFront); its CSP names the API's origin, known below
    const apiOrigin: { value?: string } = {};
    const consoleSite = new ConsoleSite(this, 'Console', {
      userPool,
      apiOrigin: Lazy.string({ produce: () => apiOrigin.value }),
    });

    // --- the HTTP API
    const api = new LiandongHttpApi(this, 'Http', {
      userPool,
      userPoolClients: [userPoolClient, consoleSite.client],
      logRetention: retention,
      rateLimit: 50,
      burstLimit: 100,
    });

    // What every construct of functions is given, and where the emails are sent from.
    const shared = { table, api, logRetention: retention };
    const mail = {
      senderEmail,
      configurationSetName: configurationSet.configurationSetName,
      sesIdentityArn: senderIdentity.emailIdentityArn,
    };

    // --- the activity workflow and its steps
    // Signs the links in referral, feedback and invitation emails; read at run time with Powertools Parameters.
    const linkSigningKey = this.hmacKey('LinkSigningKey', {
      description:
        'HMAC key of the signed, expiring links in referral, feedback and invitation emails',
      length: 64,
      whyNotRotated:
        'Rotating the key would invalidate every referral link in flight (they live until the due date); rotation is a planned manual operation with a grace period, not a schedule.',
    });
    // The referral deadline settings, given once to every function that uses them (the
    // workflow's steps and the organisers' referral actions); none set: the defaults of
    // functions/shared/domain/deadlines.ts.
    const referralDeadlines: ReferralDeadlineSettings = {};
    // What both workflows' steps are given: the table, the sender, the key that signs the links
    // in their emails and where those links open, the office that escalations and reports go to.
    const stepProps = {
      table,
      logRetention: retention,
      ...mail,
      publicBaseUrl: api.api.apiEndpoint,
      signingKey: linkSigningKey,
      organiserEmails: [organiserAlertEmail],
    };
    const referralSteps = createReferralStepFunctions(this, {
      ...stepProps,
      deadlines: referralDeadlines,
    });
    const referralWorkflow = new ReferralWorkflow(this, 'ReferralWorkflow', {
      functions: referralSteps,
      logRetention: retention,
    });
    // AwaitReferral ends its own wait when the department answered between two waits. Naming the
    // state machine by its ARN would make a cycle (the machine invokes this function), so the
    // grant names it by its generated name, which CloudFormation derives from the logical id.
    const referralMachineLogicalId = this.getLogicalId(
      referralWorkflow.stateMachine.node.defaultChild as CfnElement,
    );
    referralSteps.awaitReferral.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:SendTaskSuccess'],
        resources: [
          this.formatArn({
            service: 'states',
            resource: 'stateMachine',
            resourceName: `${referralMachineLogicalId}-*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    const activitySteps = createActivityStepFunctions(this, {
      ...stepProps,
      referralStateMachine: referralWorkflow.stateMachine,
      // The reminder goes out this long before the start (functions/activity-workflow/plan-start.ts).
      reminderLeadHours: Number(this.node.tryGetContext('liandong:reminderLeadHours') ?? 24),
    });
    const activityWorkflow = new ActivityWorkflow(this, 'ActivityWorkflow', {
      functions: activitySteps,
      logRetention: retention,
    });
    const activityStateMachine = activityWorkflow.stateMachine;

    const functions = new FunctionFactory(this, shared);
    const machineEnv = { ACTIVITY_STATE_MACHINE_ARN: activityStateMachine.stateMachineArn };
    functions.add('CreateActivityFunction', {
      entry: 'functions/activities/create-activity.ts',
      description: 'POST /activities: schedule an activity and start its workflow',
      envSchema: createActivityEnvSchema,
      environment: machineEnv,
      // DeleteItem: the in-progress idempotency record of a request that failed is removed.
      tableActions: [
        ...TABLE_READ,
        ...TABLE_UPDATE,
        'dynamodb:BatchWriteItem',
        'dynamodb:DeleteItem',
      ],
      stateMachine: { machine: activityStateMachine, startExecution: true },
      routes: [['CreateActivity', activityRoutes.createActivityRoute]],
    });

    functions.add('GetActivityFunction', {
      entry: 'functions/activities/get-activity.ts',
      description:
        'GET /activities/{activityId} and its invitations: status, workflow state, answers',
      envSchema: getActivityEnvSchema,
      environment: machineEnv,
      tableActions: TABLE_READ,
      routes: [
        ['GetActivity', activityRoutes.getActivityRoute],
        // Same function, same grants: one more route, not one more function (the resource budget).
        ['ListActivityInvitations', activityRoutes.listActivityInvitationsRoute],
      ],
      rolePolicy: [
        {
          actions: ['states:DescribeExecution'],
          resources: [executionArnsOf(this, activityStateMachine.stateMachineName)],
        },
      ],
    });

    functions.add('ChangeActivityFunction', {
      entry: 'functions/activities/change-activity.ts',
      description:
        'PATCH /activities/{activityId}: change time, place or invitees before the start',
      envSchema: changeActivityEnvSchema,
      // Its transaction updates the activity, puts the audit event, the change and the
      // invitations added, and deletes the invitations removed.
      tableActions: [
        ...TABLE_READ,
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ],
      // Ends the start wait so the workflow follows the new times (the token names the machine).
      stateMachine: { machine: activityStateMachine, taskResponse: true },
      routes: [['ChangeActivity', activityRoutes.changeActivityRoute]],
    });

    new ReferenceApi(this, 'Reference', {
      ...shared,
      ...mail,
    });
    const checkpoints = new AuditCheckpoints(this, 'Checkpoints', {
      table,
      logRetention: retention,
      stateMachines: [activityStateMachine, referralWorkflow.stateMachine],
    });
    const audit = new ApiFunctions(this, 'Audit', shared, auditFunctions(checkpoints));
    checkpoints.grantReadPublicKey(audit.functions.ReadAuditTrailFunction);
    new ApiFunctions(this, 'Lists', shared, listFunctions(table));
    new ApiFunctions(this, 'AuditStats', shared, auditStatsFunctions);
    new ApiFunctions(this, 'Campaigns', shared, campaignFunctions);
    new ApiFunctions(this, 'AuditReport', shared, auditReportFunctions);
    new ApiFunctions(
      this,
      'Referrals',
      shared,
      referralFunctions({
        referralStateMachine: referralWorkflow.stateMachine,
        signingKey: linkSigningKey,
        deadlines: referralDeadlines,
      }),
    );

    // The QR check-in code is signed so it cannot be forged or extended; the functions read the
    // key from the secret when they issue or verify a code.
    const checkInCodeKey = this.hmacKey('CheckInCodeKey', {
      description: 'HMAC key of the short-lived activity codes in check-in QR codes',
      length: 48,
      whyNotRotated:
        'The key signs check-in codes that live 15 minutes and grant nothing by themselves; rotating it is a manual operation (update the secret, redeploy) until a rotation function is worth its cost.',
    });
    new ApiFunctions(
      this,
      'Attendance',
      shared,
      attendanceFunctions({ activityStateMachine, checkInCodeKey, linkSigningKey }),
    );
    // Files residents' names and contacts under HMAC digests (docs/privacy.md): whoever can read
    // the table cannot test a guessed name or phone number against the lookup entries.
    const residentLookupKey = this.hmacKey('ResidentLookupKey', {
      description: "HMAC key of the lookup digests of residents' names and contacts",
      length: 64,
      whyNotRotated:
        'Rotating the key would orphan every lookup entry filed under it; rotation is a planned re-keying of the entries, not a schedule.',
    });
    new Privacy(this, 'Privacy', { ...shared, residentLookupKey });
    new DeputyPages(this, 'DeputyPages', {
      ...shared,
      linkSigningKey,
      checkInCodeKey,
      residentLookupKey,
      ...mail,
    });
    const findingsReview = new ApiFunctions(
      this,
      'FindingsReview',
      { ...shared, mailSender: mail },
      findingsReviewFunctions({ ...mail, residentLookupKey, activityStateMachine }),
    );
    // How long residents' names and contacts are kept once their purpose ended (ISO 8601
    // duration; functions/privacy/retention.ts, default P6M): the functions that start the clock.
    const residentRetention: unknown = this.node.tryGetContext('liandong:residentRetention');
    if (typeof residentRetention === 'string' && residentRetention !== '') {
      parseRetention(residentRetention);
      for (const step of [
        referralSteps.closeReferral,
        activitySteps.completeActivity,
        findingsReview.functions.CancelActivityFunction,
      ]) {
        if (step instanceof lambda.Function) {
          step.addEnvironment('RESIDENT_RETENTION', residentRetention);
        }
      }
    }

    new MailEvents(this, 'MailEvents', {
      table,
      logRetention: retention,
      configurationSet,
      organiserAlertEmail,
      senderEmail,
      sesIdentityArn: senderIdentity.emailIdentityArn,
    });

    apiOrigin.value = `https://${api.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`;
    consoleSite.deploy({ apiUrl: api.url });

    new CfnOutput(this, 'ApiUrl', { value: api.url });
    new CfnOutput(this, 'ConsoleUrl', { value: consoleSite.url });
    new CfnOutput(this, 'ConsoleClientId', { value: consoleSite.client.userPoolClientId });
    new CfnOutput(this, 'SignInUrl', { value: consoleSite.signInDomain.baseUrl() });
    new CfnOutput(this, 'UserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: userPoolClient.userPoolClientId });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'CheckpointKeyArn', { value: checkpoints.key.keyArn });
    new CfnOutput(this, 'CheckpointBucketName', { value: checkpoints.bucket.bucketName });
    new CfnOutput(this, 'ActivityStateMachineArn', { value: activityStateMachine.stateMachineArn });

    this.suppressJustifiedFindings();
  }

  /**
   * A generated HMAC key in Secrets Manager (alphanumeric, `length` characters), read by the
   * functions at run time; not rotated on a schedule, for the reason given (cdk-nag SMG4).
   */
  private hmacKey(
    id: string,
    key: { description: string; length: number; whyNotRotated: string },
  ): secretsmanager.Secret {
    const secret = new secretsmanager.Secret(this, id, {
      description: key.description,
      generateSecretString: { passwordLength: key.length, excludePunctuation: true },
    });
    NagSuppressions.addResourceSuppressions(secret, [
      { id: 'AwsSolutions-SMG4', reason: key.whyNotRotated },
    ]);
    return secret;
  }

  private contextString(key: string): string {
    const value: unknown = this.node.tryGetContext(key);
    if (typeof value !== 'string' || value.length === 0) {
      throw new Error(`CDK context "${key}" must be set (cdk.json or --context ${key}=...)`);
    }
    return value;
  }

  private suppressJustifiedFindings(): void {
    NagSuppressions.addStackSuppressions(this, [
      {
        id: 'AwsSolutions-IAM4',
        reason:
          'AWSLambdaBasicExecutionRole is the AWS-managed minimum for writing function logs; it is scoped to logs only.',
        appliesTo: [
          'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'X-Ray trace submission and CloudWatch Logs delivery for Step Functions have no resource-level permissions.',
        appliesTo: ['Resource::*'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "Queries on the table's own GSIs (listing, ownership): grant() scopes them to this table.",
        appliesTo: [{ regex: '/^Resource::<DataTable[0-9A-F]+\\.Arn>\\/index\\/\\*$/g' }],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'The state machine invokes the versions and aliases of its own step functions only.',
        appliesTo: [{ regex: '/^Resource::<[A-Za-z]+Function[0-9A-F]+\\.Arn>:\\*$/g' }],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          "Execution-level actions (describe, stop, start checks) on the executions of the project's own two state machines only; their names are activity and referral ids.",
        appliesTo: [
          {
            regex:
              '/^Resource::arn:.+:states:.+:execution:.*(ActivityWorkflowStateMachine|ReferralWorkflowStateMachine)[0-9A-F]+.*:\\*$/g',
          },
        ],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'SendTaskSuccess on the referral state machine, named by its generated name (logical id + suffix) because its ARN would form a dependency cycle.',
        appliesTo: [
          {
            regex:
              '/^Resource::arn:.+:states:.+:stateMachine:ReferralWorkflowStateMachine[0-9A-F]+-\\*$/g',
          },
        ],
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'Functions pin Node.js 22, the runtime the project is built and tested on.',
      },
      {
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional with TOTP available; deputies sign in on shared devices at liaison stations where mandatory MFA is not yet possible (decided with the standing committee office).',
      },
    ]);
  }
}

function executionArnsOf(stack: Stack, stateMachineName: string): string {
  return stack.formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${stateMachineName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
