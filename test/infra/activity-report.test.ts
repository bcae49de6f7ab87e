// Infra test: the activity report on the synthesized Liandong stack (bundling skipped, no AWS):
// the SendActivityReport state after CompleteActivity, its Retry and its Catch that never fails
// the activity, and the least-privilege grants of the two report functions.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  actionsIn,
  functionEnvironment,
  functionStatements,
  ofType as ofTypeIn,
  stateMachineDefinition,
  synthLiandong,
} from '../support/stack';
import type { Resources, Statement } from '../support/stack';

type State = Record<string, unknown> & {
  Type: string;
  Next?: string;
  End?: boolean;
  Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string | null }[];
  Retry?: { ErrorEquals: string[]; MaxAttempts?: number }[];
};

let resources: Resources;
let states: Record<string, State>;

const ofType = (type: string) => ofTypeIn(resources, type);

const statementsOf = (prefix: string): Statement[] => functionStatements(resources, prefix);

const actionsOf = (prefix: string): string[] => actionsIn(statementsOf(prefix));

beforeAll(() => {
  ({ resources } = synthLiandong({ context: { 'liandong:logRetentionDays': 90 } }));
  states = stateMachineDefinition<{ States: Record<string, State> }>(
    resources,
    'ActivityWorkflow',
  ).States;
});

describe('SendActivityReport state', () => {
  it('follows CompleteActivity and ends in Completed', () => {
    expect(states.CompleteActivity!.Next).toBe('SendActivityReport');
    expect(states.SendActivityReport!.Type).toBe('Task');
    expect(states.SendActivityReport!.Next).toBe('Completed');
    expect(states.Completed!.Type).toBe('Succeed');
  });

  it('retries passing faults like the other email steps', () => {
    const retried = states.SendActivityReport!.Retry!.flatMap((r) => r.ErrorEquals);
    expect(retried).toEqual(expect.arrayContaining(['TransientError', 'Lambda.ServiceException']));
    // The same Retry as SendInvitations, the first email step.
    expect(states.SendActivityReport!.Retry).toEqual(states.SendInvitations!.Retry);
  });

  it('catches what is left into a Pass that ends Completed, never RecordFailure', () => {
    const catches = states.SendActivityReport!.Catch!;
    expect(catches).toEqual([
      { ErrorEquals: ['States.ALL'], Next: 'ReportNotEmailed', ResultPath: '$.reportEmailError' },
    ]);
    expect(states.ReportNotEmailed).toMatchObject({ Type: 'Pass', Next: 'Completed' });
    expect(catches.some((c) => c.Next === 'RecordFailure')).toBe(false);
  });

  it('passes the activity id only', () => {
    // payloadResponseOnly: the Parameters are the Lambda payload itself.
    expect(states.SendActivityReport!.Parameters).toEqual({ 'activityId.$': '$.activityId' });
  });
});

describe('SendActivityReportFunction', () => {
  it('gets the organiser mailboxes the way the referral escalation does', () => {
    const env = (id: string) => functionEnvironment(resources, id);
    expect(env('SendActivityReportFunction').ORGANISER_EMAILS).toBe('office@liandong.example.org');
    expect(env('SendActivityReportFunction').ORGANISER_EMAILS).toEqual(
      env('CheckReferralDeadlinesFunction').ORGANISER_EMAILS,
    );
  });

  it('may read by key, write its claims, and send from the sender identity only', () => {
    const dynamo = actionsOf('SendActivityReportFunction').filter((a) => a.startsWith('dynamodb:'));
    expect(dynamo.sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ].sort(),
    );
    const ses = statementsOf('SendActivityReportFunction').filter((s) =>
      (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => a.startsWith('ses:')),
    );
    expect(ses).toHaveLength(1);
    expect(ses[0]!.Action).toBe('ses:SendEmail');
    const scoped = JSON.stringify(ses[0]!.Resource);
    expect(scoped).not.toContain('"*"');
    expect(scoped).toContain('configuration-set/');
    expect(scoped).toContain(':identity/');
  });
});

describe('ActivityReportFunction', () => {
  it('serves GET /audit/activities/{activityId}/report behind the JWT authorizer', () => {
    const route = ofType('AWS::ApiGatewayV2::Route').find(
      ([, r]) => r.Properties!.RouteKey === 'GET /audit/activities/{activityId}/report',
    );
    expect(route).toBeDefined();
    expect(route![1].Properties!.AuthorizationType).toBe('JWT');
  });

  it('may only GetItem and BatchGetItem: no Query, no Scan, no write, no email', () => {
    const actions = actionsOf('AuditReportActivityReportFunction');
    expect(actions.filter((a) => a.startsWith('dynamodb:')).sort()).toEqual([
      'dynamodb:BatchGetItem',
      'dynamodb:GetItem',
    ]);
    expect(actions.filter((a) => a.startsWith('ses:'))).toEqual([]);
  });
});
