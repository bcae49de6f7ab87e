// Infra test (CDK assertions on the synthesized stack, no AWS, no local engines): what cdk-nag
// AwsSolutions does not check on HTTP APIs and elsewhere. The route inventory is the template's
// and docs/openapi.json's, never a hand list of every route: a new route must appear in both, and
// only the listed public page families may go without the JWT authorizer. Prints one summary
// line of the figures docs/reliability.md quotes.
import { readFileSync } from 'node:fs';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesizeBeforeAll } from '../support/stack';
import type { Resource, Statement } from '../support/stack';

const liandong = synthesizeBeforeAll({ context: { 'liandong:logRetentionDays': 90 }, nag: true });

/**
 * The public pages: opened from an emailed link or a printed QR code by people without an
 * account; the signed link or code in the path is their credential (checked by the function).
 * The issue names "the two public pages" (response and rating); the QR check-in page, added
 * by issue 3, is the third family and public for the same reason.
 */
const PUBLIC_ROUTE_FAMILIES: Record<string, { routes: string[]; reason: string }> = {
  respond: {
    routes: ['GET /respond/{token}', 'POST /respond/{token}'],
    reason: 'department response page: the signed, expiring link is the credential',
  },
  rate: {
    routes: ['GET /rate/{token}', 'POST /rate/{token}'],
    reason: 'rating page of the person who raised the problem: the signed link is the credential',
  },
  'check-in': {
    routes: ['GET /check-in/{code}', 'POST /check-in/{code}'],
    reason:
      'QR check-in page: the signed, time-limited code proves presence; the one-tap POST takes identity from the signed personal-link cookie',
  },
  deputy: {
    routes: ['GET /deputy/{token}', 'POST /deputy/{token}'],
    reason: "deputy's page of one activity: the signed, expiring personal link is the credential",
  },
  'my-activities': {
    routes: ['GET /my-activities', 'POST /my-activities', 'GET /my-activities/{token}'],
    reason:
      'a deputy asks for a home link by email (same answer for every address, rate-limited); the signed home link is the credential',
  },
};
const PUBLIC_ROUTES = Object.values(PUBLIC_ROUTE_FAMILIES).flatMap((family) => family.routes);

/**
 * Actions allowed on Resource "*", each because the service has no resource-level permission
 * for it (AWS Service Authorization Reference). Anything else must name its resources.
 */
const STAR_RESOURCE_ALLOWED: Record<string, string> = {
  'xray:PutTraceSegments': 'X-Ray: no resource-level permissions',
  'xray:PutTelemetryRecords': 'X-Ray: no resource-level permissions',
  'xray:GetSamplingRules': 'X-Ray: no resource-level permissions',
  'xray:GetSamplingTargets': 'X-Ray: no resource-level permissions',
  'logs:CreateLogDelivery': 'vended log delivery of Step Functions: resource "*" only',
  'logs:GetLogDelivery': 'vended log delivery of Step Functions: resource "*" only',
  'logs:UpdateLogDelivery': 'vended log delivery of Step Functions: resource "*" only',
  'logs:DeleteLogDelivery': 'vended log delivery of Step Functions: resource "*" only',
  'logs:ListLogDeliveries': 'vended log delivery of Step Functions: resource "*" only',
  'logs:PutResourcePolicy': 'vended log delivery of Step Functions: resource "*" only',
  'logs:DescribeResourcePolicies': 'vended log delivery of Step Functions: resource "*" only',
  'logs:DescribeLogGroups': 'vended log delivery of Step Functions: resource "*" only',
};

const figures = {
  routes: 0,
  jwtRoutes: 0,
  publicRoutes: 0,
  statements: 0,
  starStatements: 0,
  stateMachines: 0,
  nagFindings: 0,
};

describe('cdk-nag AwsSolutions', () => {
  it('leaves no unsuppressed error or warning, and every suppression gives a reason', () => {
    const annotations = Annotations.fromStack(liandong.stack);
    const findings = [
      ...annotations.findError('*', Match.stringLikeRegexp('AwsSolutions-.*')),
      ...annotations.findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')),
    ];
    figures.nagFindings = findings.length;
    expect(findings.map((f) => f.entry.data)).toEqual([]);
    const suppressions = Object.values(
      liandong.template.toJSON().Resources as Record<string, unknown>,
    ).flatMap(
      (r) =>
        ((r as { Metadata?: { cdk_nag?: { rules_to_suppress?: unknown[] } } }).Metadata?.cdk_nag
          ?.rules_to_suppress ?? []) as { id: string; reason?: string }[],
    );
    expect(suppressions.length).toBeGreaterThan(0);
    for (const s of suppressions) expect(s.reason?.length ?? 0, s.id).toBeGreaterThan(10);
  });
});

describe('HTTP API routes', () => {
  const routes = () => liandong.ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties!);

  it('are the operations of docs/openapi.json, one to one', () => {
    const doc = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const keys = routes().map((r) => r.RouteKey as string);
    expect(new Set(keys).size).toBe(keys.length);
    expect([...keys].sort()).toEqual([...documented].sort());
    figures.routes = keys.length;
  });

  it('carry the JWT authorizer, all but exactly the public page families', () => {
    const [[authorizerId]] = liandong.ofType('AWS::ApiGatewayV2::Authorizer') as [
      [string, Resource],
    ];
    expect(liandong.ofType('AWS::ApiGatewayV2::Authorizer')).toHaveLength(1);
    const open: string[] = [];
    for (const route of routes()) {
      const key = route.RouteKey as string;
      if (route.AuthorizationType === 'JWT') {
        expect(route.AuthorizerId, key).toEqual({ Ref: authorizerId });
        figures.jwtRoutes++;
      } else {
        expect(route.AuthorizationType, key).toBe('NONE');
        expect(route.AuthorizerId, key).toBeUndefined();
        open.push(key);
      }
    }
    figures.publicRoutes = open.length;
    expect(open.sort()).toEqual([...PUBLIC_ROUTES].sort());
  });

  it('check issuer and audience of the user pool, from the Authorization header', () => {
    const [[, authorizer]] = liandong.ofType('AWS::ApiGatewayV2::Authorizer') as [
      [string, Resource],
    ];
    const [[poolId]] = liandong.ofType('AWS::Cognito::UserPool') as [[string, Resource]];
    const [[clientId]] = liandong.ofType('AWS::Cognito::UserPoolClient') as [[string, Resource]];
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      // The API's own client, and the console's (an output of its nested stack).
      JwtConfiguration: {
        Audience: [
          { Ref: clientId },
          { 'Fn::GetAtt': [expect.stringMatching(/^ConsoleNestedStack/), expect.any(String)] },
        ],
      },
    });
    expect(JSON.stringify(authorizer.Properties!.JwtConfiguration)).toContain(`"Ref":"${poolId}"`);
  });

  it('carry a scope users cannot change: the app client writes the name only, custom:street is not writable', () => {
    const [[, pool]] = liandong.ofType('AWS::Cognito::UserPool') as [[string, Resource]];
    const schema = pool.Properties!.Schema as { Name: string; Mutable?: boolean }[];
    expect(schema.find((attribute) => attribute.Name === 'street')).toBeDefined();
    expect(pool.Properties!.AdminCreateUserConfig).toMatchObject({
      AllowAdminCreateUserOnly: true,
    });
    const [[, client]] = liandong.ofType('AWS::Cognito::UserPoolClient') as [[string, Resource]];
    const writable = client.Properties!.WriteAttributes as string[] | undefined;
    // Without WriteAttributes Cognito lets the client write every mutable attribute.
    expect(writable).toEqual(['name']);
    expect(writable).not.toContain('custom:street');
  });

  it('have no OAuth flows, no implicit grant and no example callback', () => {
    const [[, client]] = liandong.ofType('AWS::Cognito::UserPoolClient') as [[string, Resource]];
    const properties = client.Properties!;
    expect(properties.AllowedOAuthFlows).toBeUndefined();
    expect(properties.AllowedOAuthFlowsUserPoolClient).not.toBe(true);
    expect(properties.CallbackURLs).toBeUndefined();
    expect(JSON.stringify(properties)).not.toMatch(/implicit|example\.com/);
    expect(properties.ExplicitAuthFlows).toEqual([
      'ALLOW_USER_SRP_AUTH',
      'ALLOW_REFRESH_TOKEN_AUTH',
    ]);
  });

  it('are throttled by the stage, and no route raises its own limits', () => {
    const stages = liandong.ofType('AWS::ApiGatewayV2::Stage');
    expect(stages).toHaveLength(1);
    const settings = stages[0]![1].Properties!;
    expect(settings.DefaultRouteSettings).toMatchObject({
      ThrottlingRateLimit: 50,
      ThrottlingBurstLimit: 100,
    });
    expect(settings.RouteSettings).toBeUndefined();
  });

  it('write JSON access logs with the request, caller, route, status and errors, kept for a time', () => {
    const stage = liandong.ofType('AWS::ApiGatewayV2::Stage')[0]![1].Properties!;
    const access = stage.AccessLogSettings as { DestinationArn: unknown; Format: string };
    const format = JSON.parse(access.Format) as Record<string, string>;
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      sourceIp: '$context.identity.sourceIp',
      routeKey: '$context.routeKey',
      status: '$context.status',
      authorizerError: '$context.authorizer.error',
      integrationError: '$context.integrationErrorMessage',
    });
    const groupId = (access.DestinationArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    expect(liandong.resources[groupId]?.Type).toBe('AWS::Logs::LogGroup');
    expect(liandong.resources[groupId]?.Properties?.RetentionInDays).toBeGreaterThan(0);
  });
});

describe('table', () => {
  it('has point-in-time recovery and server-side encryption', () => {
    const tables = liandong.ofType('AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    expect(tables[0]![1].Properties).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });
});

describe('IAM', () => {
  it('no statement allows Resource "*" but for actions without resource-level permissions', () => {
    const offending: string[] = [];
    for (const [id, policy] of liandong.ofType('AWS::IAM::Policy')) {
      const statements = (policy.Properties!.PolicyDocument as { Statement: Statement[] })
        .Statement;
      for (const statement of statements) {
        figures.statements++;
        const resourcesOf = [statement.Resource].flat();
        if (!resourcesOf.includes('*')) continue;
        figures.starStatements++;
        for (const action of [statement.Action].flat()) {
          if (!(action in STAR_RESOURCE_ALLOWED)) offending.push(`${id}: ${action}`);
        }
      }
    }
    expect(offending).toEqual([]);
    expect(figures.statements).toBeGreaterThan(50);
  });

  it('no statement uses a wildcard action, or allows with NotAction / NotResource', () => {
    for (const [id, policy] of [
      ...liandong.ofType('AWS::IAM::Policy'),
      ...liandong.ofType('AWS::IAM::Role'),
    ]) {
      const text = JSON.stringify(policy.Properties);
      expect(text, id).not.toMatch(/"NotAction"|"NotResource"/);
      for (const statement of (
        policy.Properties!.PolicyDocument as { Statement: Statement[] } | undefined
      )?.Statement ?? []) {
        for (const action of [statement.Action].flat()) {
          expect(action, id).not.toMatch(/^\*$|^[a-z0-9-]+:\*$/);
        }
      }
    }
  });
});

describe('state machines', () => {
  it('all log to a log group without execution data, with tracing', () => {
    const machines = liandong.ofType('AWS::StepFunctions::StateMachine');
    expect(machines.length).toBeGreaterThanOrEqual(2);
    figures.stateMachines = machines.length;
    for (const [id, machine] of machines) {
      expect(machine.Properties, id).toMatchObject({
        LoggingConfiguration: {
          IncludeExecutionData: false,
          Level: 'ALL',
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: expect.anything() } }],
        },
        TracingConfiguration: { Enabled: true },
      });
    }
    console.log(`[infra security] ${JSON.stringify(figures)}`);
  });
});
