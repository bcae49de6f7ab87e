import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';

// One instance of each per execution environment, as Powertools recommends. The POWERTOOLS_*
// variables set by the CDK construct win; the fallbacks only matter outside Lambda (tests).
const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'liandong';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({
  serviceName,
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Liandong',
});

/**
 * Whether Powertools' Tracer would trace here, by its own rules (Tracer#setTracingEnabled):
 * not when `POWERTOOLS_TRACE_ENABLED=false`, not under SAM local or the Amplify mock, not
 * outside Lambda.
 */
export const tracingWanted = (env: NodeJS.ProcessEnv = process.env): boolean =>
  env.POWERTOOLS_TRACE_ENABLED?.toLowerCase() !== 'false' &&
  !env.AWS_SAM_LOCAL &&
  !!env.AWS_EXECUTION_ENV &&
  env.AWS_EXECUTION_ENV !== 'AWS_Lambda_amplify-mock';

/**
 * What a disabled Powertools Tracer does, without loading it: every method of a disabled Tracer
 * returns early (the `captureLambdaHandler` middleware only asks `isTracingEnabled()`), and the
 * capture helpers hand back what they were given.
 */
const disabledTracer = new Proxy(
  {
    isTracingEnabled: () => false,
    isTraceSampled: () => false,
    getSegment: () => undefined,
    getRootXrayTraceId: () => undefined,
    captureAWSv3Client: <T>(client: T): T => client,
    captureAWSClient: <T>(client: T): T => client,
    captureAWS: <T>(sdk: T): T => sdk,
    // Decorators: leave the decorated method as it is.
    captureMethod: () => (_target: unknown, _key: unknown, descriptor: unknown) => descriptor,
    captureLambdaHandler: () => (_target: unknown, _key: unknown, descriptor: unknown) =>
      descriptor,
  } as Record<string | symbol, unknown>,
  { get: (known, name) => (name in known ? known[name] : () => undefined) },
) as unknown as Tracer;

/**
 * The Tracer (X-Ray subsegments for each SDK call) is only loaded when it will trace: its module
 * imports aws-xray-sdk-core at once, which costs a cold start about as much CPU as the DynamoDB
 * client itself (docs/performance.md, "Cold start").
 *
 * The Lambda bundles also decide at build time whether it is in them at all: ProjectFunction
 * (infra/constructs/project-function.ts) replaces `process.env.LIANDONG_SDK_TRACING` with a
 * constant, `'off'` unless the stack is deployed with `-c liandong:sdkTracing=true`, and esbuild
 * then folds this condition and leaves the Tracer and the X-Ray SDK out of the bundle, which a
 * cold start would otherwise parse even when they never run. Lambda's own active tracing (the
 * function's segment, linked to the Step Functions trace) does not need them. The condition is
 * spelled out here, not in a helper, because esbuild folds constants only where they are
 * written. Unbundled code (tests, the local cloud) leaves the choice to `tracingWanted`.
 */
export const tracer: Tracer =
  process.env.LIANDONG_SDK_TRACING !== 'off' && tracingWanted()
    ? new (await import('@aws-lambda-powertools/tracer')).Tracer({ serviceName })
    : disabledTracer;

/** The part of the logger that domain functions use (tests pass a stub). */
export type DomainLogger = Pick<Logger, 'warn' | 'info'>;
