/**
 * The Step Functions JSON 1.0 protocol over HTTP: POST /, `X-Amz-Target:
 * AWSStepFunctions.<Operation>`, JSON in and out, errors as `{"__type", "message"}`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SfnApiError, UnknownOperationError, ValidationError } from './errors';
import type { StepFunctionsService } from './service';

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AWSStepFunctions.';

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
  return createServer((req, res) => {
    handle(service, req, res).catch((error: unknown) => {
      send(res, 500, { __type: 'InternalFailure', message: String(error) });
    });
  });
}

async function handle(
  service: StepFunctionsService,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readBody(req);
  try {
    if (req.method !== 'POST') throw new ValidationError('Only POST is supported');
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX)
      ? OPERATIONS[target.slice(TARGET_PREFIX.length)]
      : undefined;
    if (!operation) throw new UnknownOperationError(target);
    let request: unknown;
    try {
      request = body.trim() === '' ? {} : JSON.parse(body);
    } catch {
      throw new SfnApiError('SerializationException', 'The request body is not valid JSON');
    }
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      throw new SfnApiError('SerializationException', 'The request body must be a JSON object');
    }
    send(res, 200, operation(service, request as Record<string, unknown>) ?? {});
  } catch (error) {
    if (error instanceof SfnApiError) {
      send(res, error.statusCode, { __type: error.code, message: error.message }, error.code);
    } else {
      throw error;
    }
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': crypto.randomUUID(),
  };
  if (errorType) headers['x-amzn-errortype'] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}
