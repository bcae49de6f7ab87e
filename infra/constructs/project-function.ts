import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { z } from 'zod';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Variables every function gets from the construct itself, so no schema has to declare them. */
const sharedEnvironment = {
  POWERTOOLS_SERVICE_NAME: 'liandong',
  POWERTOOLS_METRICS_NAMESPACE: 'Liandong',
  // No NODE_OPTIONS=--enable-source-maps: Node then reads and parses the bundle's source map at
  // every cold start (~30 ms CPU for a 650 KB bundle, docs/performance.md "Cold start") to
  // prettify stack traces that are rarely read. The map still ships next to index.mjs: a stack
  // trace's index.mjs:line:column resolves against it, and setting the variable on one function
  // while debugging it needs no code deploy.
} as const;

/**
 * CDK context key: `cdk deploy -c liandong:sdkTracing=true` builds the Powertools Tracer into
 * every bundle and turns it on (X-Ray subsegments for each AWS SDK call). Off by default: Lambda's
 * active tracing still records each invocation and links it to its Step Functions execution, and
 * every cold start is spared parsing the X-Ray SDK (functions/shared/observability.ts).
 */
export const SDK_TRACING_CONTEXT_KEY = 'liandong:sdkTracing';

/** The constants esbuild replaces in every bundle (the Tracer is left out unless `sdkTracing`). */
export const bundleDefines = (sdkTracing: boolean): Record<string, string> => ({
  'process.env.LIANDONG_SDK_TRACING': JSON.stringify(sdkTracing ? 'on' : 'off'),
});

const sdkTracingOf = (scope: Construct): boolean => {
  const value: unknown = scope.node.tryGetContext(SDK_TRACING_CONTEXT_KEY);
  return value === true || value === 'true';
};

export interface ProjectFunctionProps<Schema extends z.core.$ZodObject> {
  /** Handler module, relative to the project root (e.g. `functions/activities/create-activity.ts`). */
  readonly entry: string;
  readonly description: string;
  /** The zod schema the handler parses its environment with. */
  readonly envSchema: Schema;
  /**
   * Typed from the schema's input: a variable the handler requires and the stack forgets is a
   * compile error here rather than a crash at cold start.
   */
  readonly environment: z.input<Schema>;
  readonly logRetention: logs.RetentionDays;
  readonly timeout?: Duration;
  readonly memorySize?: number;
}

/**
 * The project's Lambda defaults in one place: Node 22 on ARM64, ESM bundle (AWS SDK included) with source maps
 * (shipped, not enabled at run time),
 * JSON logs into an explicit log group with retention, X-Ray active tracing (SDK subsegments
 * only with `-c liandong:sdkTracing=true`).
 */
export class ProjectFunction<Schema extends z.core.$ZodObject> extends nodejs.NodejsFunction {
  constructor(scope: Construct, id: string, props: ProjectFunctionProps<Schema>) {
    const sdkTracing = sdkTracingOf(scope);
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    super(scope, id, {
      entry: path.join(projectRoot, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      logGroup,
      projectRoot,
      depsLockFilePath: path.join(projectRoot, 'package-lock.json'),
      environment: {
        ...sharedEnvironment,
        POWERTOOLS_TRACE_ENABLED: String(sdkTracing),
        ...stringifyEnvironment(props.environment),
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: 'node22',
        platform: 'node',
        sourceMap: true,
        sourcesContent: false,
        minify: true,
        mainFields: ['module', 'main'],
        // The SDK clients go into the bundle, tree-shaken and minified with the rest, instead of
        // being loaded from the runtime's copy: one file to read and parse instead of hundreds
        // of SDK modules resolved one by one. Halves the import time of every function
        // (bench/cold-start.bench.ts) and pins the SDK version to our lockfile.
        bundleAwsSDK: true,
        // Some dependencies still call require(); ESM bundles need it provided.
        banner:
          "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        logLevel: nodejs.LogLevel.WARNING,
        // A constant the bundle folds: without SDK tracing the Tracer is not in it at all.
        define: bundleDefines(sdkTracing),
      },
    });
    // The template names the handler's source, so the local cloud can run the very entry that
    // was bundled without waiting for the bundle (a bundle takes seconds of CPU per function).
    (this.node.defaultChild as lambda.CfnFunction).addMetadata(ENTRY_METADATA_KEY, props.entry);
  }
}

/** Template metadata key holding a function's handler entry, relative to the project root. */
export const ENTRY_METADATA_KEY = 'liandong:entry';

function stringifyEnvironment(environment: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment)
      .filter(([, value]) => value !== undefined)
      .map(([key, value]) => [key, String(value)]),
  );
}
