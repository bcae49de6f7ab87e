// A small synthesized app (template + bundles) in the shapes `cdk synth` emits, for testing the
// local cloud itself independently of the project's stack.
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { itemsTableProperties } from '../../support/table';

const API_FUNCTION = `
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
const table = process.env.TABLE_NAME;
if (!table) throw new Error('TABLE_NAME missing');
const ddb = new DynamoDBClient({});
export const handler = async (event, context) => {
  if (event.routeKey === 'GET /public/{proxy+}') return { proxy: event.pathParameters.proxy };
  if (event.routeKey === 'GET /boom') throw new Error('boom');
  if (event.routeKey === 'GET /items/{id}') {
    // Its role grants PutItem only: the local IAM check refuses this call.
    const out = await ddb.send(new GetItemCommand({
      TableName: table,
      Key: { pk: { S: 'ITEM#' + event.pathParameters.id }, sk: { S: 'ITEM' } },
    }));
    return { item: out.Item ?? null };
  }
  const id = JSON.parse(event.body).id;
  await ddb.send(new PutItemCommand({
    TableName: table,
    Item: { pk: { S: 'ITEM#' + id }, sk: { S: 'ITEM' }, by: { S: event.requestContext.authorizer.jwt.claims.sub } },
  }));
  return {
    statusCode: 201,
    headers: { 'Content-Type': 'application/json' },
    cookies: ['seen=1; Path=/'],
    body: JSON.stringify({ event, functionName: context.functionName }),
  };
};`;

const MAIL_FUNCTION = `
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
const ses = new SESClient({});
export const handler = async (event) => {
  if (event.fail) { const e = new Error('not now'); e.name = 'TransientError'; throw e; }
  const out = await ses.send(new SendEmailCommand({
    Source: process.env.SENDER_EMAIL,
    Destination: { ToAddresses: [event.to] },
    Message: { Subject: { Data: event.subject, Charset: 'UTF-8' }, Body: { Text: { Data: '您好' } } },
  }));
  return { messageId: out.MessageId };
};`;

const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });
const api = 'HttpApi1234';

function fn(asset: string, env: Record<string, unknown>, role: string) {
  return {
    Type: 'AWS::Lambda::Function',
    Properties: {
      Role: arnOf(role),
      Code: {
        S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' },
        S3Key: `${asset}.zip`,
      },
      Environment: { Variables: env },
      Handler: 'index.handler',
      MemorySize: 256,
      Runtime: 'nodejs22.x',
      Timeout: 10,
    },
    Metadata: { 'aws:asset:path': `asset.${asset}`, 'aws:asset:is-bundled': true },
  };
}

function route(id: string, routeKey: string, jwt: boolean) {
  return {
    [`${id}Integration`]: {
      Type: 'AWS::ApiGatewayV2::Integration',
      Properties: {
        ApiId: ref(api),
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: arnOf('ApiFunction'),
        PayloadFormatVersion: '2.0',
      },
    },
    [`${id}Route`]: {
      Type: 'AWS::ApiGatewayV2::Route',
      Properties: {
        ApiId: ref(api),
        RouteKey: routeKey,
        AuthorizationType: jwt ? 'JWT' : 'NONE',
        ...(jwt ? { AuthorizerId: ref('Authorizer') } : {}),
        Target: { 'Fn::Join': ['', ['integrations/', ref(`${id}Integration`)]] },
      },
    },
  };
}

function lambdaRole() {
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
          },
        ],
        Version: '2012-10-17',
      },
      ManagedPolicyArns: [
        {
          'Fn::Join': [
            '',
            [
              'arn:',
              ref('AWS::Partition'),
              ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
            ],
          ],
        },
      ],
    },
  };
}

function policy(role: string, statement: Record<string, unknown>) {
  return {
    Type: 'AWS::IAM::Policy',
    Properties: {
      PolicyDocument: { Statement: [statement], Version: '2012-10-17' },
      PolicyName: `${role}Policy`,
      Roles: [ref(role)],
    },
  };
}

export const fixtureTemplate = {
  Resources: {
    Items: { Type: 'AWS::DynamoDB::Table', Properties: itemsTableProperties() },
    UserPool: { Type: 'AWS::Cognito::UserPool', Properties: {} },
    UserPoolClient: {
      Type: 'AWS::Cognito::UserPoolClient',
      Properties: { UserPoolId: ref('UserPool') },
    },
    ApiFunction: fn('api', { TABLE_NAME: ref('Items') }, 'ApiFunctionRole'),
    MailFunction: fn('mail', { SENDER_EMAIL: 'noreply@liandong.example.org' }, 'MailFunctionRole'),
    ApiFunctionRole: lambdaRole(),
    ApiFunctionPolicy: policy('ApiFunctionRole', {
      Effect: 'Allow',
      Action: 'dynamodb:PutItem',
      Resource: arnOf('Items'),
    }),
    MailFunctionRole: lambdaRole(),
    MailFunctionPolicy: policy('MailFunctionRole', {
      Effect: 'Allow',
      Action: ['ses:Send*'],
      Resource: {
        'Fn::Sub':
          'arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/liandong.example.org',
      },
    }),
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    Machine: {
      Type: 'AWS::StepFunctions::StateMachine',
      Properties: {
        RoleArn: arnOf('Role'),
        DefinitionString: {
          'Fn::Join': [
            '',
            [
              '{"StartAt":"Send","States":{"Send":{"Type":"Task","Resource":"arn:',
              ref('AWS::Partition'),
              ':states:::lambda:invoke","Parameters":{"FunctionName":"',
              arnOf('MailFunction'),
              '","Payload.$":"$"},"OutputPath":"$.Payload","Catch":[{"ErrorEquals":["TransientError"],"Next":"Caught"}],"End":true},',
              '"Caught":{"Type":"Pass","Result":"caught","End":true}}}',
            ],
          ],
        },
      },
    },
    [api]: {
      Type: 'AWS::ApiGatewayV2::Api',
      Properties: { Name: 'HttpApi', ProtocolType: 'HTTP' },
    },
    Stage: {
      Type: 'AWS::ApiGatewayV2::Stage',
      Properties: {
        ApiId: ref(api),
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingBurstLimit: 1000, ThrottlingRateLimit: 1000 },
      },
    },
    Authorizer: {
      Type: 'AWS::ApiGatewayV2::Authorizer',
      Properties: {
        ApiId: ref(api),
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [ref('UserPoolClient')],
          Issuer: {
            'Fn::Join': [
              '',
              ['https://cognito-idp.', ref('AWS::Region'), '.amazonaws.com/', ref('UserPool')],
            ],
          },
        },
        Name: 'UserPoolAuthorizer',
      },
    },
    ...route('PostItems', 'POST /items', true),
    ...route('Public', 'GET /public/{proxy+}', false),
    ...route('Boom', 'GET /boom', false),
    ...route('GetItem', 'GET /items/{id}', false),
  },
};

export interface FixtureApp {
  root: string;
  cdkOut: string;
  remove(): void;
}

/** Writes the fixture under .local (inside the repo, so bundles resolve node_modules). */
export function writeFixtureApp(): FixtureApp {
  const root = resolve('.local', 'test-fixtures', randomUUID());
  const cdkOut = join(root, 'cdk.out');
  for (const [asset, code] of [
    ['api', API_FUNCTION],
    ['mail', MAIL_FUNCTION],
  ] as const) {
    mkdirSync(join(cdkOut, `asset.${asset}`), { recursive: true });
    writeFileSync(join(cdkOut, `asset.${asset}`, 'index.mjs'), code);
  }
  writeFileSync(join(cdkOut, 'Liandong.template.json'), JSON.stringify(fixtureTemplate, null, 1));
  return { root, cdkOut, remove: () => rmSync(root, { recursive: true, force: true }) };
}
