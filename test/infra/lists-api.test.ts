// Infra test: the organisers' lists (issue 15) may only Query the indexes they read.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LiandongStack } from '../../infra/liandong-stack';

type Resource = { Type: string; Properties?: Record<string, unknown> };
type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

let resources: Record<string, Resource>;

beforeAll(() => {
  const app = new App({
    context: {
      'aws:cdk:bundling-stacks': [],
      'liandong:senderEmail': 'noreply@liandong.example.org',
      'liandong:organiserAlertEmail': 'office@liandong.example.org',
    },
  });
  const stack = new LiandongStack(app, 'Liandong', {
    env: { account: '111122223333', region: 'ap-east-1' },
  });
  resources = Template.fromStack(stack).toJSON().Resources as Record<string, Resource>;
});

const ofType = (type: string) =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** Every statement of the policies on the role of the function whose logical id has `name`. */
const statementsOf = (name: string): Statement[] => {
  const [, fn] = ofType('AWS::Lambda::Function').find(([id]) => id.includes(name)) ?? [];
  if (!fn) throw new Error(`no function ${name}`);
  const role = (fn.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties!.Roles as { Ref: string }[]).some((ref) => ref.Ref === role),
    )
    .flatMap(
      ([, policy]) => (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement,
    );
};

const routeTargets = (routeKey: string) =>
  ofType('AWS::ApiGatewayV2::Route').filter(([, route]) => route.Properties!.RouteKey === routeKey);

describe('the organisers’ lists', () => {
  it.each([
    ['GET /activities', 'ListActivitiesFunction'],
    ['GET /referrals', 'ListReferralsFunction'],
  ])('%s only Queries the listing and ownership indexes, never the table', (routeKey, name) => {
    const statements = statementsOf(name);
    const dynamo = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('dynamodb:')),
    );
    expect(dynamo).toHaveLength(1);
    expect(dynamo[0]!.Action).toBe('dynamodb:Query');
    const targets = JSON.stringify(dynamo[0]!.Resource);
    expect(targets).toContain('/index/listing');
    expect(targets).toContain('/index/ownership');
    // Every resource is an index: no statement reaches the table's items.
    const arns = [dynamo[0]!.Resource].flat();
    expect(arns).toHaveLength(2);
    for (const arn of arns) expect(JSON.stringify(arn)).toMatch(/\/index\/(listing|ownership)"/);
    // Nothing but reads and its own tracing: no write of any service, no secret, no workflow.
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions.filter((action) => !/^(dynamodb:Query|xray:)/.test(action))).toEqual([]);
    expect(routeTargets(routeKey)).toHaveLength(1);
    expect(routeTargets(routeKey)[0]![1].Properties!.AuthorizationType).toBe('JWT');
  });
});
