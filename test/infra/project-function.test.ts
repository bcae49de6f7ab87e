// Infra test: the ProjectFunction construct types `environment` from the handler's zod env schema.
// The decisive check is the compiler (`npm run lint` runs tsc over tests): the @ts-expect-error
// below fails the build if a missing variable ever stops being a type error.
import { App, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { sendInvitationsEnvSchema } from '../../functions/activity-workflow/env';
import { ProjectFunction } from '../../infra/constructs/project-function';

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
});
