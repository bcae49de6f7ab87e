/**
 * The Step Functions JSON 1.0 protocol over HTTP: POST /, `X-Amz-Target:
 * AWSStepFunctions.<Operation>`, JSON in and out, errors as `{"__type", "message"}`.
 */
import type { Server } from 'node:http';
import { createAwsJsonServer } from '../http-server';
import { UnknownOperationError, ValidationError } from './errors';
import type { StepFunctionsService } from './service';

type Operation = (service: StepFunctionsService, request: Record<string, unknown>) => unknown;

const OPERATIONS: Record<string, Operation> = {
  ListStateMachines: (s, r) => s.listStateMachines(r),
  DescribeStateMachine: (s, r) => s.describeStateMachine(r),
  StartExecution: (s, r) => s.startExecution(r),
  DescribeExecution: (s, r) => s.describeExecution(r),
  ListExecutions: (s, r) => s.listExecutions(r),
  GetExecutionHistory: (s, r) => s.getExecutionHistory(r),
  StopExecution: (s, r) => s.stopExecution(r),
  RedriveExecution: (s, r) => s.redriveExecution(r),
  SendTaskSuccess: (s, r) => s.sendTaskSuccess(r),
  SendTaskFailure: (s, r) => s.sendTaskFailure(r),
  SendTaskHeartbeat: (s, r) => s.sendTaskHeartbeat(r),
};

export function createSfnServer(service: StepFunctionsService): Server {
  return createAwsJsonServer({
    contentType: 'application/x-amz-json-1.0',
    targetPrefix: 'AWSStepFunctions.',
    operations: Object.fromEntries(
      Object.entries(OPERATIONS).map(([name, operation]) => [
        name,
        (request: Record<string, unknown>) => operation(service, request),
      ]),
    ),
    notPost: () => new ValidationError('Only POST is supported'),
    unknownOperation: (target) => new UnknownOperationError(target),
    internalErrorCode: 'InternalFailure',
  });
}
