// Infra test: the MailEvents construct (SES bounces/complaints → encrypted SNS → function),
// cdk-nag AwsSolutions clean on its own.
import { App, Aspects, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ses from 'aws-cdk-lib/aws-ses';
import { AwsSolutionsChecks, NagSuppressions } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { MailEvents } from '../../infra/constructs/mail-events';

describe('MailEvents', () => {
  let stack: Stack;
  let template: Template;

  beforeAll(() => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    stack = new Stack(app, 'MailEventsTest', {
      env: { account: '111111111111', region: 'ap-east-1' },
    });
    const table = new dynamodb.TableV2(stack, 'Table', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    const identity = new ses.EmailIdentity(stack, 'Sender', {
      identity: ses.Identity.email('noreply@liandong.example.org'),
    });
    const configurationSet = new ses.ConfigurationSet(stack, 'Mail', {});
    new MailEvents(stack, 'MailEvents', {
      table,
      logRetention: logs.RetentionDays.ONE_MONTH,
      configurationSet,
      organiserAlertEmail: 'office@liandong.example.org',
      senderEmail: 'noreply@liandong.example.org',
      sesIdentityArn: identity.emailIdentityArn,
    });
    // The project-wide justifications live in the stack (Powertools managed policy, the
    // Lambda-basic-execution role); only this construct's own findings are judged here.
    NagSuppressions.addStackSuppressions(stack, [
      { id: 'AwsSolutions-IAM4', reason: 'AWSLambdaBasicExecutionRole, as in the stack' },
      { id: 'AwsSolutions-L1', reason: 'Node 22 is the project runtime' },
      {
        id: 'AwsSolutions-IAM5',
        reason: 'X-Ray trace submission has no resource-level permissions (as in the stack)',
        appliesTo: ['Resource::*'],
      },
      {
        id: 'AwsSolutions-IAM5',
        reason: "The table's own GSIs (as in the stack)",
        appliesTo: [{ regex: '/^Resource::<Table[0-9A-F]+\\.Arn>\\/index\\/\\*$/g' }],
      },
    ]);
    Aspects.of(app).add(new AwsSolutionsChecks());
    template = Template.fromStack(stack);
  });

  it('publishes bounces and complaints of the configuration set to an encrypted, TLS-only topic', () => {
    template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      EventDestination: Match.objectLike({
        MatchingEventTypes: ['bounce', 'complaint'],
        SnsDestination: Match.anyValue(),
      }),
    });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({ Principal: { Service: 'ses.amazonaws.com' }, Action: 'sns:Publish' }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'ses.amazonaws.com' } }),
        ]),
      }),
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
  });

  it('gives the function the alert settings', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          ORGANISER_EMAILS: 'office@liandong.example.org',
          SENDER_EMAIL: 'noreply@liandong.example.org',
        }),
      },
    });
  });

  it('has no cdk-nag AwsSolutions errors or warnings', () => {
    const findings = [
      ...Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ].map((f) => `${f.id}: ${String(f.entry.data).split(':')[0]}`);
    expect(findings).toEqual([]);
  });
});
