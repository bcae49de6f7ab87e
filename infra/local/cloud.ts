// The whole local cloud, started in dependency order from the synthesized template.
import { join, resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalApi, type LocalApiServer } from './api/server';
import { issuerKeyFile, type MintOptions } from './api/issuer';
import { LOCAL_CREDENTIALS, startDynamoDbLocal, type DynamoDbLocal } from './dynamodb';
import { startDynamoDbMeter } from './dynamodb-meter';
import { LocalEventBus } from './events';
import { startLambdaRuntime, type LambdaRuntime, type LocalCode } from './lambda-runtime';
import { localIamEnabled } from './iam';
import { LambdaTally, localMeter, type LocalMeter } from './meter';
import { reservePort, type PortReservation } from './ports';
import { kmsDataFile, startLocalKms, type LocalKms } from './kms';
import { s3DataDir, startLocalS3, type LocalS3 } from './s3';
import { startLocalSes } from './ses';
import {
  resolveDynamicReferences,
  secretsDataFile,
  startLocalSecretsManager,
  type LocalSecretsManager,
} from './secretsmanager';
import { startLocalStepFunctions } from './stepfunctions/index';
import { CONSOLE_PATH } from './api/console';
import {
  LOCAL_ACCOUNT_ID,
  LOCAL_CLIENT_ID,
  TemplateError,
  loadTemplate,
  type LocalTable,
  type LocalTemplate,
} from './template';

export const DEFAULT_REGION = 'ap-east-1';

/**
 * Each engine's port: a number, or a reservation (`reservePort`) that the cloud releases just
 * before that engine binds it, for a caller that must know the ports before the cloud starts.
 */
export interface LocalCloudPorts {
  api?: GivenPort;
  ses?: GivenPort;
  dynamodb?: GivenPort;
  stepfunctions?: GivenPort;
  secretsmanager?: GivenPort;
  kms?: GivenPort;
  s3?: GivenPort;
}
type GivenPort = number | PortReservation;

export interface LocalCloudOptions {
  /** Where data lives between runs (DynamoDB, executions, the issuer key). */
  dataDir?: string;
  /** Nothing on disk: for tests. */
  inMemory?: boolean;
  /** 0 or absent = a free port. */
  ports?: LocalCloudPorts;
  cdkOut?: string;
  stackName?: string;
  region?: string;
  /** No access log, no load warnings. */
  quiet?: boolean;
  /** Enables POST /_local/issuer/token. */
  allowTokenMinting?: boolean;
  /**
   * Settles when cdk.out holds the template to run (e.g. a `cdk synth` still under way): the
   * engines that do not need the template start meanwhile. Absent = the template is there.
   */
  templateReady?: Promise<unknown>;
  /** Extra variables for every function (e.g. POWERTOOLS_DEV). */
  functionEnv?: Record<string, string>;
  /** Run the handler entries the template names (default) or CDK's bundles. */
  code?: LocalCode;
  /**
   * Count Lambda invocations and DynamoDB capacity units (benchmarks): the functions then reach
   * DynamoDB Local through a metering proxy. Off by default.
   */
  meter?: boolean;
  /** The stage's throttling of the HTTP API (default on, as the template sets it). */
  throttle?: boolean;
  /**
   * Check each function's AWS calls against its role's policy (default: on unless
   * `LIANDONG_LOCAL_IAM=off`).
   */
  iam?: boolean;
  /** Run the template's `rate()` rules on their schedule (`npm start`); off for tests. */
  schedules?: boolean;
}

export interface LocalCloudEndpoints {
  region: string;
  api: string;
  sesViewer: string;
  sesStore: string;
  ses: string;
  dynamodb: string;
  stepfunctions: string;
  secretsmanager: string;
  kms: string;
  s3: string;
  issuer: string;
  jwks: string;
  clientId: string;
  tokenUrl?: string;
  /** The organisers' console (the CloudFront stand-in), when the template deploys one. */
  console?: string;
  /** Table logical id → table name. */
  tables: Record<string, string>;
  /** State machine logical id → ARN. */
  stateMachines: Record<string, string>;
  /** Function logical id → ARN. */
  functions: Record<string, string>;
  /** Secret logical id → ARN (served by the local Secrets Manager). */
  secrets: Record<string, string>;
  /** KMS key logical id → ARN (served by the local KMS). */
  kmsKeys: Record<string, string>;
  /** Bucket logical id → name (served by the local S3). */
  buckets: Record<string, string>;
}

export interface LocalCloud {
  endpoints: LocalCloudEndpoints;
  template: LocalTemplate;
  runtime: LambdaRuntime;
  mintToken(options: MintOptions): Promise<string>;
  /** Resolves when no execution is doing work (see the Step Functions service). */
  stepFunctionsIdle(): Promise<void>;
  /** Present when started with `meter: true`. */
  meter?: LocalMeter;
  /** Writes items (plain objects, keys included) into the table, only when it holds nothing yet. */
  seedIfEmpty(items: Record<string, unknown>[], tableLogicalId?: string): Promise<number>;
  /**
   * Writes each item whose key the table does not hold (kept data that predates it), leaving
   * every item it holds as it is; returns how many it wrote.
   */
  seedMissing(items: Record<string, unknown>[], tableLogicalId?: string): Promise<number>;
  /**
   * Test-only fault injection: `kill()` ends DynamoDB Local with SIGKILL, as a crash would;
   * `start()` starts it again on the same port with the same data folder (only with `dataDir`:
   * in memory, the data dies with the process).
   */
  dynamodb: { kill(): Promise<void>; start(): Promise<void> };
  stop(): Promise<void>;
}

interface Stoppable {
  stop(): Promise<void>;
}

function pickTable(tables: LocalTable[], logicalId?: string): LocalTable {
  const table = logicalId ? tables.find((t) => t.logicalId === logicalId) : tables[0];
  if (!table || (!logicalId && tables.length > 1)) {
    throw new TemplateError(
      logicalId
        ? `no table ${logicalId} in the template`
        : 'name the table to seed: the template has several',
    );
  }
  return table;
}

const documentClient = (ddb: DynamoDbLocal) =>
  DynamoDBDocumentClient.from(ddb.client, { marshallOptions: { removeUndefinedValues: true } });

async function seedMissing(
  ddb: DynamoDbLocal,
  table: LocalTable,
  items: Record<string, unknown>[],
): Promise<number> {
  const doc = documentClient(ddb);
  const partitionKey = table.keySchema.find((key) => key.KeyType === 'HASH')!.AttributeName;
  let written = 0;
  for (const Item of items) {
    try {
      await doc.send(
        new PutCommand({
          TableName: table.name,
          Item,
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': partitionKey },
        }),
      );
      written++;
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    }
  }
  return written;
}

async function seed(
  ddb: DynamoDbLocal,
  table: LocalTable,
  items: Record<string, unknown>[],
): Promise<number> {
  const probe = await ddb.client.send(new ScanCommand({ TableName: table.name, Limit: 1 }));
  if ((probe.Count ?? 0) > 0) return 0;
  const doc = documentClient(ddb);
  for (let i = 0; i < items.length; i += 25) {
    let requests: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {
      [table.name]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    // Unprocessed items are retried, as every BatchWrite caller must.
    for (let attempt = 0; Object.keys(requests).length > 0; attempt++) {
      if (attempt > 10) throw new Error('seeding: DynamoDB Local kept items unprocessed');
      const out = await doc.send(new BatchWriteCommand({ RequestItems: requests }));
      requests = (out.UnprocessedItems ?? {}) as typeof requests;
    }
  }
  return items.length;
}

export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const region = options.region ?? DEFAULT_REGION;
  const ports = options.ports ?? {};
  const inMemory = options.inMemory ?? !options.dataDir;
  const dataDir = options.dataDir ? resolve(options.dataDir) : undefined;
  if (!inMemory && !dataDir) throw new Error('startLocalCloud: give dataDir or inMemory');
  const cdkOut = resolve(options.cdkOut ?? 'cdk.out');
  const started: Stoppable[] = [];
  const stopAll = async () => {
    // Reverse order: nothing keeps calling an engine that is already gone.
    for (const s of started.splice(0).reverse()) {
      await s.stop().catch((err: unknown) => console.error('[local cloud] stop failed:', err));
    }
  };

  const host = '127.0.0.1';
  // A port the cloud picks stays reserved until its engine starts (see reservePort).
  const portFor = async (given: GivenPort | undefined): Promise<PortReservation> => {
    if (typeof given === 'object') return given;
    if (given) return { port: given, release: async () => undefined };
    const reservation = await reservePort(host);
    started.push({ stop: reservation.release });
    return reservation;
  };

  try {
    // The API first: the issuer URL carries its port, and the template's authorizer needs it.
    const apiReserved = ports.api ? await portFor(ports.api) : undefined;
    await apiReserved?.release();
    const api: LocalApiServer = await startLocalApi({
      ...(apiReserved ? { port: apiReserved.port } : {}),
      clientId: LOCAL_CLIENT_ID,
      ...(inMemory || !dataDir ? {} : { keyFile: issuerKeyFile(dataDir) }),
      allowTokenMinting: options.allowTokenMinting ?? false,
      quiet: options.quiet ?? false,
      ...(options.throttle === false ? { throttle: false } : {}),
    });
    started.push(api);

    // Every engine's URL is fixed before any starts, so functions can be imported (with their
    // endpoint variables) while DynamoDB Local, a JVM and the slowest engine, is still booting.
    const dynamodbReserved = await portFor(ports.dynamodb);
    const sesReserved = await portFor(ports.ses);
    const sfnReserved = await portFor(ports.stepfunctions);
    const secretsReserved = await portFor(ports.secretsmanager);
    const kmsReserved = await portFor(ports.kms);
    const s3Reserved = await portFor(ports.s3);
    const dynamodbPort = dynamodbReserved.port;
    const sesPort = sesReserved.port;
    const sfnPort = sfnReserved.port;
    await Promise.all([dynamodbReserved.release(), sesReserved.release()]);
    const ddbStarting = startDynamoDbLocal({
      port: dynamodbPort,
      ...(inMemory || !dataDir ? { inMemory: true } : { dbPath: join(dataDir, 'dynamodb') }),
      region,
    });
    const sesStarting = startLocalSes({ port: sesPort, host });
    // Metering: the functions' DynamoDB endpoint is the proxy, which forwards to DynamoDB Local.
    const dynamoMeter = options.meter
      ? await startDynamoDbMeter({ upstream: `http://${host}:${dynamodbPort}`, host })
      : undefined;
    if (dynamoMeter) started.push(dynamoMeter);
    const lambdaTally = options.meter ? new LambdaTally() : undefined;
    // Whatever fails first, nothing started here may be left running.
    const engines = Promise.allSettled([ddbStarting, sesStarting]).then((settled) => {
      for (const r of settled) if (r.status === 'fulfilled') started.push(r.value);
      for (const r of settled) if (r.status === 'rejected') throw r.reason;
    });
    engines.catch(() => undefined);

    let template: LocalTemplate;
    let runtime: LambdaRuntime;
    let secretsManager: LocalSecretsManager;
    let kms: LocalKms;
    let s3: LocalS3;
    try {
      await options.templateReady;
      template = loadTemplate({
        cdkOut,
        ...(options.stackName ? { stackName: options.stackName } : {}),
        region,
        issuerUrl: api.issuer.issuerUrl,
        clientId: LOCAL_CLIENT_ID,
        apiUrl: api.url,
      });
      if (template.httpApis.length > 1) {
        throw new TemplateError('the local cloud serves one HTTP API; the template has several');
      }
      // The template's secrets, generated once (kept under the data folder); dynamic references
      // to them in function environments are resolved as a deployment resolves them.
      await secretsReserved.release();
      secretsManager = await startLocalSecretsManager({
        secrets: template.secrets,
        port: secretsReserved.port,
        host,
        ...(inMemory || !dataDir ? {} : { dataFile: secretsDataFile(dataDir) }),
      });
      started.push(secretsManager);
      // Signing keys generated once and kept, like the secrets; buckets with their Object Lock.
      await kmsReserved.release();
      kms = await startLocalKms({
        keys: template.kmsKeys,
        port: kmsReserved.port,
        host,
        ...(inMemory || !dataDir ? {} : { dataFile: kmsDataFile(dataDir) }),
      });
      started.push(kms);
      await s3Reserved.release();
      s3 = await startLocalS3({
        buckets: template.buckets,
        port: s3Reserved.port,
        host,
        ...(inMemory || !dataDir ? {} : { dataDir: s3DataDir(dataDir) }),
      });
      started.push(s3);
      const valueOf = secretsManager.valueOf;
      for (const fn of template.functions) {
        for (const [name, value] of Object.entries(fn.environment)) {
          fn.environment[name] = resolveDynamicReferences(value, valueOf);
        }
      }
      runtime = await startLambdaRuntime({
        functions: template.functions,
        region,
        quiet: options.quiet ?? false,
        code: options.code ?? 'entries',
        iam: options.iam ?? localIamEnabled(),
        ...(lambdaTally ? { observe: lambdaTally.observe } : {}),
        baseEnv: {
          AWS_REGION: region,
          AWS_DEFAULT_REGION: region,
          AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
          AWS_SESSION_TOKEN: 'local',
          AWS_ENDPOINT_URL_DYNAMODB: dynamoMeter?.url ?? `http://${host}:${dynamodbPort}`,
          AWS_ENDPOINT_URL_SES: `http://${host}:${sesPort}`,
          AWS_ENDPOINT_URL_SESV2: `http://${host}:${sesPort}`,
          AWS_ENDPOINT_URL_SFN: `http://${host}:${sfnPort}`,
          AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.url,
          AWS_ENDPOINT_URL_KMS: kms.url,
          AWS_ENDPOINT_URL_S3: s3.url,
          // No X-Ray daemon here. Powertools reads POWERTOOLS_TRACE_ENABLED; AWS_EXECUTION_ENV
          // stays unset so its Tracer also sees that it is not inside Lambda.
          POWERTOOLS_TRACE_ENABLED: 'false',
          POWERTOOLS_TRACE_DISABLED: 'true',
          ...options.functionEnv,
        },
      });
    } finally {
      // Engines that did start are in `started` (stopped on failure) once this settles.
      await engines.catch(() => undefined);
    }
    await engines;
    let ddb = await ddbStarting;
    const ses = await sesStarting;
    await ddb.createTables(template.tables);

    // Step Functions status changes reach the template's event rules (failure recording).
    const eventBus = new LocalEventBus(
      template.eventRules,
      (arn, event) => runtime.invoke(arn, event),
      { region, account: LOCAL_ACCOUNT_ID },
    );
    if (options.schedules) {
      const stopSchedules = eventBus.startSchedules();
      started.push({ stop: async () => stopSchedules() });
    }
    // Last: resumed executions call functions and tables at once.
    await sfnReserved.release();
    const sfn = await startLocalStepFunctions({
      onExecutionStatusChange: (detail) =>
        eventBus.put({
          source: 'aws.states',
          detailType: 'Step Functions Execution Status Change',
          detail,
          resources: [detail.executionArn],
        }),
      stateMachines: template.stateMachines,
      invokeLambda: (arn, payload) => runtime.invoke(arn, payload),
      ...(inMemory || !dataDir ? {} : { dataDir: join(dataDir, 'stepfunctions') }),
      port: sfnPort,
      host,
      region,
    });
    started.push(sfn);
    api.bind({
      api: template.httpApis[0] ?? emptyApi(),
      invoke: (arn, event) => runtime.invoke(arn, event),
      ...(template.consoleSite ? { consoleSite: template.consoleSite } : {}),
    });

    const endpoints: LocalCloudEndpoints = {
      region,
      api: api.url,
      sesViewer: ses.viewerUrl,
      sesStore: ses.storeUrl,
      ses: ses.url,
      dynamodb: ddb.url,
      stepfunctions: sfn.url,
      secretsmanager: secretsManager.url,
      kms: kms.url,
      s3: s3.url,
      issuer: api.issuer.issuerUrl,
      jwks: `${api.issuer.issuerUrl}/.well-known/jwks.json`,
      clientId: LOCAL_CLIENT_ID,
      ...(options.allowTokenMinting ? { tokenUrl: `${api.issuer.issuerUrl}/token` } : {}),
      ...(options.allowTokenMinting && template.consoleSite
        ? { console: `${api.url}${CONSOLE_PATH}` }
        : {}),
      tables: Object.fromEntries(template.tables.map((t) => [t.logicalId, t.name])),
      stateMachines: Object.fromEntries(template.stateMachines.map((s) => [s.logicalId, s.arn])),
      functions: Object.fromEntries(template.functions.map((f) => [f.logicalId, f.arn])),
      secrets: secretsManager.arns,
      kmsKeys: kms.arns,
      buckets: s3.buckets,
    };
    return {
      endpoints,
      template,
      runtime,
      mintToken: (o) => api.issuer.mintToken(o),
      stepFunctionsIdle: () => sfn.idle(),
      ...(lambdaTally && dynamoMeter ? { meter: localMeter(lambdaTally, dynamoMeter) } : {}),
      seedIfEmpty: (items, tableLogicalId) =>
        seed(ddb, pickTable(template.tables, tableLogicalId), items),
      seedMissing: (items, tableLogicalId) =>
        seedMissing(ddb, pickTable(template.tables, tableLogicalId), items),
      dynamodb: {
        kill: () => ddb.kill(),
        start: async () => {
          if (inMemory || !dataDir) {
            throw new Error('DynamoDB Local can restart with its data only with a dataDir');
          }
          const fresh = await startDynamoDbLocal({
            port: dynamodbPort,
            dbPath: join(dataDir, 'dynamodb'),
            region,
            // A restart comes while everything else is busy retrying: give the JVM time.
            startTimeoutMs: 120_000,
          });
          // In the old one's place, so stop() still ends the engines in reverse order.
          const at = started.indexOf(ddb);
          if (at >= 0) started[at] = fresh;
          else started.push(fresh);
          ddb = fresh;
        },
      },
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

function emptyApi() {
  return { logicalId: 'none', apiId: 'none', name: 'none', stageName: '$default', routes: [] };
}
