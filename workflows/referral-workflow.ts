import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface ReferralWorkflowProps {
  readonly logRetention: logs.RetentionDays;
}

/**
 * One execution per approved referral, name = referral id, input `{ referralId }`.
 *
 * The activity workflow's dispatch step starts it and records the referral as dispatched. The
 * department's side (the referral email, the response page, deadlines, reminders, escalation,
 * feedback) is the next piece of work; until it lands an execution only accepts its referral id,
 * so the contract between the two workflows (name, input, permissions) is fixed and tested now.
 */
export class ReferralWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: ReferralWorkflowProps) {
    super(scope, id);
    const received = new sfn.Pass(this, 'ReferralReceived', {
      comment: 'The referral id is the only input; everything else is read from the table',
      parameters: { 'referralId.$': '$.referralId' },
    });
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(received),
      stateMachineType: sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      comment: 'Referral: department email, response, deadlines, feedback',
    });
  }
}
