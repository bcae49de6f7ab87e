// The console's sign-in is the authorization code flow with PKCE only (a public client, no
// implicit grant), its files are private behind CloudFront with a strict CSP, and the API
// accepts the console client's tokens.
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConsoleSite } from '../../infra/constructs/console-site';
import { synthLiandong } from '../support/stack';

let main: Template;
let site: Template;

beforeAll(() => {
  const { stack, template } = synthLiandong();
  const nested = stack.node.findAll().find((c): c is ConsoleSite => c instanceof ConsoleSite);
  if (!nested) throw new Error('no console nested stack');
  main = template;
  site = Template.fromStack(nested as unknown as Stack);
}, 120_000);

describe('the console', () => {
  it('signs in with the authorization code grant only, as a public client (PKCE)', () => {
    site.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      GenerateSecret: false,
      SupportedIdentityProviders: ['COGNITO'],
    });
    const clients = site.findResources('AWS::Cognito::UserPoolClient');
    for (const client of Object.values(clients)) {
      const flows = (client.Properties as { AllowedOAuthFlows: string[] }).AllowedOAuthFlows;
      expect(flows).not.toContain('implicit');
      expect(flows).not.toContain('client_credentials');
    }
    site.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    site.hasResourceProperties('AWS::Cognito::UserPoolDomain', { ManagedLoginVersion: 2 });
  });

  it('keeps its files private behind CloudFront (origin access control) with a strict CSP', () => {
    site.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
    site.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    const policies = site.findResources('AWS::CloudFront::ResponseHeadersPolicy');
    const csp = JSON.stringify(policies);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('lets the API accept the console client’s tokens, and names the console URL as an output', () => {
    const [authorizer] = Object.values(main.findResources('AWS::ApiGatewayV2::Authorizer'));
    const audience = (authorizer?.Properties as { JwtConfiguration: { Audience: unknown[] } })
      .JwtConfiguration.Audience;
    expect(audience).toHaveLength(2);
    // One of them is the nested console stack's client.
    expect(JSON.stringify(audience)).toMatch(/ConsoleNestedStack.*Outputs\./);
    expect(Object.keys(main.findOutputs('ConsoleUrl'))).toEqual(['ConsoleUrl']);
  });
});
