// Puts the IAM check of iam.ts in front of every AWS SDK call a function makes in this process.
// Functions share one process and even module instances (functions/shared/clients.ts creates
// its clients once for all of them), so a client cannot tell whose call it carries: the runtime
// runs each invocation, and each module import, inside `runAs`, and the check reads the function
// from there. Nothing here is ever bundled into a Lambda: on AWS, IAM itself does this.
import { AsyncLocalStorage } from 'node:async_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESClient } from '@aws-sdk/client-ses';
import { SFNClient } from '@aws-sdk/client-sfn';
import { checksForCall, denialOf, type AccessDeniedError, type FunctionPolicy } from './iam';

export interface IamScope {
  functionName: string;
  policy: FunctionPolicy;
  region: string;
  onDenied(error: AccessDeniedError): void;
}

const scopes = new AsyncLocalStorage<IamScope>();

/** Runs `body` as `scope`'s function: its SDK calls are checked against its policy. */
export function runAs<T>(scope: IamScope, body: () => T): T {
  return scopes.run(scope, body);
}

interface MiddlewareStackLike {
  add(
    middleware: unknown,
    options: { step: 'initialize'; priority: 'high'; name: string; override: boolean },
  ): void;
}

type Next = (args: { input: object }) => Promise<unknown>;
interface HandlerContext {
  clientName?: string;
  commandName?: string;
  __smithy_context?: { operation?: string };
}

const MIDDLEWARE_NAME = 'liandongLocalIamCheck';

// Before serialization and retries: IAM refuses the call once, and it never reaches the engine.
const checkMiddleware =
  (next: Next, context: HandlerContext) => async (args: { input: object }) => {
    const scope = scopes.getStore();
    if (scope) {
      const operation =
        context.__smithy_context?.operation ?? context.commandName?.replace(/Command$/, '') ?? '';
      const checks = checksForCall(
        context.clientName ?? '',
        operation,
        args.input as Record<string, unknown>,
        { region: scope.region },
      );
      const denied = denialOf(scope.policy, scope.functionName, checks);
      if (denied) {
        scope.onDenied(denied);
        throw denied;
      }
    }
    return next(args);
  };

const withCheck = new WeakSet<object>();
let installed = false;

/**
 * Wraps `send` of the SDK's base client class (one class for every v3 client of this
 * node_modules, found through the clients the functions use) so that each client gets the check
 * in its middleware stack before its first call. A DynamoDBDocumentClient shares its client's
 * stack, so it is covered too. Idempotent; calls made outside `runAs` (the local cloud's own, the
 * tests') are not checked.
 */
export function installIamHook(): void {
  if (installed) return;
  installed = true;
  const bases = new Set<{ prototype: { send: (...args: unknown[]) => unknown } }>();
  for (const client of [
    DynamoDBClient,
    SFNClient,
    SESClient,
    SecretsManagerClient,
    KMSClient,
    S3Client,
  ]) {
    bases.add(Object.getPrototypeOf(client) as never);
  }
  for (const base of bases) {
    const original = base.prototype.send;
    base.prototype.send = function send(
      this: { middlewareStack: MiddlewareStackLike },
      ...args: unknown[]
    ) {
      const stack = this.middlewareStack;
      if (!withCheck.has(stack)) {
        stack.add(checkMiddleware, {
          step: 'initialize',
          priority: 'high',
          name: MIDDLEWARE_NAME,
          override: true,
        });
        withCheck.add(stack);
      }
      return original.apply(this, args);
    };
  }
}
