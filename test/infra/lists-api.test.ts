// Infra test: the organisers' lists (issue 15) may only Query the indexes they read.
import { beforeAll, describe, expect, it } from 'vitest';
import { functionStatements, ofType as ofTypeIn, synthLiandong } from '../support/stack';
import type { Resources, Statement } from '../support/stack';

let resources: Resources;

beforeAll(() => {
  ({ resources } = synthLiandong());
});

const ofType = (type: string) => ofTypeIn(resources, type);

/** Every statement of the policies on the role of the function whose logical id has `name`. */
const statementsOf = (name: string): Statement[] => functionStatements(resources, name);

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

describe('the HTTP API’s integrations', () => {
  it('has one integration per function, however many routes it serves (the 500-resource limit)', () => {
    const uris = ofType('AWS::ApiGatewayV2::Integration').map(([, integration]) =>
      JSON.stringify(integration.Properties!.IntegrationUri),
    );
    expect(new Set(uris).size).toBe(uris.length);
    // The reference reads are one function behind eight routes.
    const routes = ofType('AWS::ApiGatewayV2::Route').length;
    expect(uris.length).toBeLessThan(routes);
    expect(Object.keys(resources).length).toBeLessThanOrEqual(500);
  });
});
