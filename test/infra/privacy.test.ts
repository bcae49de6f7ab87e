// Infra test (CDK assertions on the synthesized stack): residents' personal data
// (docs/privacy.md). The retention job runs on an EventBridge Scheduler schedule with the run's
// scheduled time as input; only the functions that file or look up residents read the lookup
// key; the job and the erasure route write only the table, and nothing else can invoke the job.
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { actionsIn, roleStatements, synthLiandong } from '../support/stack';
import type { Resource, Resources, Statement } from '../support/stack';

let resources: Resources;
let template: Template;

const synth = (context: Record<string, unknown> = {}) => synthLiandong({ context }).template;

beforeAll(() => {
  template = synth();
  resources = template.toJSON().Resources as Resources;
});

const logicalIdOf = (prefix: string, type: string): string => {
  const found = Object.entries(resources).filter(
    ([id, r]) => id.startsWith(prefix) && r.Type === type,
  );
  expect(found, prefix).toHaveLength(1);
  return found[0]![0];
};

/** The statements of the policies attached to a function's role. */
const statementsOf = (functionPrefix: string): Statement[] =>
  roleStatements(resources, logicalIdOf(functionPrefix, 'AWS::Lambda::Function'));

const actionsOf = (functionPrefix: string): string[] =>
  [...new Set(actionsIn(statementsOf(functionPrefix)))].sort();

const tableActionsOf = (functionPrefix: string): string[] =>
  actionsOf(functionPrefix).filter((action) => action.startsWith('dynamodb:'));

/** What the retention job and the erasure route may do with the table: read, erase, record. */
const ERASER_TABLE_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:Query',
  'dynamodb:UpdateItem',
];

describe('the retention job', () => {
  it('runs daily at 03:00 China time, invoked with the scheduled time, retried', () => {
    const jobId = logicalIdOf('PrivacyEraseDueResidentsFunction', 'AWS::Lambda::Function');
    const schedule =
      resources[logicalIdOf('PrivacyEraseDueResidentsSchedule', 'AWS::Scheduler::Schedule')]!;
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: 'cron(0 3 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Shanghai',
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [jobId, 'Arn'] },
        Input: JSON.stringify({ scheduledTime: '<aws.scheduler.scheduled-time>' }),
        RetryPolicy: { MaximumRetryAttempts: 3 },
      },
    });
  });

  it('reads and erases in the table only, and is invoked by nothing but its schedule', () => {
    const actions = actionsOf('PrivacyEraseDueResidentsFunction');
    expect(tableActionsOf('PrivacyEraseDueResidentsFunction')).toEqual(ERASER_TABLE_ACTIONS);
    // Beyond the table only its own logs and traces: no secret, no email, no workflow.
    expect(actions.filter((a) => !/^(dynamodb|logs|xray):/.test(a))).toEqual([]);
    const jobId = logicalIdOf('PrivacyEraseDueResidentsFunction', 'AWS::Lambda::Function');
    const invokers = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .flatMap((r) => (r.Properties!.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((s) => JSON.stringify(s.Resource).includes(jobId))
      .filter((s) => JSON.stringify(s.Action).includes('lambda:InvokeFunction'));
    expect(invokers).toHaveLength(1);
    const schedulerRoles = Object.entries(resources).filter(
      ([, r]) =>
        r.Type === 'AWS::IAM::Role' &&
        JSON.stringify(r.Properties!.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(schedulerRoles).toHaveLength(1);
  });
});

describe('the resident lookup key', () => {
  it('is read by the functions that file or look up residents, and by no other', () => {
    const keyId = logicalIdOf('ResidentLookupKey', 'AWS::SecretsManager::Secret');
    const readers = Object.entries(resources)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .filter(([, r]) =>
        (r.Properties!.PolicyDocument as { Statement: Statement[] }).Statement.some(
          (s) =>
            JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue') &&
            JSON.stringify(s.Resource).includes(keyId),
        ),
      )
      .map(([id]) => id.replace(/ServiceRoleDefaultPolicy.*$/, ''))
      .sort();
    expect(readers).toEqual([
      'DeputyPagesDeputyActivityPageFunction',
      'FindingsReviewRecordFindingFunction',
      'PrivacyExportResidentFindingsFunction',
      'PrivacySearchResidentFindingsFunction',
    ]);
  });

  it('gives the request routes read-only table access; only erasure writes', () => {
    for (const reader of [
      'PrivacySearchResidentFindingsFunction',
      'PrivacyExportResidentFindingsFunction',
    ]) {
      expect(tableActionsOf(reader), reader).toEqual([
        'dynamodb:BatchGetItem',
        'dynamodb:GetItem',
        'dynamodb:Query',
      ]);
    }
    expect(tableActionsOf('PrivacyEraseResidentFunction')).toEqual(ERASER_TABLE_ACTIONS);
  });
});

describe('the retention period', () => {
  it('is the CDK context liandong:residentRetention on the functions that start the clock', () => {
    const configured = synth({ 'liandong:residentRetention': 'P1Y' }).toJSON().Resources as Record<
      string,
      Resource
    >;
    const withRetention = Object.entries(configured)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .filter(
        ([, r]) =>
          (r.Properties!.Environment as { Variables?: Record<string, unknown> } | undefined)
            ?.Variables?.RESIDENT_RETENTION === 'P1Y',
      )
      .map(([id]) => id.replace(/[0-9A-F]{8}$/, ''))
      .sort();
    expect(withRetention).toEqual([
      'CloseReferralFunction',
      'CompleteActivityFunction',
      'FindingsReviewCancelActivityFunction',
    ]);
    expect(() => synth({ 'liandong:residentRetention': 'six months' })).toThrow(
      /RESIDENT_RETENTION/,
    );
  });
});
