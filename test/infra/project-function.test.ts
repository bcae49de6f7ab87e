// Infra test: the ProjectFunction construct types `environment` from the handler's zod env schema,
// turns the SDK Tracer on only when asked, and its bundles then leave the Tracer out (esbuild).
// The decisive check is the compiler (`npm run lint` runs tsc over tests): the @ts-expect-error
// below fails the build if a missing variable ever stops being a type error.
import { App, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { sendInvitationsEnvSchema } from '../../functions/activity-workflow/env';
import { build } from 'esbuild';
import { getActivityEnvSchema } from '../../functions/activities/env';
import {
  bundleDefines,
  ProjectFunction,
  SDK_TRACING_CONTEXT_KEY,
} from '../../infra/constructs/project-function';

describe('ProjectFunction environment', () => {
  it('is a compile error when a variable the schema requires is missing', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'TypeCheck');
    const build = () =>
      new ProjectFunction(stack, 'Incomplete', {
        entry: 'functions/activity-workflow/send-invitations.ts',
        description: 'type check only',
        envSchema: sendInvitationsEnvSchema,
        // @ts-expect-error SENDER_EMAIL and SES_CONFIGURATION_SET are required by the schema
        environment: { TABLE_NAME: 'table' },
        logRetention: logs.RetentionDays.ONE_WEEK,
      });
    const fn = build();
    expect(fn.runtime.name).toBe('nodejs22.x');
  });

  it('adds the shared Powertools variables to the schema variables', () => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Env');
    const fn = new ProjectFunction(stack, 'Complete', {
      entry: 'functions/activity-workflow/send-invitations.ts',
      description: 'env check',
      envSchema: sendInvitationsEnvSchema,
      environment: {
        TABLE_NAME: 'table',
        SENDER_EMAIL: 'noreply@liandong.example.org',
        SES_CONFIGURATION_SET: 'set',
        LINK_SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:ap-east-1:000000000000:secret:key',
      },
      logRetention: logs.RetentionDays.ONE_WEEK,
    });
    const resolved = stack.resolve((fn.node.defaultChild as lambda.CfnFunction).environment);
    expect(resolved).toMatchObject({
      variables: expect.objectContaining({
        POWERTOOLS_SERVICE_NAME: 'liandong',
        SENDER_EMAIL: 'noreply@liandong.example.org',
      }),
    });
  });

  it('turns the SDK Tracer off unless deployed with -c liandong:sdkTracing=true', () => {
    const variablesWith = (context: Record<string, unknown>) => {
      const stack = new Stack(
        new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } }),
        'Tracing',
      );
      const fn = new ProjectFunction(stack, 'Traced', {
        entry: 'functions/activities/get-activity.ts',
        description: 'tracing check',
        envSchema: getActivityEnvSchema,
        environment: {
          TABLE_NAME: 'table',
          ACTIVITY_STATE_MACHINE_ARN: 'arn:aws:states:ap-east-1:123456789012:stateMachine:Activity',
        },
        logRetention: logs.RetentionDays.ONE_WEEK,
      });
      const cfn = fn.node.defaultChild as lambda.CfnFunction;
      expect(stack.resolve(cfn.tracingConfig)).toEqual({ mode: 'Active' });
      return (stack.resolve(cfn.environment) as { variables: Record<string, string> }).variables;
    };
    expect(variablesWith({}).POWERTOOLS_TRACE_ENABLED).toBe('false');
    expect(variablesWith({ [SDK_TRACING_CONTEXT_KEY]: 'true' }).POWERTOOLS_TRACE_ENABLED).toBe(
      'true',
    );
  });
});

describe('bundles without SDK tracing', () => {
  // Bundled as ProjectFunction bundles it (its esbuild defines), the Tracer and the X-Ray SDK
  // are left out of the bundle, not only left unloaded; with SDK tracing they are in it.
  const inputsOf = async (sdkTracing: boolean) => {
    const result = await build({
      entryPoints: ['functions/shared/observability.ts'],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      minify: true,
      mainFields: ['module', 'main'],
      metafile: true,
      logLevel: 'silent',
      define: bundleDefines(sdkTracing),
    });
    return Object.keys(result.metafile.inputs);
  };

  it('leaves out aws-xray-sdk-core and the Tracer', async () => {
    const without = await inputsOf(false);
    expect(without.some((input) => input.includes('aws-xray-sdk-core'))).toBe(false);
    expect(without.some((input) => input.includes('@aws-lambda-powertools/tracer'))).toBe(false);
    expect(without.some((input) => input.includes('@aws-lambda-powertools/logger'))).toBe(true);
    const traced = await inputsOf(true);
    expect(traced.some((input) => input.includes('aws-xray-sdk-core'))).toBe(true);
  });
});
