// Infra test (CDK assertions, no AWS): the audit checkpoints of issue 16. The signing key is an
// asymmetric P-256 key whose kms:Sign only the checkpoint job holds (in its key policy and in
// IAM: every function's policy is evaluated by the local IAM check); the bucket locks each
// version in compliance mode for the configured years; the job runs hourly and when a workflow
// succeeds.
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  CHECKPOINT_RETENTION_CONTEXT_KEY,
  DEFAULT_CHECKPOINT_RETENTION_YEARS,
} from '../../infra/constructs/audit-checkpoints';
import { decide } from '../../infra/local/iam';
import { parseTemplate, type CfnTemplate } from '../../infra/local/template';
import { synthLiandong } from '../support/stack';

const synth = (context: Record<string, unknown> = {}) => {
  // The nested (console) stack's template is read from the assembly, as the local cloud does.
  const { app, template } = synthLiandong({
    context: { 'aws:cdk:enable-asset-metadata': true, ...context },
  });
  return Object.assign(template, { outdir: app.outdir });
};

const template = synth();
const json = template.toJSON() as CfnTemplate & {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
};
const idOf = (type: string, prefix: string): string => {
  const ids = Object.keys(json.Resources).filter(
    (id) => json.Resources[id]!.Type === type && id.startsWith(prefix),
  );
  expect(ids, `${prefix}* of type ${type}`).toHaveLength(1);
  return ids[0]!;
};
const keyId = idOf('AWS::KMS::Key', 'CheckpointsSigningKey');
const checkpointFunctionId = idOf('AWS::Lambda::Function', 'CheckpointsCheckpointFunction');
const checkpointRoleId = (
  json.Resources[checkpointFunctionId]!.Properties!.Role as { 'Fn::GetAtt': string[] }
)['Fn::GetAtt'][0]!;

// Every function's IAM policy, as the local cloud reads and checks it.
const local = parseTemplate(json, {
  cdkOut: template.outdir,
  region: 'ap-east-1',
  issuerUrl: 'http://127.0.0.1:1/_local/issuer',
  apiUrl: 'http://127.0.0.1:1',
});
const keyArn = local.kmsKeys.find((k) => k.logicalId === keyId)!.arn;
const bucketName = local.buckets.find((b) => b.logicalId.startsWith('CheckpointsBucket'))!.name;
const allowed = (action: string, resource: string) =>
  local.functions
    .filter((fn) => fn.policy && decide(fn.policy, { action, resource: [resource] }) === 'allow')
    .map((fn) => fn.logicalId);

describe('the checkpoint signing key', () => {
  it('is an asymmetric P-256 signing key, kept when the stack goes', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: Match.objectLike({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      DeletionPolicy: 'Retain',
    });
  });

  it('lets the account manage it but names only the checkpoint job for kms:Sign', () => {
    const statements = (
      json.Resources[keyId]!.Properties!.KeyPolicy as {
        Statement: {
          Action?: string | string[];
          NotAction?: string | string[];
          Principal: { AWS: unknown };
        }[];
      }
    ).Statement;
    const signing = statements.filter((s) =>
      [s.Action ?? []].flat().some((a) => /^kms:(Sign|\*)$/.test(a)),
    );
    expect(signing).toHaveLength(1);
    expect(signing[0]!.Principal.AWS).toEqual({ 'Fn::GetAtt': [checkpointRoleId, 'Arn'] });
    const account = statements.filter((s) => s.NotAction !== undefined);
    expect(account).toHaveLength(1);
    expect([account[0]!.NotAction].flat()).toEqual(['kms:Sign']);
  });

  it('no function but the checkpoint job can kms:Sign (local IAM evaluation of every role)', () => {
    expect(local.functions.length).toBeGreaterThan(30);
    expect(allowed('kms:Sign', keyArn)).toEqual([checkpointFunctionId]);
    // Nor any other key, by a wildcard.
    expect(allowed('kms:Sign', 'arn:aws:kms:ap-east-1:111122223333:key/other')).toEqual([]);
  });

  it('the trail function reads the public key; nothing else touches the key', () => {
    const trail = local.functions.find((f) =>
      f.logicalId.startsWith('AuditReadAuditTrailFunction'),
    )!;
    expect(allowed('kms:GetPublicKey', keyArn)).toEqual([trail.logicalId]);
    expect(allowed('kms:ScheduleKeyDeletion', keyArn)).toEqual([]);
  });
});

describe('the checkpoint bucket', () => {
  it('locks every version in compliance mode for ten years by default, versioned and private', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: {
            DefaultRetention: {
              Mode: 'COMPLIANCE',
              Days: 365 * DEFAULT_CHECKPOINT_RETENTION_YEARS,
            },
          },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('takes its retention from CDK context, and refuses a nonsense value', () => {
    synth({ [CHECKPOINT_RETENTION_CONTEXT_KEY]: 30 }).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: {
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 * 30 } },
      },
    });
    expect(() => synth({ [CHECKPOINT_RETENTION_CONTEXT_KEY]: 'forever' })).toThrow(
      /checkpointRetentionYears must be a whole number of years/,
    );
  });

  it('only the checkpoint job writes checkpoints; no function deletes them', () => {
    const object = `arn:aws:s3:::${bucketName}/checkpoints/2026/12/06/0000000001.json`;
    expect(allowed('s3:PutObject', object)).toEqual([checkpointFunctionId]);
    expect(allowed('s3:DeleteObject', object)).toEqual([]);
    expect(allowed('s3:DeleteObjectVersion', object)).toEqual([]);
    expect(allowed('s3:BypassGovernanceRetention', object)).toEqual([]);
  });
});

describe('the checkpoint job', () => {
  const functionArn = { 'Fn::GetAtt': [checkpointFunctionId, 'Arn'] };

  it('runs hourly', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [Match.objectLike({ Arn: functionArn })],
    });
  });

  it("runs when an activity's or a referral's workflow succeeds", () => {
    const activity = idOf('AWS::StepFunctions::StateMachine', 'ActivityWorkflowStateMachine');
    const referral = idOf('AWS::StepFunctions::StateMachine', 'ReferralWorkflowStateMachine');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['SUCCEEDED'], stateMachineArn: [{ Ref: activity }, { Ref: referral }] },
      },
      Targets: [Match.objectLike({ Arn: functionArn })],
    });
  });

  it('is given the key, the bucket and the table', () => {
    const env = local.functions.find((f) => f.logicalId === checkpointFunctionId)!.environment;
    expect(env).toMatchObject({ CHECKPOINT_KEY_ID: keyArn, CHECKPOINT_BUCKET: bucketName });
  });
});
