// Infra test: FunctionFactory adds a function's routes from their contracts (method and path from
// the route key), and a public contract must say why it is public: the synth fails without it.
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { getActivityEnvSchema } from '../../functions/activities/env';
import type { RouteContract } from '../../functions/shared/http/contract';
import { FunctionFactory } from '../../infra/constructs/function-factory';
import { LiandongHttpApi } from '../../infra/constructs/http-api';

const factoryIn = () => {
  const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Factory');
  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
  });
  const userPool = new cognito.UserPool(stack, 'Users');
  const api = new LiandongHttpApi(stack, 'Http', {
    userPool,
    userPoolClients: [userPool.addClient('Client')],
    logRetention: logs.RetentionDays.ONE_WEEK,
    rateLimit: 10,
    burstLimit: 20,
  });
  const functions = new FunctionFactory(stack, {
    table,
    api,
    logRetention: logs.RetentionDays.ONE_WEEK,
  });
  const add = (contract: RouteContract) =>
    functions.add('Page', {
      entry: 'functions/activities/get-activity.ts',
      description: 'factory test',
      envSchema: getActivityEnvSchema,
      environment: { ACTIVITY_STATE_MACHINE_ARN: 'arn:aws:states:ap-east-1:1:stateMachine:x' },
      routes: [['Page', contract]],
    });
  return { stack, add };
};

describe('FunctionFactory routes', () => {
  it('adds a route from its contract: method and path from the route key, the JWT unless public', () => {
    const { stack, add } = factoryIn();
    add({ route: 'GET /things/{thingId}', roles: ['organiser'] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /things/{thingId}',
      AuthorizationType: 'JWT',
    });
  });

  it('puts a public contract behind no authorizer, for the reason it gives', () => {
    const { stack, add } = factoryIn();
    add({ route: 'GET /page/{token}', roles: 'public', publicReason: 'opened from an email' });
    const routes = Template.fromStack(stack).findResources('AWS::ApiGatewayV2::Route');
    const [route] = Object.values(routes) as { Properties: Record<string, unknown> }[];
    expect(route?.Properties.RouteKey).toBe('GET /page/{token}');
    expect(route?.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
  });

  it('refuses a public contract that does not say why it is public', () => {
    const { add } = factoryIn();
    expect(() => add({ route: 'GET /page/{token}', roles: 'public' })).toThrow(
      'GET /page/{token} is public: its contract must say why (publicReason)',
    );
  });
});
