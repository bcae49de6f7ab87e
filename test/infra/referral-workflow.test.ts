// Infra test: the referral state machine's structure and its step functions' grants, on a
// stack of its own (bundling skipped: these tests are about the template).
import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { createReferralStepFunctions } from '../../infra/constructs/referral-steps';
import { ReferralWorkflow } from '../../workflows/referral-workflow';
import { actionsIn, functionEnvironment, functionStatements } from '../support/stack';

type State = Record<string, unknown> & {
  Type: string;
  Next?: string;
  End?: boolean;
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string | null }[];
  Retry?: {
    ErrorEquals: string[];
    MaxAttempts?: number;
    IntervalSeconds?: number;
    BackoffRate?: number;
    MaxDelaySeconds?: number;
  }[];
  Choices?: Record<string, unknown>[];
  Default?: string;
};
type Resource = { Type: string; Properties?: Record<string, unknown> };

let states: Record<string, State>;
let startAt: string;
let resources: Record<string, Resource>;

const resolveDefinition = (definition: unknown): string => {
  // Fn::Join of literal strings and Fn::GetAtt: keep the literals, stand in the references.
  const join = (definition as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return join[1].map((part) => (typeof part === 'string' ? part : 'arn:ref')).join(join[0]);
};

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test', { env: { account: '111122223333', region: 'ap-east-1' } });
  const table = new dynamodb.TableV2(stack, 'Data', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
  });
  const signingKey = new secretsmanager.Secret(stack, 'LinkKey');
  const functions = createReferralStepFunctions(stack, {
    table,
    logRetention: 90,
    senderEmail: 'noreply@liandong.example.org',
    configurationSetName: 'LiandongMail',
    sesIdentityArn: 'arn:aws:ses:ap-east-1:111122223333:identity/noreply@liandong.example.org',
    publicBaseUrl: 'https://liandong.example.org',
    signingKey,
    organiserEmails: ['office@liandong.example.org'],
  });
  new ReferralWorkflow(stack, 'ReferralWorkflow', { functions, logRetention: 90 });
  const template = Template.fromStack(stack);
  resources = template.toJSON().Resources as Record<string, Resource>;
  const [machine] = Object.values(resources).filter(
    (r) => r.Type === 'AWS::StepFunctions::StateMachine',
  );
  const asl = JSON.parse(resolveDefinition(machine!.Properties!.DefinitionString)) as {
    StartAt: string;
    States: Record<string, State>;
  };
  states = asl.States;
  startAt = asl.StartAt;
});

const TASKS = [
  'SendReferralEmail',
  'AwaitDepartment',
  'CheckDeadlines',
  'AwaitReroute',
  'SendFeedback',
  'AwaitRatings',
  'ReopenReferral',
  'CloseReferral',
];

describe('referral state machine', () => {
  it('has the states of the design and starts by emailing the department', () => {
    expect(startAt).toBe('SendReferralEmail');
    expect(Object.keys(states).sort()).toEqual(
      [
        ...TASKS,
        'Closed',
        'RouteOutcome',
        'RouteReroute',
        'RouteRating',
        'UnexpectedOutcome',
      ].sort(),
    );
    expect(states.SendReferralEmail!.Next).toBe('AwaitDepartment');
    expect(states.CheckDeadlines!.Next).toBe('AwaitDepartment');
    expect(states.AwaitDepartment!.Next).toBe('RouteOutcome');
    expect(states.SendFeedback!.Next).toBe('AwaitRatings');
    expect(states.AwaitRatings!.Next).toBe('RouteRating');
    expect(states.ReopenReferral!.Next).toBe('SendReferralEmail');
    expect(states.CloseReferral!.Next).toBe('Closed');
  });

  it('routes the human steps on $.decision.outcome', () => {
    const targets = (name: string) =>
      Object.fromEntries(
        states[name]!.Choices!.map((choice) => [JSON.stringify(choice), choice.Next]),
      );
    const outcome = states.RouteOutcome!;
    expect(outcome.Type).toBe('Choice');
    const byValue = (name: string) =>
      Object.fromEntries(
        states[name]!.Choices!.filter((c) => c.Variable === '$.decision.outcome').map((c) => [
          c.StringEquals,
          c.Next,
        ]),
      );
    expect(byValue('RouteOutcome')).toEqual({
      REPLIED: 'SendFeedback',
      RETURNED: 'AwaitReroute',
      CLOSED_BY_COMMITTEE: 'CloseReferral',
    });
    expect(outcome.Default).toBe('UnexpectedOutcome');
    expect(byValue('RouteReroute')).toEqual({
      REROUTED: 'SendReferralEmail',
      CLOSED_BY_COMMITTEE: 'CloseReferral',
    });
    // Reopen only on NOT_SATISFIED of a referral not yet reopened; everything else closes.
    const rating = states.RouteRating!;
    expect(rating.Default).toBe('CloseReferral');
    expect(Object.values(targets('RouteRating'))).toEqual(['ReopenReferral']);
    expect(JSON.stringify(rating.Choices![0])).toContain('"NOT_SATISFIED"');
    expect(JSON.stringify(rating.Choices![0])).toContain('"$.timesReopened"');
    // A defect: the execution fails there (a redrive would stop there again).
    expect(states.UnexpectedOutcome).toMatchObject({ Type: 'Fail', Error: 'UnexpectedOutcome' });
  });

  it('waits for people with task tokens and deadlines from the payload', () => {
    for (const [name, phase] of [
      ['AwaitDepartment', 'DEPARTMENT'],
      ['AwaitReroute', 'REROUTE'],
      ['AwaitRatings', 'RATING'],
    ] as const) {
      const state = states[name]!;
      expect(state.Resource).toMatch(/:states:::lambda:invoke\.waitForTaskToken$/);
      const payload = (state.Parameters as { Payload: Record<string, unknown> }).Payload;
      expect(payload).toEqual({
        'referralId.$': '$.referralId',
        phase,
        'taskToken.$': '$$.Task.Token',
      });
      expect(state.ResultPath).toBe('$.decision');
    }
    expect(states.AwaitDepartment!.TimeoutSecondsPath).toBe('$.secondsUntilCheckpoint');
    expect(states.AwaitRatings!.TimeoutSecondsPath).toBe('$.secondsUntilRatingDeadline');
    expect(states.AwaitReroute!.TimeoutSecondsPath).toBeUndefined();
  });

  it('treats a deadline as the ordinary way on and catches nothing else (a failed step is redriven)', () => {
    const timeout = (name: string) =>
      states[name]!.Catch!.find((c) => c.ErrorEquals.includes('States.Timeout'));
    expect(timeout('AwaitDepartment')).toMatchObject({ Next: 'CheckDeadlines', ResultPath: null });
    expect(timeout('AwaitRatings')).toMatchObject({
      Next: 'CloseReferral',
      ResultPath: '$.decision',
    });
    for (const name of TASKS) {
      const caught = (states[name]!.Catch ?? []).flatMap((c) => c.ErrorEquals);
      expect(caught, name).not.toContain('States.ALL');
      const retried = states[name]!.Retry!.flatMap((r) => r.ErrorEquals);
      expect(retried, name).toEqual(
        expect.arrayContaining([
          'TransientError',
          'ConcurrentModificationError',
          'Lambda.ServiceException',
        ]),
      );
    }
  });

  it('retries transient faults long enough to outlast an engine restart (minutes)', () => {
    for (const name of TASKS) {
      const retrier = states[name]!.Retry!.find((r) => r.ErrorEquals.includes('TransientError'))!;
      // The longest wait: each delay's ceiling, doubling and capped (full jitter draws below it).
      let ceiling = 0;
      for (let n = 0; n < (retrier.MaxAttempts ?? 3); n++) {
        ceiling += Math.min(
          retrier.MaxDelaySeconds ?? Infinity,
          (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** n,
        );
      }
      expect(retrier.MaxDelaySeconds, name).toBeLessThanOrEqual(60);
      expect(ceiling / 2, `${name}: expected wait in seconds`).toBeGreaterThanOrEqual(100);
    }
  });

  it('passes only the referral id, numbers and the last decision to the steps', () => {
    for (const name of TASKS.filter((n) => !n.startsWith('Await'))) {
      // payloadResponseOnly: the parameters are the payload itself.
      const payload = states[name]!.Parameters;
      const allowed =
        name === 'CloseReferral'
          ? { 'referralId.$': '$.referralId', 'decision.$': '$.decision' }
          : { 'referralId.$': '$.referralId' };
      expect(payload, name).toEqual(allowed);
    }
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties!.EventPattern).toMatchObject({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT'] },
    });
    const target = (rules[0]!.Properties!.Targets as { Arn: { 'Fn::GetAtt': string[] } }[])[0]!;
    expect(target.Arn['Fn::GetAtt'][0]).toMatch(/^RecordReferralFailureFunction/);
  });
});

describe('referral step functions', () => {
  const fnEnv = (prefix: string) => functionEnvironment(resources, prefix);
  const policyActions = (prefix: string): string[] =>
    actionsIn(functionStatements(resources, prefix));

  it('gives each function the variables its schema requires', () => {
    expect(Object.keys(fnEnv('SendReferralEmailFunction'))).toEqual(
      expect.arrayContaining([
        'TABLE_NAME',
        'SENDER_EMAIL',
        'SES_CONFIGURATION_SET',
        'LINK_SIGNING_SECRET_ARN',
        'PUBLIC_BASE_URL',
      ]),
    );
    expect(fnEnv('CheckReferralDeadlinesFunction').ORGANISER_EMAILS).toBe(
      'office@liandong.example.org',
    );
    expect(Object.keys(fnEnv('AwaitReferralFunction'))).not.toContain('SENDER_EMAIL');
  });

  it('grants email and the signing key only to the functions that need them', () => {
    for (const prefix of [
      'SendReferralEmailFunction',
      'CheckReferralDeadlinesFunction',
      'SendReferralFeedbackFunction',
    ]) {
      expect(policyActions(prefix), prefix).toContain('ses:SendEmail');
    }
    for (const prefix of [
      'AwaitReferralFunction',
      'ReopenReferralFunction',
      'CloseReferralFunction',
      'RecordReferralFailureFunction',
    ]) {
      expect(policyActions(prefix), prefix).not.toContain('ses:SendEmail');
      expect(policyActions(prefix), prefix).not.toContain('secretsmanager:GetSecretValue');
      expect(policyActions(prefix), prefix).toContain('dynamodb:UpdateItem');
    }
    expect(policyActions('SendReferralEmailFunction')).toContain('secretsmanager:GetSecretValue');
    expect(policyActions('SendReferralFeedbackFunction')).toContain(
      'secretsmanager:GetSecretValue',
    );
    expect(policyActions('CheckReferralDeadlinesFunction')).not.toContain(
      'secretsmanager:GetSecretValue',
    );
    for (const [, r] of Object.entries(resources)) {
      if (r.Type !== 'AWS::IAM::Policy') continue;
      const actions = JSON.stringify(r.Properties!.PolicyDocument);
      expect(actions).not.toContain('"dynamodb:*"');
      expect(actions).not.toContain('"ses:*"');
    }
  });
});
