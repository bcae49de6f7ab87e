// Infra test: CDK assertions on the synthesized Liandong stack (no AWS, no local engines).
// Bundling is skipped (context aws:cdk:bundling-stacks = []): these tests are about the liandong.template.
import { existsSync } from 'node:fs';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  actionsIn,
  functionEnvironment,
  functionIdOf,
  functionStatements,
  stateMachineDefinition,
  synthesizeBeforeAll,
} from '../support/stack';
import type { Statement } from '../support/stack';

const liandong = synthesizeBeforeAll({ context: { 'liandong:logRetentionDays': 90 }, nag: true });

const functionLogicalId = (prefix: string): string => functionIdOf(liandong.resources, prefix);

/** Every statement of every policy attached to the role of the function with this id prefix. */
const statementsOf = (functionPrefix: string): Statement[] =>
  functionStatements(liandong.resources, functionPrefix);

const actionsOf = (functionPrefix: string): string[] => actionsIn(statementsOf(functionPrefix));

describe('cdk-nag AwsSolutions', () => {
  it('reports no unsuppressed error or warning', () => {
    const errors = Annotations.fromStack(liandong.stack).findError(
      '*',
      Match.stringLikeRegexp('AwsSolutions-.*'),
    );
    const warnings = Annotations.fromStack(liandong.stack).findWarning(
      '*',
      Match.stringLikeRegexp('AwsSolutions-.*'),
    );
    expect(errors.map((e) => e.entry.data)).toEqual([]);
    expect(warnings.map((w) => w.entry.data)).toEqual([]);
  });
});

describe('table', () => {
  it('has the single-table keys and the two access-pattern indexes', () => {
    liandong.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: Match.objectLike({ SSEEnabled: true }),
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      GlobalSecondaryIndexes: Match.arrayWith([
        Match.objectLike({
          IndexName: 'listing',
          KeySchema: [
            { AttributeName: 'listPk', KeyType: 'HASH' },
            { AttributeName: 'listSk', KeyType: 'RANGE' },
          ],
        }),
        Match.objectLike({
          IndexName: 'ownership',
          KeySchema: [
            { AttributeName: 'ownerPk', KeyType: 'HASH' },
            { AttributeName: 'ownerSk', KeyType: 'RANGE' },
          ],
        }),
      ]),
    });
    expect(liandong.ofType('AWS::DynamoDB::Table')).toHaveLength(1);
  });

  it('is retained on stack deletion', () => {
    liandong.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });
});

describe('functions', () => {
  it('all run Node 22 on ARM64 with JSON logs into their own log group and active tracing', () => {
    const functions = liandong.ofType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(6);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
      });
    }
  });

  it('each names its handler entry, which exists, for the local cloud to run', () => {
    for (const [id] of liandong.ofType('AWS::Lambda::Function')) {
      const entry = liandong.template.toJSON().Resources[id].Metadata?.['liandong:entry'] as string;
      expect(entry, id).toMatch(/^functions\/.+\.ts$/);
      expect(existsSync(entry), entry).toBe(true);
    }
  });

  it('log groups all have a retention', () => {
    for (const [, group] of liandong.ofType('AWS::Logs::LogGroup')) {
      expect(group.Properties?.RetentionInDays).toBeGreaterThan(0);
    }
  });

  it('only CreateActivity may start the activity workflow', () => {
    expect(actionsOf('CreateActivityFunction')).toContain('states:StartExecution');
    for (const prefix of [
      'GetActivityFunction',
      'SendInvitationsFunction',
      'AwaitPhaseFunction',
      'OpenCheckInFunction',
      'RecordFailureFunction',
    ]) {
      expect(actionsOf(prefix)).not.toContain('states:StartExecution');
    }
  });

  it('only SendInvitations may send email, and only from the sender identity and configuration set', () => {
    const sesStatements = statementsOf('SendInvitationsFunction').filter((s) =>
      [s.Action].flat().some((a) => a.startsWith('ses:')),
    );
    expect(sesStatements).toHaveLength(1);
    expect(JSON.stringify(sesStatements[0]!.Resource)).not.toContain('"*"');
    for (const prefix of ['CreateActivityFunction', 'GetActivityFunction', 'AwaitPhaseFunction']) {
      expect(actionsOf(prefix).some((a) => a.startsWith('ses:'))).toBe(false);
    }
  });

  it('only the senders of calendar events may send raw email, on the same identity and set', () => {
    for (const prefix of ['SendInvitationsFunction', 'CancelActivityFunction']) {
      const raw = statementsOf(prefix).filter((s) =>
        [s.Action].flat().includes('ses:SendRawEmail'),
      );
      expect(raw, prefix).toHaveLength(1);
      const resources = JSON.stringify(raw[0]!.Resource);
      expect(resources, prefix).not.toContain('"*"');
      expect(resources, prefix).toContain('configuration-set/');
    }
    for (const prefix of [
      'SendReferralEmailFunction',
      'SendActivityReportFunction',
      'CreateActivityFunction',
      'AwaitPhaseFunction',
    ]) {
      expect(actionsOf(prefix), prefix).not.toContain('ses:SendRawEmail');
    }
  });

  it('PATCH /activities/{id} may end the start wait, and nothing else on the workflow', () => {
    const actions = actionsOf('ChangeActivityFunction');
    expect(actions).toEqual(expect.arrayContaining(['states:SendTaskSuccess']));
    expect(actions.filter((a) => a.startsWith('states:')).sort()).toEqual(
      ['states:SendTaskFailure', 'states:SendTaskHeartbeat', 'states:SendTaskSuccess'].sort(),
    );
    expect(actions.some((a) => a.startsWith('ses:'))).toBe(false);
    expect(actionsOf('PlanStartFunction').sort()).toEqual(
      expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']),
    );
    expect(
      actionsOf('PlanStartFunction').filter((a) => /^(dynamodb|ses):(?!GetItem|Query)/.test(a)),
    ).toEqual([]);
    for (const prefix of ['SendRemindersFunction', 'SendChangeNoticesFunction']) {
      expect(actionsOf(prefix), prefix).toEqual(
        expect.arrayContaining(['ses:SendEmail', 'ses:SendRawEmail', 'dynamodb:UpdateItem']),
      );
    }
  });

  it('GetActivity is read-only on the table', () => {
    const actions = actionsOf('GetActivityFunction').filter((a) => a.startsWith('dynamodb:'));
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
  });

  it('GetActivity also serves the invitations list: one more route, not one more function', () => {
    const fn = functionLogicalId('GetActivityFunction');
    const targetOf = (routeKey: string) => {
      const route = liandong
        .ofType('AWS::ApiGatewayV2::Route')
        .find(([, r]) => r.Properties!.RouteKey === routeKey);
      expect(route, routeKey).toBeDefined();
      expect(route![1].Properties!.AuthorizationType).toBe('JWT');
      const target = JSON.stringify(route![1].Properties!.Target);
      const integration = liandong
        .ofType('AWS::ApiGatewayV2::Integration')
        .find(([id]) => target.includes(id));
      return JSON.stringify(integration?.[1].Properties!.IntegrationUri);
    };
    const invitations = targetOf('GET /activities/{activityId}/invitations');
    expect(invitations).toContain(fn);
    expect(invitations).toBe(targetOf('GET /activities/{activityId}'));
  });

  it('the audit listing, statistics and duty record read by key in batches, write nothing', () => {
    for (const prefix of [
      'ListAuditActivitiesFunction',
      'AuditStatisticsFunction',
      'DutyRecordFunction',
    ]) {
      const actions = actionsOf(prefix).filter((a) => a.startsWith('dynamodb:'));
      // Each reads the referrals it names with BatchGetItem (functions/shared/data/batch-get.ts).
      expect(actions).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']),
      );
      expect(actions.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    }
  });

  it('invitation answers and check-ins may check the activity in their transaction', () => {
    // Both write with a ConditionCheck on the activity's status (functions/attendance/domain.ts);
    // IAM authorizes a transaction item by its own action.
    for (const prefix of ['AttendanceRespondInvitationFunction', 'AttendanceCheckInFunction']) {
      expect(actionsOf(prefix), prefix).toEqual(
        expect.arrayContaining([
          'dynamodb:ConditionCheckItem',
          'dynamodb:UpdateItem',
          'dynamodb:PutItem',
        ]),
      );
    }
  });

  it('no statement grants every resource except X-Ray (which has no resource-level permissions)', () => {
    for (const [, policy] of liandong.ofType('AWS::IAM::Policy')) {
      const statements = (policy.Properties!.PolicyDocument as { Statement: Statement[] })
        .Statement;
      for (const statement of statements) {
        if (statement.Resource === '*') {
          const actions = [statement.Action].flat();
          expect(actions.every((a) => a.startsWith('xray:') || a.startsWith('logs:'))).toBe(true);
        }
      }
    }
  });

  it('gives the check-in code key by secret ARN and read grant, never its value', () => {
    for (const prefix of [
      'AttendanceCheckInFunction',
      'AttendanceCheckInQrFunction',
      'AttendanceCheckInPageFunction',
    ]) {
      const variables = functionEnvironment(liandong.resources, prefix);
      expect(JSON.stringify(variables.CHECK_IN_CODE_SECRET_ARN), prefix).toContain(
        'CheckInCodeKey',
      );
      expect(actionsOf(prefix), prefix).toContain('secretsmanager:GetSecretValue');
    }
    expect(actionsOf('AttendanceMakeUpCheckInFunction')).not.toContain(
      'secretsmanager:GetSecretValue',
    );
    for (const [id, fn] of liandong.ofType('AWS::Lambda::Function')) {
      // A dynamic reference would put the resolved secret into the function configuration.
      expect(JSON.stringify(fn.Properties!.Environment ?? {}), id).not.toContain(
        'resolve:secretsmanager',
      );
    }
  });

  it('each function environment holds the variables its schema requires', () => {
    expect(Object.keys(functionEnvironment(liandong.resources, 'CreateActivityFunction'))).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'ACTIVITY_STATE_MACHINE_ARN']),
    );
    expect(Object.keys(functionEnvironment(liandong.resources, 'SendInvitationsFunction'))).toEqual(
      expect.arrayContaining(['TABLE_NAME', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET']),
    );
  });
});

describe('HTTP API', () => {
  // Public pages are opened from a QR code or an emailed link: their credential is the signed code.
  const PUBLIC_ROUTES = [
    'GET /check-in/{code}',
    'POST /check-in/{code}',
    'GET /deputy/{token}',
    'POST /deputy/{token}',
    'GET /my-activities',
    'POST /my-activities',
    'GET /my-activities/{token}',
    'GET /respond/{token}',
    'POST /respond/{token}',
    'GET /rate/{token}',
    'POST /rate/{token}',
  ];

  it('has the JWT authorizer on every route but the public pages', () => {
    const routes = liandong.ofType('AWS::ApiGatewayV2::Route');
    const keys = routes.map(([, r]) => r.Properties!.RouteKey as string);
    expect(keys).toEqual(
      expect.arrayContaining([
        'POST /activities',
        'GET /activities/{activityId}',
        ...PUBLIC_ROUTES,
      ]),
    );
    for (const [, route] of routes) {
      const key = route.Properties!.RouteKey as string;
      if (PUBLIC_ROUTES.includes(key)) {
        expect(route.Properties!.AuthorizationType, key).toBe('NONE');
      } else {
        expect(route.Properties, key).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: expect.anything(),
        });
      }
    }
    liandong.template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      // The API's own app client and the console's.
      JwtConfiguration: {
        Audience: [Match.anyValue(), Match.anyValue()],
        Issuer: Match.anyValue(),
      },
    });
  });

  it('throttles the stage and writes access logs', () => {
    liandong.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: Match.objectLike({
        ThrottlingRateLimit: 50,
        ThrottlingBurstLimit: 100,
      }),
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('requestId'),
      },
    });
  });
});

describe('identity', () => {
  it('has the three role groups', () => {
    const groups = liandong
      .ofType('AWS::Cognito::UserPoolGroup')
      .map(([, g]) => g.Properties!.GroupName);
    expect(groups.sort()).toEqual(['auditor', 'deputy', 'organiser']);
  });
});

describe('activity workflow', () => {
  const definition = () => stateMachineDefinition(liandong.resources, 'ActivityWorkflow');

  it('is a Standard state machine with tracing and logs that exclude execution data', () => {
    liandong.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ IncludeExecutionData: false, Level: 'ALL' }),
    });
  });

  it('sends invitations, then plans the start wait, which a change or a reminder plans again', () => {
    const asl = definition();
    expect(asl.StartAt).toBe('SendInvitations');
    expect(asl.States.SendInvitations!.Next).toBe('PlanStart');
    expect(asl.States.PlanStart!.Next).toBe('WhatNext');
    const whatNext = asl.States.WhatNext as {
      Choices: { Variable: string; StringEquals: string; Next: string }[];
      Default: string;
    };
    expect(whatNext.Choices.map((c) => [c.Variable, c.StringEquals, c.Next])).toEqual([
      ['$.next', 'NOTIFY', 'SendChangeNotices'],
      ['$.next', 'REMIND', 'SendReminders'],
    ]);
    expect(whatNext.Default).toBe('AwaitStart');
    // Reminders and change notices both lead back to planning, from the activity as it is then.
    expect(asl.States.SendReminders!.Next).toBe('PlanStart');
    expect(asl.States.SendChangeNotices!.Next).toBe('PlanStart');

    const awaitStart = asl.States.AwaitStart!;
    expect(awaitStart.Resource).toMatch(/lambda:invoke\.waitForTaskToken$/);
    expect(awaitStart.TimeoutSecondsPath).toBe('$.secondsToWait');
    expect(JSON.stringify(awaitStart.Parameters)).toContain('$$.Task.Token');
    expect(JSON.stringify(awaitStart.Parameters)).toContain('"revision.$":"$.revision"');
    expect(awaitStart.ResultPath).toBe('$.startAnswer');
    expect(awaitStart.Next).toBe('StartAnswered');
    const catches = awaitStart.Catch as { ErrorEquals: string[]; Next: string }[];
    expect(catches.map((c) => [c.ErrorEquals, c.Next])).toEqual([
      [['RescheduledError'], 'SendChangeNotices'],
      [['States.Timeout'], 'WaitEnded'],
    ]);
    const waitEnded = asl.States.WaitEnded as {
      Choices: { StringEquals: string; Next: string }[];
      Default: string;
    };
    expect(waitEnded.Choices.map((c) => [c.StringEquals, c.Next])).toEqual([
      ['AWAIT_REMINDER', 'SendReminders'],
    ]);
    expect(waitEnded.Default).toBe('OpenCheckIn');
    const answered = asl.States.StartAnswered as {
      Choices: { Variable: string; IsPresent: boolean; Next: string }[];
      Default: string;
    };
    expect(answered.Choices).toEqual([
      { Variable: '$.startAnswer.rescheduled', IsPresent: true, Next: 'SendChangeNotices' },
    ]);
    expect(answered.Default).toBe('OpenCheckIn');
  });

  it('catches no task failure but deadlines, so a failed step can be redriven; retries transient errors', () => {
    const asl = definition();
    const tasks = Object.entries(asl.States).filter(
      // SendActivityReport runs after completion and must never fail the activity: its own
      // Catch is asserted in test/infra/activity-report.test.ts.
      ([name, state]) => state.Type === 'Task' && name !== 'SendActivityReport',
    );
    expect(tasks.map(([name]) => name).sort()).toEqual(
      [
        'SendInvitations',
        'PlanStart',
        'SendReminders',
        'SendChangeNotices',
        'AwaitStart',
        'OpenCheckIn',
        'AwaitAttendanceClose',
        'CloseAttendance',
        'AwaitFindingsClose',
        'CloseFindings',
        'Triage',
        'AwaitReview',
        'DispatchReferrals',
        'CompleteActivity',
      ].sort(),
    );
    expect(Object.values(asl.States).some((state) => state.Type === 'Fail')).toBe(false);
    for (const [name] of tasks) {
      const state = asl.States[name]!;
      const catches = (state.Catch ?? []) as { ErrorEquals: string[]; Next: string }[];
      expect(
        catches.flatMap((c) => c.ErrorEquals),
        name,
      ).not.toContain('States.ALL');
      const retries = state.Retry as { ErrorEquals: string[] }[];
      expect(retries.some((r) => r.ErrorEquals.includes('TransientError'))).toBe(true);
    }
  });

  it('records a FAILED or TIMED_OUT execution through a rule on its status change event', () => {
    const [machineId] = liandong
      .ofType('AWS::StepFunctions::StateMachine')
      .find(([id]) => id.startsWith('ActivityWorkflow'))!;
    // The failure rule (the checkpoint job has its own rule on SUCCEEDED: test/infra/checkpoints).
    const rules = liandong.ofType('AWS::Events::Rule').filter(([, rule]) => {
      const pattern = JSON.stringify(rule.Properties!.EventPattern ?? {});
      return pattern.includes(machineId) && pattern.includes('FAILED');
    });
    expect(rules).toHaveLength(1);
    const rule = rules[0]![1].Properties!;
    expect(rule.EventPattern).toEqual({
      source: ['aws.states'],
      'detail-type': ['Step Functions Execution Status Change'],
      detail: { status: ['FAILED', 'TIMED_OUT'], stateMachineArn: [{ Ref: machineId }] },
    });
    const targets = rule.Targets as { Arn: { 'Fn::GetAtt': [string, string] } }[];
    expect(targets.map((t) => t.Arn['Fn::GetAtt'][0])).toEqual([
      functionLogicalId('RecordFailureFunction'),
    ]);
    expect(actionsOf('RecordFailureFunction')).toContain('states:DescribeExecution');
    expect(actionsOf('RedriveActivityFunction')).toEqual(
      expect.arrayContaining(['states:DescribeExecution', 'states:RedriveExecution']),
    );
  });

  it('runs every human step on a stored task token, with a deadline where the phase has one', () => {
    const asl = definition();
    const deadlines: Record<string, string | undefined> = {
      AwaitStart: '$.secondsToWait',
      AwaitAttendanceClose: '$.secondsUntilAttendanceDeadline',
      AwaitFindingsClose: '$.secondsUntilFindingsDeadline',
      AwaitReview: undefined,
    };
    for (const [name, path] of Object.entries(deadlines)) {
      const state = asl.States[name]!;
      expect(state.Resource, name).toMatch(/waitForTaskToken$/);
      expect(state.TimeoutSecondsPath, name).toBe(path);
    }
  });

  it('has no Map or Parallel state: transitions do not grow with deputies or findings', () => {
    const types = Object.values(definition().States).map((state) => state.Type);
    expect(types).not.toContain('Map');
    expect(types).not.toContain('Parallel');
  });

  it('carries only ids, numbers and the task token in task payloads (no personal data)', () => {
    const asl = definition();
    const allowed = new Set([
      'activityId.$',
      'phase',
      'taskToken.$',
      'revision.$',
      'error.$',
      'FunctionName',
      'Payload',
    ]);
    const keysOf = (value: unknown): string[] =>
      value && typeof value === 'object'
        ? Object.entries(value).flatMap(([key, inner]) => [key, ...keysOf(inner)])
        : [];
    const used = Object.values(asl.States).flatMap((state) => keysOf(state.Parameters));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((key) => !allowed.has(key))).toEqual([]);
  });
});

describe('physical names', () => {
  // The properties that would fix a physical name, per resource type (CloudFormation names these).
  const nameProperties: Record<string, string> = {
    'AWS::DynamoDB::Table': 'TableName',
    'AWS::Lambda::Function': 'FunctionName',
    'AWS::StepFunctions::StateMachine': 'StateMachineName',
    'AWS::Logs::LogGroup': 'LogGroupName',
    'AWS::Cognito::UserPool': 'UserPoolName',
    'AWS::IAM::Role': 'RoleName',
    'AWS::SES::ConfigurationSet': 'Name',
  };

  it('are left to CloudFormation', () => {
    const named = Object.entries(liandong.resources).filter(([, r]) => {
      const property = nameProperties[r.Type];
      return property !== undefined && r.Properties?.[property] !== undefined;
    });
    expect(named.map(([id]) => id)).toEqual([]);
  });
});
