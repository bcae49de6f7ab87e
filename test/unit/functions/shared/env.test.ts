// unit test: SDK mocked with aws-sdk-client-mock (none needed here: plain functions)
import { describe, expect, it } from 'vitest';
import { createActivityEnvSchema } from '../../../../functions/activities/env.js';
import { sendInvitationsEnvSchema } from '../../../../functions/activity-workflow/env.js';
import { EnvironmentError, parseEnv } from '../../../../functions/shared/env.js';

describe('parseEnv', () => {
  it('returns the typed environment', () => {
    const env = parseEnv(createActivityEnvSchema, {
      TABLE_NAME: 'Table',
      ACTIVITY_STATE_MACHINE_ARN: 'arn:aws:states:ap-east-1:123456789012:stateMachine:Activity',
      OTHER: 'ignored',
    });
    expect(env).toEqual({
      TABLE_NAME: 'Table',
      ACTIVITY_STATE_MACHINE_ARN: 'arn:aws:states:ap-east-1:123456789012:stateMachine:Activity',
    });
  });

  it('names every missing or invalid variable', () => {
    let error: unknown;
    try {
      parseEnv(sendInvitationsEnvSchema, { TABLE_NAME: 'Table', SENDER_EMAIL: 'not-an-email' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as EnvironmentError).variables).toEqual([
      'SENDER_EMAIL',
      'SES_CONFIGURATION_SET',
      'LINK_SIGNING_SECRET_ARN',
    ]);
    expect((error as Error).message).toMatch(/SENDER_EMAIL \(must be an email address\)/);
    expect((error as Error).message).toMatch(/SES_CONFIGURATION_SET \(missing\)/);
  });

  it('rejects an ARN that is not a state machine', () => {
    expect(() =>
      parseEnv(createActivityEnvSchema, {
        TABLE_NAME: 'Table',
        ACTIVITY_STATE_MACHINE_ARN: 'arn:aws:lambda:ap-east-1:123456789012:function:F',
      }),
    ).toThrow(/ACTIVITY_STATE_MACHINE_ARN/);
  });
});
