import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { handleMailEventEnvSchema } from '../../functions/bounces/env';
import { grantSendEmail } from './grants';
import { ProjectFunction } from './project-function';

export interface MailEventsProps {
  readonly table: dynamodb.ITable;
  readonly logRetention: logs.RetentionDays;
  /** The configuration set every email is sent with. */
  readonly configurationSet: ses.IConfigurationSet;
  /** Organisers told about each bounce and complaint (comma-separated addresses). */
  readonly organiserAlertEmail: string;
  readonly senderEmail: string;
  /** The SES identity the alerts are sent from. */
  readonly sesIdentityArn: string;
}

/**
 * Bounces and complaints: the configuration set publishes them to an SNS topic (encrypted with
 * a customer managed key SES may use, TLS only), whose subscriber `HandleMailEventFunction`
 * marks the email (and its referral, with an audit event) and alerts the organisers once per
 * message id.
 */
export class MailEvents extends Construct {
  readonly topic: sns.Topic;
  readonly handler: ProjectFunction<typeof handleMailEventEnvSchema>;

  constructor(scope: Construct, id: string, props: MailEventsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const configurationSetName = props.configurationSet.configurationSetName;

    // SES cannot publish to a topic encrypted with the AWS managed SNS key: a key of our own,
    // usable by SES only on behalf of this account's configuration set.
    const key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the SES bounce and complaint notifications topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        resources: ['*'], // a key policy's resource is always the key itself
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': stack.formatArn({
              service: 'ses',
              resource: 'configuration-set',
              resourceName: configurationSetName,
            }),
          },
        },
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Liandong SES bounces and complaints',
      masterKey: key,
      enforceSSL: true,
    });

    new ses.ConfigurationSetEventDestination(this, 'BouncesAndComplaints', {
      configurationSet: props.configurationSet,
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });

    this.handler = new ProjectFunction(this, 'HandleMailEventFunction', {
      entry: 'functions/bounces/handle-mail-event.ts',
      description: 'SES bounce/complaint: mark the email and its referral, alert the organisers',
      envSchema: handleMailEventEnvSchema,
      environment: {
        TABLE_NAME: props.table.tableName,
        SENDER_EMAIL: props.senderEmail,
        SES_CONFIGURATION_SET: configurationSetName,
        ORGANISER_EMAILS: props.organiserAlertEmail,
      },
      logRetention: props.logRetention,
      timeout: Duration.seconds(60),
    });
    // Reads the lookup and the referral; marks them (conditional writes, in one transaction
    // with the audit event); claims and records the alert email (send-once).
    props.table.grant(
      this.handler,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
    );
    grantSendEmail(this.handler, this, {
      sesIdentityArn: props.sesIdentityArn,
      configurationSetName,
    });
    this.topic.addSubscription(new subscriptions.LambdaSubscription(this.handler));
  }
}
