import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { NagSuppressions } from 'cdk-nag';
import { Construct } from 'constructs';
import { auditCheckpointEnvSchema } from '../../functions/audit-checkpoint/env';
import { ProjectFunction } from './project-function';

/** CDK context key: years a checkpoint stays locked in the bucket (compliance mode). */
export const CHECKPOINT_RETENTION_CONTEXT_KEY = 'liandong:checkpointRetentionYears';
export const DEFAULT_CHECKPOINT_RETENTION_YEARS = 10;

export interface AuditCheckpointsProps {
  readonly table: dynamodb.ITable;
  readonly logRetention: logs.RetentionDays;
  /** The workflows whose successful end triggers a checkpoint (the activity's, the referral's). */
  readonly stateMachines: sfn.IStateMachine[];
}

const retentionYearsOf = (scope: Construct): number => {
  const raw: unknown = scope.node.tryGetContext(CHECKPOINT_RETENTION_CONTEXT_KEY);
  const years = raw === undefined ? DEFAULT_CHECKPOINT_RETENTION_YEARS : Number(raw);
  if (!Number.isInteger(years) || years < 1 || years > 100) {
    throw new Error(`${CHECKPOINT_RETENTION_CONTEXT_KEY} must be a whole number of years (1-100)`);
  }
  return years;
};

/**
 * Signed checkpoints of the audit streams (issue 16): an asymmetric KMS key whose `kms:Sign`
 * only the checkpoint job holds (the key policy leaves Sign out of what IAM may grant and names
 * the job's role for it), an S3 bucket with Object Lock in compliance mode (nobody, the root
 * user included, deletes or overwrites a locked version before its retention ends), and the job,
 * run hourly and when an activity's or a referral's workflow succeeds.
 */
export class AuditCheckpoints extends Construct {
  readonly key: kms.Key;
  readonly bucket: s3.Bucket;
  readonly function: ProjectFunction<typeof auditCheckpointEnvSchema>;
  readonly schedule: events.Rule;
  readonly onWorkflowEnd: events.Rule;
  readonly retentionYears: number;

  constructor(scope: Construct, id: string, props: AuditCheckpointsProps) {
    super(scope, id);
    this.retentionYears = retentionYearsOf(this);

    this.key = new kms.Key(this, 'SigningKey', {
      description: 'Signs the checkpoints of the audit trail (only the checkpoint job may sign)',
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      // A deleted key would leave every checkpoint unverifiable by /verify (the public key, once
      // exported, still verifies them offline).
      removalPolicy: RemovalPolicy.RETAIN,
      policy: new iam.PolicyDocument({
        statements: [
          new iam.PolicyStatement({
            sid: 'AccountManagesTheKeyButCannotSign',
            principals: [new iam.AccountRootPrincipal()],
            notActions: ['kms:Sign'],
            resources: ['*'],
          }),
        ],
      }),
    });

    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    });
    NagSuppressions.addResourceSuppressions(accessLogs, [
      {
        id: 'AwsSolutions-S1',
        reason:
          "This is the checkpoint bucket's server access log bucket; logging its own access would log the logs.",
      },
    ]);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(
        Duration.days(365 * this.retentionYears),
      ),
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'checkpoints/',
    });

    const { table } = props;
    this.function = new ProjectFunction(this, 'CheckpointFunction', {
      entry: 'functions/audit-checkpoint/checkpoint.ts',
      description: 'Signs the heads of the audit streams that moved and archives the checkpoint',
      envSchema: auditCheckpointEnvSchema,
      environment: {
        TABLE_NAME: table.tableName,
        CHECKPOINT_KEY_ID: this.key.keyArn,
        CHECKPOINT_BUCKET: this.bucket.bucketName,
      },
      logRetention: props.logRetention,
      timeout: Duration.minutes(5),
    });
    // Reads the streams and the hour listings (index), writes checkpoints and pointers.
    table.grant(
      this.function,
      'dynamodb:GetItem',
      'dynamodb:Query',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    );
    const role = this.function.role!;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['kms:Sign'], resources: [this.key.keyArn] }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheCheckpointJobSigns',
        principals: [new iam.ArnPrincipal(role.roleArn)],
        actions: ['kms:Sign'],
        resources: ['*'],
      }),
    );
    // PutObject only: no delete, no retention change (compliance mode refuses those anyway).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('checkpoints/*')],
      }),
    );

    const job = new targets.LambdaFunction(this.function, {
      retryAttempts: 20,
      maxEventAge: Duration.hours(24),
    });
    this.schedule = new events.Rule(this, 'Hourly', {
      description: 'Signs a checkpoint of the audit streams that moved in the last hour',
      schedule: events.Schedule.rate(Duration.hours(1)),
      targets: [job],
    });
    this.onWorkflowEnd = new events.Rule(this, 'OnWorkflowSuccess', {
      description: "Signs a checkpoint when an activity's or a referral's workflow succeeds",
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['SUCCEEDED'],
          stateMachineArn: props.stateMachines.map((machine) => machine.stateMachineArn),
        },
      },
      targets: [job],
    });

    NagSuppressions.addResourceSuppressions(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'PutObject on the checkpoint objects of its own bucket (checkpoints/<day>/<seq>.json): the keys are made as checkpoints are signed.',
          appliesTo: [
            { regex: '/^Resource::<.*CheckpointsBucket[0-9A-F]+\\.Arn>\\/checkpoints\\/\\*$/g' },
          ],
        },
      ],
      true,
    );
  }

  /** `kms:GetPublicKey`: what `/verify` needs to check a checkpoint read from the table. */
  grantReadPublicKey(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['kms:GetPublicKey'], resources: [this.key.keyArn] }),
    );
  }
}
