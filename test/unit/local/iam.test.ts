// Unit: the local IAM check reads a role's policy from the template and decides each AWS call as
// IAM would (wildcards, lists, per-item transaction actions, resources), and the SDK hook refuses
// a call before it is sent, only inside a function's scope.
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  AccessDeniedError,
  LocalIamConfigError,
  UNRESOLVED,
  checksForCall,
  decide,
  denialOf,
  localIamEnabled,
  localizeArn,
  readRolePolicy,
  type FunctionPolicy,
  type PolicyStatement,
} from '../../../infra/local/iam';
import { installIamHook, runAs } from '../../../infra/local/iam-hook';
import { mintToken } from '../../../infra/local/stepfunctions/tokens';
import { Resolver, TemplateError, type CfnTemplate } from '../../../infra/local/template';

const region = 'ap-east-1';
const ctx = { region };
const TABLE = 'arn:aws:dynamodb:ap-east-1:000000000000:table/Data';

function policyOf(...statements: Omit<PolicyStatement, 'conditional' | 'source'>[]) {
  return {
    roleLogicalId: 'Role',
    roleArn: 'arn:aws:iam::000000000000:role/Role',
    roleName: 'Role',
    statements: statements.map((s, i) => ({ conditional: false, source: `s${i}`, ...s })),
  } satisfies FunctionPolicy;
}

const allow = (actions: string[], resources: (string | typeof UNRESOLVED)[]) =>
  ({ effect: 'Allow', actions, resources }) as const;

const ddb = (op: string, input: Record<string, unknown>) =>
  checksForCall('DynamoDBClient', op, input, ctx);

describe('policy evaluation', () => {
  it('matches action wildcards case-insensitively: dynamodb:*, ses:Send*, ?', () => {
    const p = policyOf(
      allow(['dynamodb:*'], [TABLE]),
      allow(['ses:Send*'], ['*']),
      allow(['states:SendTask????ure'], ['*']),
    );
    expect(decide(p, { action: 'dynamodb:BatchGetItem', resource: [TABLE] })).toBe('allow');
    expect(decide(p, { action: 'DynamoDB:getitem', resource: [TABLE] })).toBe('allow');
    expect(decide(p, { action: 'ses:SendRawEmail', resource: ['arn:x'] })).toBe('allow');
    expect(decide(p, { action: 'ses:GetSendQuota', resource: ['*'] })).toBe('implicit-deny');
    expect(decide(p, { action: 'states:SendTaskFailure', resource: ['*'] })).toBe('allow');
    expect(decide(p, { action: 'states:SendTaskSuccess', resource: ['*'] })).toBe('implicit-deny');
  });

  it('needs both the action and the resource in one statement, from lists of each', () => {
    const p = policyOf(
      allow(['dynamodb:GetItem', 'dynamodb:Query'], [TABLE, `${TABLE}/index/*`]),
      allow(['dynamodb:PutItem'], ['arn:aws:dynamodb:ap-east-1:000000000000:table/Other']),
    );
    expect(denialOf(p, 'Fn', ddb('Query', { TableName: 'Data', IndexName: 'listing' }))).toBe(
      undefined,
    );
    expect(denialOf(p, 'Fn', ddb('GetItem', { TableName: 'Data' }))).toBe(undefined);
    // PutItem is granted, but on another table.
    const denied = denialOf(p, 'Fn', ddb('PutItem', { TableName: 'Data' }));
    expect(denied).toBeInstanceOf(AccessDeniedError);
    expect(denied?.name).toBe('AccessDeniedException');
    expect(denied?.message).toBe(
      'User: arn:aws:sts::000000000000:assumed-role/Role/Fn is not authorized to perform: ' +
        `dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the ` +
        'dynamodb:PutItem action',
    );
  });

  it('tells a table from its indexes: a grant on the table alone does not cover an index', () => {
    const p = policyOf(allow(['dynamodb:Query'], [TABLE]));
    expect(denialOf(p, 'Fn', ddb('Query', { TableName: 'Data' }))).toBe(undefined);
    expect(
      denialOf(p, 'Fn', ddb('Query', { TableName: 'Data', IndexName: 'listing' }))?.check,
    ).toEqual({ action: 'dynamodb:Query', resource: [`${TABLE}/index/listing`] });
  });

  it('checks BatchGetItem per table, not as GetItem', () => {
    const p = policyOf(allow(['dynamodb:GetItem', 'dynamodb:Query'], [TABLE]));
    const denied = denialOf(p, 'Fn', ddb('BatchGetItem', { RequestItems: { Data: { Keys: [] } } }));
    expect(denied?.check).toEqual({ action: 'dynamodb:BatchGetItem', resource: [TABLE] });
  });

  it('checks each item of a transaction by its own action', () => {
    const items = [
      { Put: { TableName: 'Data' } },
      { Update: { TableName: 'Data' } },
      { ConditionCheck: { TableName: 'Data' } },
      { Delete: { TableName: 'Data' } },
    ];
    expect(ddb('TransactWriteItems', { TransactItems: items }).map((c) => c.action)).toEqual([
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DeleteItem',
    ]);
    const writer = policyOf(
      allow(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem'], [TABLE]),
    );
    expect(
      denialOf(writer, 'Fn', ddb('TransactWriteItems', { TransactItems: items }))?.check,
    ).toEqual({ action: 'dynamodb:DeleteItem', resource: [TABLE] });
    expect(
      denialOf(writer, 'Fn', ddb('TransactWriteItems', { TransactItems: items.slice(0, 3) })),
    ).toBe(undefined);
    expect(ddb('TransactGetItems', { TransactItems: [{ Get: { TableName: 'Data' } }] })).toEqual([
      { action: 'dynamodb:GetItem', resource: [TABLE] },
    ]);
  });

  it('lets an explicit Deny win, honours NotAction, and never denies on an unresolved resource', () => {
    const p = policyOf(allow(['dynamodb:*'], ['*']), {
      effect: 'Deny',
      actions: ['dynamodb:DeleteItem'],
      resources: [TABLE],
    });
    const denied = denialOf(p, 'Fn', ddb('DeleteItem', { TableName: 'Data' }));
    expect(denied?.message).toContain('with an explicit deny in an identity-based policy');
    expect(decide(p, { action: 'dynamodb:DeleteItem', resource: [`${TABLE}x`] })).toBe('allow');

    const notAction = policyOf({
      effect: 'Allow',
      notActions: ['dynamodb:Delete*'],
      resources: ['*'],
    });
    expect(decide(notAction, { action: 'dynamodb:PutItem', resource: [TABLE] })).toBe('allow');
    expect(decide(notAction, { action: 'dynamodb:DeleteItem', resource: [TABLE] })).toBe(
      'implicit-deny',
    );

    const unresolved = policyOf(allow(['sqs:SendMessage'], [UNRESOLVED]), {
      effect: 'Deny',
      actions: ['sqs:*'],
      resources: [UNRESOLVED],
    });
    expect(decide(unresolved, { action: 'sqs:SendMessage', resource: ['arn:q'] })).toBe('allow');
    expect(decide(unresolved, { action: 'sqs:DeleteQueue', resource: ['arn:q'] })).toBe(
      'implicit-deny',
    );
  });

  it("authorizes a task token's callback on its state machine, by local or generated name", () => {
    const machine = 'arn:aws:states:ap-east-1:000000000000:stateMachine:Referral';
    const token = mintToken('arn:aws:states:ap-east-1:000000000000:execution:Referral:run-1');
    const byPattern = policyOf(allow(['states:SendTaskSuccess'], [`${machine}-*`]));
    const byArn = policyOf(allow(['states:SendTaskSuccess'], [machine]));
    const other = policyOf(allow(['states:SendTaskSuccess'], [`${machine}Two-*`]));
    const checks = checksForCall('SFNClient', 'SendTaskSuccess', { taskToken: token }, ctx);
    expect(denialOf(byPattern, 'Fn', checks)).toBe(undefined);
    expect(denialOf(byArn, 'Fn', checks)).toBe(undefined);
    expect(denialOf(other, 'Fn', checks)?.check.action).toBe('states:SendTaskSuccess');
  });

  it('checks StartExecution on the machine and DescribeExecution on the execution', () => {
    const p = policyOf(
      allow(['states:StartExecution'], ['arn:aws:states:ap-east-1:000000000000:stateMachine:A']),
      allow(['states:DescribeExecution'], ['arn:aws:states:ap-east-1:000000000000:execution:A:*']),
    );
    const sfn = (op: string, input: Record<string, unknown>) =>
      denialOf(p, 'Fn', checksForCall('SFNClient', op, input, ctx))?.check.action;
    const arnOf = (kind: string, name: string) =>
      `arn:aws:states:ap-east-1:000000000000:${kind}:${name}`;
    expect(sfn('StartExecution', { stateMachineArn: arnOf('stateMachine', 'A') })).toBe(undefined);
    expect(sfn('StartExecution', { stateMachineArn: arnOf('stateMachine', 'B') })).toBe(
      'states:StartExecution',
    );
    expect(sfn('DescribeExecution', { executionArn: arnOf('execution', 'A:x') })).toBe(undefined);
    expect(sfn('DescribeExecution', { executionArn: arnOf('execution', 'B:x') })).toBe(
      'states:DescribeExecution',
    );
  });

  it('checks SendEmail on the sender identity (address or domain) and the configuration set', () => {
    const ses = 'arn:aws:ses:ap-east-1:000000000000';
    const p = policyOf(
      allow(['ses:SendEmail'], [`${ses}:identity/example.org`, `${ses}:configuration-set/Mail`]),
    );
    const send = (input: Record<string, unknown>) =>
      denialOf(p, 'Fn', checksForCall('SESClient', 'SendEmail', input, ctx))?.check.resource;
    expect(send({ Source: '"联动" <noreply@example.org>', ConfigurationSetName: 'Mail' })).toBe(
      undefined,
    );
    expect(send({ Source: 'noreply@example.org', ConfigurationSetName: 'Other' })).toEqual([
      `${ses}:configuration-set/Other`,
    ]);
    expect(send({ Source: 'noreply@example.com' })).toEqual([
      `${ses}:identity/noreply@example.com`,
      `${ses}:identity/example.com`,
    ]);
  });

  it('checks SendRawEmail as its own action: a SendEmail grant does not cover it', () => {
    const ses = 'arn:aws:ses:ap-east-1:000000000000';
    const resources = [`${ses}:identity/example.org`, `${ses}:configuration-set/Mail`];
    const input = { Source: 'noreply@example.org', ConfigurationSetName: 'Mail' };
    const checks = checksForCall('SESClient', 'SendRawEmail', input, ctx);
    expect(checks.map((c) => c.action)).toEqual(['ses:SendRawEmail', 'ses:SendRawEmail']);
    expect(denialOf(policyOf(allow(['ses:SendEmail'], resources)), 'Fn', checks)).toBeDefined();
    expect(
      denialOf(policyOf(allow(['ses:SendEmail', 'ses:SendRawEmail'], resources)), 'Fn', checks),
    ).toBeUndefined();
  });

  it('checks a secret named by name on its full ARN', () => {
    expect(
      checksForCall('SecretsManagerClient', 'GetSecretValue', { SecretId: 'Key' }, ctx),
    ).toEqual([
      {
        action: 'secretsmanager:GetSecretValue',
        resource: ['arn:aws:secretsmanager:ap-east-1:000000000000:secret:Key-local0'],
      },
    ]);
    expect(checksForCall('LambdaClient', 'Invoke', { FunctionName: 'F' }, ctx)).toEqual([
      {
        action: 'lambda:InvokeFunction',
        resource: ['arn:aws:lambda:ap-east-1:000000000000:function:F'],
      },
    ]);
  });

  it('refuses to guess the service of an unknown client', () => {
    expect(() => checksForCall('MysteryClient', 'Do', {}, ctx)).toThrow(LocalIamConfigError);
  });

  it('reads the synthesized region and account as the local ones, wildcards kept', () => {
    expect(localizeArn('arn:aws:ses:us-east-1:123456789012:identity/x', region)).toBe(
      'arn:aws:ses:ap-east-1:000000000000:identity/x',
    );
    expect(localizeArn('arn:aws:ses:*:*:identity/x', region)).toBe('arn:aws:ses:*:*:identity/x');
    expect(localizeArn('arn:aws:iam::aws:policy/P', region)).toBe('arn:aws:iam::aws:policy/P');
  });

  it('is on unless LIANDONG_LOCAL_IAM=off', () => {
    expect(localIamEnabled({})).toBe(true);
    expect(localIamEnabled({ LIANDONG_LOCAL_IAM: 'on' })).toBe(true);
    expect(localIamEnabled({ LIANDONG_LOCAL_IAM: 'off' })).toBe(false);
    expect(() => localIamEnabled({ LIANDONG_LOCAL_IAM: 'no' })).toThrow(LocalIamConfigError);
  });
});

describe('readRolePolicy', () => {
  const role = (managed: unknown[] = []) => ({
    Type: 'AWS::IAM::Role',
    Properties: { ManagedPolicyArns: managed },
  });
  const basic = {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ],
    ],
  };
  const template: CfnTemplate = {
    Resources: {
      Data: { Type: 'AWS::DynamoDB::Table', Properties: {} },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
      FnRole: role([basic]),
      OtherRole: role(),
      FnPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'FnRole' }],
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['dynamodb:GetItem'],
                Resource: [
                  { 'Fn::GetAtt': ['Data', 'Arn'] },
                  { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Data', 'Arn'] }, '/index/*']] },
                ],
              },
              {
                Effect: 'Allow',
                Action: 'ses:SendEmail',
                Resource: {
                  'Fn::Join': [
                    '',
                    ['arn:aws:ses:us-east-1:', { Ref: 'AWS::AccountId' }, ':identity/x'],
                  ],
                },
              },
              {
                Effect: 'Allow',
                Action: 'sqs:SendMessage',
                Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] },
              },
            ],
          },
        },
      },
      OtherPolicy: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          Roles: [{ Ref: 'OtherRole' }],
          PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] },
        },
      },
    },
  };
  const r = new Resolver(template, { region, issuerUrl: 'http://x' });

  it("reads the role's own statements and managed policies, resolving what it can", () => {
    const p = readRolePolicy(r, 'FnRole', region);
    expect(p.statements.map((s) => [s.effect, s.actions, s.resources])).toEqual([
      ['Allow', ['dynamodb:GetItem'], [TABLE, `${TABLE}/index/*`]],
      ['Allow', ['ses:SendEmail'], ['arn:aws:ses:ap-east-1:000000000000:identity/x']],
      // An SQS queue's Arn is not resolved locally: matched on the action only.
      ['Allow', ['sqs:SendMessage'], [UNRESOLVED]],
      ['Allow', ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], ['*']],
    ]);
    // OtherPolicy's dynamodb:* belongs to another role.
    expect(decide(p, { action: 'dynamodb:PutItem', resource: [TABLE] })).toBe('implicit-deny');
  });

  it('fails loudly on a managed policy whose statements it does not know', () => {
    const t: CfnTemplate = {
      Resources: { R: role(['arn:aws:iam::aws:policy/AdministratorAccess']) },
    };
    expect(() => readRolePolicy(new Resolver(t, { region, issuerUrl: 'x' }), 'R', region)).toThrow(
      TemplateError,
    );
  });
});

describe('the SDK hook', () => {
  installIamHook();
  // Nothing listens on port 9: a call that gets past the check fails on the connection.
  const client = new DynamoDBClient({
    endpoint: 'http://127.0.0.1:9',
    region,
    credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    maxAttempts: 1,
  });
  const doc = DynamoDBDocumentClient.from(client);
  const denials: AccessDeniedError[] = [];
  const scope = {
    functionName: 'Fn',
    region,
    policy: policyOf(allow(['dynamodb:GetItem', 'dynamodb:PutItem'], [TABLE])),
    onDenied: (e: AccessDeniedError) => denials.push(e),
  };
  const get = () => client.send(new GetItemCommand({ TableName: 'Data', Key: {} }));
  const transact = () =>
    doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'Data', Item: { pk: 'a' } } },
          { Delete: { TableName: 'Data', Key: { pk: 'b' } } },
        ],
      }),
    );

  it('refuses a call its policy does not allow before sending it, in the function scope only', async () => {
    await expect(runAs(scope, transact)).rejects.toMatchObject({
      name: 'AccessDeniedException',
      check: { action: 'dynamodb:DeleteItem', resource: [TABLE] },
    });
    expect(denials).toHaveLength(1);
    // Allowed, and outside any function: both reach the network (and fail on it).
    await expect(runAs(scope, get)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(transact()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(denials).toHaveLength(1);
  });

  it('keeps the scope across awaits and tells concurrent functions apart', async () => {
    const stranger = { ...scope, functionName: 'Stranger', policy: policyOf() };
    const results = await Promise.allSettled([
      runAs(stranger, async () => {
        await new Promise((r) => setTimeout(r, 5));
        return get();
      }),
      runAs(scope, get),
    ]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'ok'))).toEqual(
      ['AccessDeniedException', 'Error'],
    );
  });
});
