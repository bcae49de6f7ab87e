// Unit: the template reader resolves CDK's intrinsics to local names and ARNs.
import { describe, expect, it } from 'vitest';
import {
  Resolver,
  TemplateError,
  UnsupportedIntrinsicError,
  parseTemplate,
  type CfnTemplate,
} from '../../../infra/local/template';
import { fixtureTemplate } from './fixtures/template';

const ctx = {
  region: 'ap-east-1',
  issuerUrl: 'http://127.0.0.1:3000/_local/issuer',
  cdkOut: '/repo/cdk.out',
};

describe('Resolver', () => {
  const r = new Resolver(fixtureTemplate(), ctx);

  it('resolves pseudo parameters in Fn::Sub, with ${!Literal} kept literal', () => {
    expect(
      r.resolve(
        {
          'Fn::Sub':
            'arn:${AWS::Partition}:x:${AWS::Region}:${AWS::AccountId}:${AWS::URLSuffix}/${!Keep}',
        },
        'test',
      ),
    ).toBe('arn:aws:x:ap-east-1:000000000000:amazonaws.com/${Keep}');
  });

  it('resolves Fn::Sub variables, resource refs and attributes', () => {
    expect(
      r.resolve(
        {
          'Fn::Sub': [
            '${Fn}|${ActivityStateMachine1234}|${Table7ABB2B3B.Arn}',
            { Fn: { Ref: 'CreateActivityFunction8E1B2C3D' } },
          ],
        },
        'test',
      ),
    ).toBe(
      'CreateActivityFunction8E1B2C3D|arn:aws:states:ap-east-1:000000000000:stateMachine:ActivityStateMachine1234|' +
        'arn:aws:dynamodb:ap-east-1:000000000000:table/Table7ABB2B3B',
    );
  });

  it('resolves Fn::Select over Fn::Split', () => {
    expect(r.resolve({ 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'test')).toBe('b');
  });

  it('drops AWS::NoValue from objects and lists', () => {
    expect(
      r.resolve({ a: { Ref: 'AWS::NoValue' }, b: [1, { Ref: 'AWS::NoValue' }] }, 'test'),
    ).toEqual({
      b: [1],
    });
  });

  it('uses a parameter default for Ref of a parameter', () => {
    expect(r.resolve({ Ref: 'BootstrapVersion' }, 'test')).toBe('/cdk-bootstrap/hnb659fds/version');
  });

  it('names the unsupported intrinsic and where it was found', () => {
    expect(() => r.resolve({ 'Fn::ImportValue': 'Other' }, 'Resources.X.Properties.Y')).toThrow(
      /unsupported intrinsic Fn::ImportValue at Resources\.X\.Properties\.Y/,
    );
    expect(() => r.resolve({ 'Fn::GetAtt': ['ConfigSet', 'Arn'] }, 'here')).toThrow(
      UnsupportedIntrinsicError,
    );
  });

  it('fails clearly on a Ref to an unknown resource', () => {
    expect(() => r.resolve({ Ref: 'Nope' }, 'here')).toThrow(TemplateError);
  });
});

describe('parseTemplate', () => {
  const t = parseTemplate(fixtureTemplate(), ctx);

  it('reads tables with keys, GSIs, billing mode and TTL; the name is the logical id', () => {
    expect(t.tables).toHaveLength(1);
    const table = t.tables[0]!;
    expect(table.name).toBe('Table7ABB2B3B');
    expect(table.billingMode).toBe('PAY_PER_REQUEST');
    expect(table.provisionedThroughput).toBeUndefined();
    expect(table.keySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table.globalSecondaryIndexes.map((i) => i.IndexName)).toEqual(['listing']);
    expect(table.ttlAttribute).toBe('expiresAt');
  });

  it('reads functions with resolved environment, asset folder, timeout, memory and log group', () => {
    const fn = t.functions.find((f) => f.logicalId === 'CreateActivityFunction8E1B2C3D')!;
    expect(fn.arn).toBe(
      'arn:aws:lambda:ap-east-1:000000000000:function:CreateActivityFunction8E1B2C3D',
    );
    expect(fn.environment).toEqual({
      TABLE_NAME: 'Table7ABB2B3B',
      ACTIVITY_STATE_MACHINE_ARN:
        'arn:aws:states:ap-east-1:000000000000:stateMachine:ActivityStateMachine1234',
      TABLE_ARN: 'arn:aws:dynamodb:ap-east-1:000000000000:table/Table7ABB2B3B',
      NODE_OPTIONS: '--enable-source-maps',
    });
    expect(fn.assetDir).toBe('/repo/cdk.out/asset.abc');
    expect(fn.timeoutSeconds).toBe(10);
    expect(fn.memoryMb).toBe(512);
    expect(fn.logGroupName).toBe('CreateActivityFunctionLogGroup');
    const other = t.functions.find((f) => f.logicalId === 'SendInvitationsFunctionAAAA')!;
    expect(other.timeoutSeconds).toBe(3);
    expect(other.logGroupName).toBe('/aws/lambda/SendInvitationsFunctionAAAA');
  });

  it('parses the state machine definition with function ARNs resolved', () => {
    const sm = t.stateMachines[0]!;
    expect(sm.arn).toBe(
      'arn:aws:states:ap-east-1:000000000000:stateMachine:ActivityStateMachine1234',
    );
    expect(sm.roleArn).toBe('arn:aws:iam::000000000000:role/ActivityStateMachineRole');
    expect(sm.definition).toMatchObject({
      StartAt: 'SendInvitations',
      States: {
        SendInvitations: {
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: {
            FunctionName:
              'arn:aws:lambda:ap-east-1:000000000000:function:SendInvitationsFunctionAAAA',
          },
        },
      },
    });
  });

  it('reads the HTTP API: routes, integrations, the authorizer on the local issuer, throttling', () => {
    const api = t.httpApis[0]!;
    expect(api.throttling).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(api.stageName).toBe('$default');
    const post = api.routes.find((r) => r.routeKey === 'POST /activities')!;
    expect(post.functionArn).toMatch(/:function:CreateActivityFunction8E1B2C3D$/);
    expect(post.authorizationType).toBe('JWT');
    expect(post.authorizer).toMatchObject({
      issuer: 'http://127.0.0.1:3000/_local/issuer',
      audience: ['liandong-local-client'],
      identitySource: ['$request.header.Authorization'],
    });
    const open = api.routes.find((r) => r.routeKey === 'GET /r/{token}')!;
    expect(open.authorizationType).toBe('NONE');
    expect(open.authorizer).toBeUndefined();
  });

  it('refuses a JWT issuer that is not one of the template user pools', () => {
    const tpl = fixtureTemplate();
    const auth = tpl.Resources!.HttpApiAuthorizer!.Properties!;
    auth.JwtConfiguration = { Audience: ['x'], Issuer: 'https://login.example.org' };
    expect(() => parseTemplate(tpl, ctx)).toThrow(/not a user pool of this template/);
  });

  it('applies DefinitionSubstitutions', () => {
    const tpl: CfnTemplate = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: {}, Metadata: { 'aws:asset:path': 'a' } },
        Sm: {
          Type: 'AWS::StepFunctions::StateMachine',
          Properties: {
            DefinitionString:
              '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${fn}","End":true}}}',
            DefinitionSubstitutions: { fn: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
            RoleArn: 'arn:aws:iam::000000000000:role/x',
          },
        },
      },
    };
    const sm = parseTemplate(tpl, ctx).stateMachines[0]!;
    expect(sm.definition).toMatchObject({
      States: { A: { Resource: 'arn:aws:lambda:ap-east-1:000000000000:function:Fn' } },
    });
  });
});
