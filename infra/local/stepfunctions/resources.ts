/**
 * Task resources: what a `Resource` ARN means and how the local service performs it. Lambda runs
 * in-process through `invokeLambda`; AWS SDK and optimized integrations go through `callSdk`.
 */
import { randomUUID } from 'node:crypto';
import type { Json } from './asl';
import { StatesError, UnsupportedIntegrationError } from './errors';

export type InvokeLambda = (functionArn: string, payload: unknown) => Promise<unknown>;
export type CallSdk = (service: string, action: string, parameters: unknown) => Promise<unknown>;

export interface Resource {
  /** The resource as the history names it, e.g. `lambda` / `invoke`, `aws-sdk:dynamodb` / `putItem`. */
  resourceType: string;
  resource: string;
  kind: 'lambda-function' | 'lambda-invoke' | 'sdk' | 'optimized';
  waitForTaskToken: boolean;
  service: string;
  action: string;
}

const LAMBDA_FUNCTION_ARN = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/;
const STATES_INTEGRATION = /^arn:aws[\w-]*:states:::(aws-sdk:)?([\w-]+):([\w.]+)$/;

export function parseResource(arn: string): Resource {
  if (LAMBDA_FUNCTION_ARN.test(arn)) {
    return {
      kind: 'lambda-function',
      resourceType: 'lambda',
      resource: arn,
      waitForTaskToken: false,
      service: 'lambda',
      action: 'invoke',
    };
  }
  const match = STATES_INTEGRATION.exec(arn);
  if (!match) throw StatesError.runtime(`Unsupported Task resource '${arn}'`);
  const [, sdkPrefix, service = '', actionWithPattern = ''] = match;
  const [action = '', pattern] = actionWithPattern.split('.');
  if (pattern !== undefined && pattern !== 'waitForTaskToken') {
    throw StatesError.runtime(
      `Integration pattern '.${pattern}' of '${arn}' is not supported locally`,
    );
  }
  const waitForTaskToken = pattern === 'waitForTaskToken';
  const kind = sdkPrefix ? 'sdk' : service === 'lambda' ? 'lambda-invoke' : 'optimized';
  return {
    kind,
    resourceType: sdkPrefix ? `aws-sdk:${service}` : service,
    resource: actionWithPattern,
    waitForTaskToken,
    service,
    action,
  };
}

export interface ResourceDeps {
  invokeLambda: InvokeLambda;
  callSdk: CallSdk;
}

export async function performResource(
  resource: Resource,
  parameters: Json,
  deps: ResourceDeps,
): Promise<Json> {
  switch (resource.kind) {
    case 'lambda-function':
      return invokeFunction(deps, resource.resource, parameters);
    case 'lambda-invoke':
      return invokeLambdaIntegration(deps, parameters);
    case 'sdk':
    case 'optimized':
      return callService(deps, resource, parameters);
  }
}

async function invokeFunction(
  deps: ResourceDeps,
  functionName: string,
  payload: Json,
): Promise<Json> {
  try {
    return toJson(await deps.invokeLambda(functionName, payload));
  } catch (error) {
    throw lambdaFailure(error);
  }
}

/** `arn:aws:states:::lambda:invoke`: the response shaped like Lambda's Invoke API answer. */
async function invokeLambdaIntegration(deps: ResourceDeps, parameters: Json): Promise<Json> {
  const params = (parameters ?? {}) as {
    FunctionName?: unknown;
    Payload?: Json;
    Qualifier?: unknown;
  };
  if (typeof params.FunctionName !== 'string') {
    throw StatesError.runtime('lambda:invoke needs a FunctionName parameter');
  }
  const functionName =
    typeof params.Qualifier === 'string'
      ? `${params.FunctionName}:${params.Qualifier}`
      : params.FunctionName;
  const payload = await invokeFunction(deps, functionName, params.Payload ?? {});
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      AllHttpHeaders: { 'X-Amz-Executed-Version': ['$LATEST'], 'x-amzn-RequestId': [requestId] },
      HttpHeaders: { 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-RequestId': requestId },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/**
 * An error thrown by a handler becomes the task error AWS reports: Error = the error type,
 * Cause = the JSON document the Lambda runtime returns for an unhandled error.
 */
export function lambdaFailure(error: unknown): StatesError {
  if (error instanceof StatesError) return error;
  const err = error instanceof Error ? error : new Error(String(error));
  const errorType = err.name || 'Error';
  const trace = (err.stack ?? '').split('\n');
  const cause = JSON.stringify({ errorType, errorMessage: err.message, trace });
  return new StatesError(errorType, cause);
}

// AWS prefixes SDK errors with the service: `DynamoDb.X` for aws-sdk integrations, `DynamoDB.X`
// for the optimized ones.
const SDK_ERROR_PREFIX: Record<string, string> = { dynamodb: 'DynamoDb', sesv2: 'SesV2' };
const OPTIMIZED_ERROR_PREFIX: Record<string, string> = {
  dynamodb: 'DynamoDB',
  sns: 'SNS',
  sqs: 'SQS',
};

async function callService(
  deps: ResourceDeps,
  resource: Resource,
  parameters: Json,
): Promise<Json> {
  try {
    return toJson(await deps.callSdk(resource.service, resource.action, parameters ?? {}));
  } catch (error) {
    if (error instanceof UnsupportedIntegrationError) throw StatesError.runtime(error.message);
    const err = error instanceof Error ? error : new Error(String(error));
    const prefix =
      resource.kind === 'optimized'
        ? (OPTIMIZED_ERROR_PREFIX[resource.service] ?? pascalCase(resource.service))
        : (SDK_ERROR_PREFIX[resource.service] ?? pascalCase(resource.service));
    const name = err.name.endsWith('Exception') ? err.name : `${err.name}Exception`;
    return Promise.reject(new StatesError(`${prefix}.${name}`, err.message));
  }
}

function pascalCase(service: string): string {
  return service.charAt(0).toUpperCase() + service.slice(1);
}

/** Handlers may return undefined (Lambda then answers `null`) or class instances: keep JSON only. */
function toJson(value: unknown): Json {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value)) as Json;
}
