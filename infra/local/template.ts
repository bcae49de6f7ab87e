// Reads the synthesized CloudFormation template and extracts what the local cloud runs (tables,
// functions, state machines, the HTTP API), so it runs exactly what `cdk deploy` would deploy.
import { readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import {
  DEFAULT_STACK_NAME,
  Resolver,
  TemplateError,
  type CfnResource,
  type CfnTemplate,
  type TemplateContext,
} from './intrinsics';
import { assertSupportedPattern, type LocalEventRule } from './events';
import { readRolePolicy, type FunctionPolicy } from './iam';

export {
  DEFAULT_STACK_NAME,
  LOCAL_ACCOUNT_ID,
  LOCAL_CLIENT_ID,
  Resolver,
  TemplateError,
  UnsupportedIntrinsicError,
  type CfnResource,
  type CfnTemplate,
  type TemplateContext,
} from './intrinsics';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface LocalIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: { ProjectionType?: string; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

export interface LocalTable {
  logicalId: string;
  name: string;
  keySchema: KeySchemaElement[];
  attributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  billingMode: 'PAY_PER_REQUEST' | 'PROVISIONED';
  provisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
  globalSecondaryIndexes: LocalIndex[];
  localSecondaryIndexes: LocalIndex[];
  ttlAttribute?: string;
  streamViewType?: string;
}

export interface LocalFunction {
  logicalId: string;
  name: string;
  arn: string;
  /** `file.export`, as Lambda reads it. */
  handler: string;
  runtime?: string;
  environment: Record<string, string>;
  /** Absolute path of the bundled asset folder under cdk.out (absent when bundling was skipped). */
  assetDir?: string;
  /** The handler's source entry (absolute path), from the `liandong:entry` metadata. */
  entry?: string;
  timeoutSeconds: number;
  memoryMb: number;
  logGroupName: string;
  /**
   * The execution role's policy, checked on every AWS call the function makes locally; absent
   * when the template gives the function no role of its own (then nothing is checked).
   */
  policy?: FunctionPolicy;
}

export interface LocalStateMachineDefinition {
  logicalId: string;
  arn: string;
  name: string;
  definition: object;
  roleArn: string;
  type: 'STANDARD';
}

export interface LocalJwtAuthorizer {
  logicalId: string;
  name: string;
  issuer: string;
  audience: string[];
  identitySource: string[];
}

export interface LocalRoute {
  logicalId: string;
  routeKey: string;
  /** Function ARN of the route's Lambda proxy integration. */
  functionArn: string;
  payloadFormatVersion: string;
  authorizationType: 'NONE' | 'JWT';
  authorizer?: LocalJwtAuthorizer;
  authorizationScopes: string[];
}

export interface LocalHttpApi {
  logicalId: string;
  apiId: string;
  name: string;
  stageName: string;
  routes: LocalRoute[];
  throttling?: { rateLimit: number; burstLimit: number };
}

/** `GenerateSecretString` of an `AWS::SecretsManager::Secret`, as CloudFormation reads it. */
export interface LocalGenerateSecretString {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludeLowercase?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeNumbers?: boolean;
  ExcludePunctuation?: boolean;
  IncludeSpace?: boolean;
  RequireEachIncludedType?: boolean;
  SecretStringTemplate?: string;
  GenerateStringKey?: string;
}

export interface LocalSecret {
  logicalId: string;
  name: string;
  arn: string;
  description?: string;
  /** A fixed `SecretString` from the template, if it names one. */
  secretString?: string;
  generate?: LocalGenerateSecretString;
}

/** An `AWS::KMS::Key`: id = logical id, ARN `arn:aws:kms:<region>:000000000000:key/<LogicalId>`. */
export interface LocalKmsKey {
  logicalId: string;
  keyId: string;
  arn: string;
  keySpec: string;
  keyUsage: string;
  description?: string;
}

/** An `AWS::S3::Bucket`: named by its logical id. */
export interface LocalBucket {
  logicalId: string;
  name: string;
  versioned: boolean;
  objectLock: boolean;
  defaultRetention?: { mode: 'COMPLIANCE' | 'GOVERNANCE'; days?: number; years?: number };
}

export interface LocalTemplate {
  tables: LocalTable[];
  functions: LocalFunction[];
  stateMachines: LocalStateMachineDefinition[];
  httpApis: LocalHttpApi[];
  secrets: LocalSecret[];
  eventRules: LocalEventRule[];
  kmsKeys: LocalKmsKey[];
  buckets: LocalBucket[];
  /** The built console, when the template deploys one (infra/constructs/console-site.ts). */
  consoleSite?: string;
}

function ofType(template: CfnTemplate, ...types: string[]): [string, CfnResource][] {
  return Object.entries(template.Resources ?? {}).filter(([, r]) => types.includes(r.Type));
}

/** Resolves only the named properties: others may use intrinsics that mean nothing locally. */
function props(r: Resolver, id: string, ...keys: string[]): Record<string, unknown> {
  const raw = r.resources[id]?.Properties ?? {};
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (raw[key] !== undefined) out[key] = r.resolve(raw[key], `Resources.${id}.Properties.${key}`);
  }
  return out;
}

function readTables(r: Resolver): LocalTable[] {
  return ofType(r.template, 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable').map(
    ([id, res]) => {
      const p = props(
        r,
        id,
        'KeySchema',
        'AttributeDefinitions',
        'BillingMode',
        'ProvisionedThroughput',
        'GlobalSecondaryIndexes',
        'LocalSecondaryIndexes',
        'TimeToLiveSpecification',
        'StreamSpecification',
      );
      const isGlobal = res.Type === 'AWS::DynamoDB::GlobalTable';
      const ttl = p.TimeToLiveSpecification as
        { AttributeName?: string; Enabled?: boolean } | undefined;
      const billingMode =
        p.BillingMode === 'PROVISIONED' || (!isGlobal && p.BillingMode === undefined)
          ? 'PROVISIONED'
          : 'PAY_PER_REQUEST';
      const throughput =
        billingMode === 'PROVISIONED'
          ? ((p.ProvisionedThroughput as LocalTable['provisionedThroughput']) ?? {
              ReadCapacityUnits: 5,
              WriteCapacityUnits: 5,
            })
          : undefined;
      const index = (raw: unknown): LocalIndex => {
        const i = raw as LocalIndex;
        return {
          IndexName: i.IndexName,
          KeySchema: i.KeySchema,
          Projection: i.Projection ?? { ProjectionType: 'ALL' },
          ...(throughput ? { ProvisionedThroughput: i.ProvisionedThroughput ?? throughput } : {}),
        };
      };
      const stream = p.StreamSpecification as { StreamViewType?: string } | undefined;
      return {
        logicalId: id,
        name: id,
        keySchema: p.KeySchema as KeySchemaElement[],
        attributeDefinitions: p.AttributeDefinitions as LocalTable['attributeDefinitions'],
        billingMode,
        ...(throughput ? { provisionedThroughput: throughput } : {}),
        globalSecondaryIndexes: ((p.GlobalSecondaryIndexes as unknown[]) ?? []).map(index),
        localSecondaryIndexes: ((p.LocalSecondaryIndexes as unknown[]) ?? []).map((i) => {
          const { ProvisionedThroughput: _, ...rest } = index(i);
          return rest;
        }),
        ...(ttl?.Enabled && ttl.AttributeName ? { ttlAttribute: ttl.AttributeName } : {}),
        ...(stream?.StreamViewType ? { streamViewType: stream.StreamViewType } : {}),
      };
    },
  );
}

function readFunctions(r: Resolver, cdkOut: string): LocalFunction[] {
  return ofType(r.template, 'AWS::Lambda::Function').map(([id, res]) => {
    const where = `Resources.${id}`;
    const raw = res.Properties ?? {};
    const assetPath = res.Metadata?.['aws:asset:path'];
    const entry = res.Metadata?.['liandong:entry'];
    if (typeof assetPath !== 'string' && typeof entry !== 'string') {
      throw new TemplateError(
        `${where} has neither aws:asset:path nor liandong:entry metadata: no code to run`,
      );
    }
    // Resolve only the properties the runtime needs: Code points at S3 and never runs locally.
    const envVars = (raw.Environment as { Variables?: unknown } | undefined)?.Variables ?? {};
    const environment: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.resolve(envVars, `${where}.Environment`) as object)) {
      environment[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    const logging = r.resolve(raw.LoggingConfig ?? {}, `${where}.LoggingConfig`) as {
      LogGroup?: string;
    };
    const logGroupName =
      logging.LogGroup !== undefined
        ? r.resources[logging.LogGroup]
          ? r.logGroupName(logging.LogGroup)
          : logging.LogGroup
        : `/aws/lambda/${id}`;
    const policy = functionPolicy(r, raw.Role, where);
    return {
      logicalId: id,
      name: id,
      arn: r.functionArn(id),
      handler: r.resolveString(raw.Handler ?? 'index.handler', `${where}.Handler`),
      ...(raw.Runtime ? { runtime: r.resolveString(raw.Runtime, `${where}.Runtime`) } : {}),
      environment,
      ...(typeof assetPath === 'string' ? { assetDir: join(cdkOut, assetPath) } : {}),
      ...(typeof entry === 'string' ? { entry: resolvePath(cdkOut, '..', entry) } : {}),
      timeoutSeconds: Number(r.resolve(raw.Timeout ?? 3, `${where}.Timeout`)),
      memoryMb: Number(r.resolve(raw.MemorySize ?? 128, `${where}.MemorySize`)),
      logGroupName,
      ...(policy ? { policy } : {}),
    };
  });
}

/** The policy of the function's role, when the role is one of this template's. */
function functionPolicy(r: Resolver, role: unknown, where: string): FunctionPolicy | undefined {
  if (role === undefined) return undefined;
  const arn = r.resolveString(role, `${where}.Role`);
  const roleId = /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1];
  if (roleId === undefined || r.resources[roleId]?.Type !== 'AWS::IAM::Role') return undefined;
  return readRolePolicy(r, roleId, r.ctx.region);
}

function readStateMachines(r: Resolver): LocalStateMachineDefinition[] {
  return ofType(r.template, 'AWS::StepFunctions::StateMachine').map(([id, res]) => {
    const where = `Resources.${id}`;
    const raw = res.Properties ?? {};
    const type = raw.StateMachineType ?? 'STANDARD';
    if (type !== 'STANDARD') {
      throw new TemplateError(`${where}: only STANDARD state machines run locally, got ${type}`);
    }
    let definition: object;
    if (raw.Definition !== undefined) {
      definition = r.resolve(raw.Definition, `${where}.Definition`) as object;
    } else {
      let text = r.resolveString(raw.DefinitionString, `${where}.DefinitionString`);
      const subs = r.resolve(raw.DefinitionSubstitutions ?? {}, `${where}.DefinitionSubstitutions`);
      for (const [k, v] of Object.entries(subs as Record<string, unknown>)) {
        text = text.split(`\${${k}}`).join(String(v));
      }
      try {
        definition = JSON.parse(text) as object;
      } catch (err) {
        throw new TemplateError(`${where}.DefinitionString is not JSON: ${(err as Error).message}`);
      }
    }
    return {
      logicalId: id,
      arn: r.stateMachineArn(id),
      name: id,
      definition,
      roleArn: r.resolveString(raw.RoleArn ?? '', `${where}.RoleArn`),
      type: 'STANDARD',
    };
  });
}

const COGNITO_ISSUER = /^https:\/\/cognito-idp\.[^/]+\.amazonaws\.com\/(.+)$/;

function readAuthorizer(r: Resolver, id: string): LocalJwtAuthorizer {
  const p = props(r, id, 'AuthorizerType', 'JwtConfiguration', 'Name', 'IdentitySource');
  const where = `Resources.${id}`;
  if (p.AuthorizerType !== 'JWT') {
    throw new TemplateError(
      `${where}: only JWT authorizers run locally, got ${String(p.AuthorizerType)}`,
    );
  }
  const jwt = (p.JwtConfiguration ?? {}) as { Issuer?: string; Audience?: string[] };
  const poolIds = ofType(r.template, 'AWS::Cognito::UserPool').map(([pid]) => r.userPoolId(pid));
  const match = COGNITO_ISSUER.exec(jwt.Issuer ?? '');
  if (!match || !poolIds.includes(match[1] ?? '')) {
    // Only the template's own user pools can be stood in for by the local issuer.
    throw new TemplateError(
      `${where}: JWT issuer ${jwt.Issuer} is not a user pool of this template; the local issuer cannot sign for it`,
    );
  }
  return {
    logicalId: id,
    name: typeof p.Name === 'string' ? p.Name : id,
    issuer: r.ctx.issuerUrl,
    audience: jwt.Audience ?? [],
    identitySource: (p.IdentitySource as string[] | undefined) ?? ['$request.header.Authorization'],
  };
}

function readHttpApis(r: Resolver): LocalHttpApi[] {
  const apis = ofType(r.template, 'AWS::ApiGatewayV2::Api').filter(
    ([id]) => (props(r, id, 'ProtocolType').ProtocolType ?? 'HTTP') === 'HTTP',
  );
  return apis.map(([apiId]) => {
    const p = props(r, apiId, 'Name');
    const belongs = (id: string) => props(r, id, 'ApiId').ApiId === apiId;
    const stage = ofType(r.template, 'AWS::ApiGatewayV2::Stage').find(([id]) => belongs(id));
    const stageProps = stage ? props(r, stage[0], 'StageName', 'DefaultRouteSettings') : {};
    const settings = stageProps.DefaultRouteSettings as
      { ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number } | undefined;
    const routes = ofType(r.template, 'AWS::ApiGatewayV2::Route')
      .filter(([id]) => belongs(id))
      .map(([id]): LocalRoute => {
        const rp = props(
          r,
          id,
          'RouteKey',
          'Target',
          'AuthorizationType',
          'AuthorizerId',
          'AuthorizationScopes',
        );
        const where = `Resources.${id}`;
        const target = String(rp.Target ?? '');
        const integrationId = target.replace(/^integrations\//, '');
        if (!r.resources[integrationId]) {
          throw new TemplateError(
            `${where}: target ${target} is not an integration of this template`,
          );
        }
        const ip = props(
          r,
          integrationId,
          'IntegrationType',
          'IntegrationUri',
          'PayloadFormatVersion',
        );
        if (ip.IntegrationType !== 'AWS_PROXY') {
          throw new TemplateError(`${where}: only Lambda proxy integrations run locally`);
        }
        const uri = String(ip.IntegrationUri ?? '');
        const functionArn = /arn:aws:lambda:[^:]+:\d+:function:[^/:]+/.exec(uri)?.[0];
        if (!functionArn)
          throw new TemplateError(`${where}: integration ${uri} is not a local function`);
        const authType = String(rp.AuthorizationType ?? 'NONE');
        if (authType !== 'NONE' && authType !== 'JWT') {
          throw new TemplateError(`${where}: authorization type ${authType} does not run locally`);
        }
        return {
          logicalId: id,
          routeKey: String(rp.RouteKey),
          functionArn,
          payloadFormatVersion: String(ip.PayloadFormatVersion ?? '2.0'),
          authorizationType: authType,
          ...(authType === 'JWT' ? { authorizer: readAuthorizer(r, String(rp.AuthorizerId)) } : {}),
          authorizationScopes: (rp.AuthorizationScopes as string[] | undefined) ?? [],
        };
      });
    return {
      logicalId: apiId,
      apiId: apiId.toLowerCase().slice(0, 10),
      name: typeof p.Name === 'string' ? p.Name : apiId,
      stageName: typeof stageProps.StageName === 'string' ? stageProps.StageName : '$default',
      routes,
      ...(settings?.ThrottlingRateLimit !== undefined && settings.ThrottlingBurstLimit !== undefined
        ? {
            throttling: {
              rateLimit: settings.ThrottlingRateLimit,
              burstLimit: settings.ThrottlingBurstLimit,
            },
          }
        : {}),
    };
  });
}

function readSecrets(r: Resolver): LocalSecret[] {
  return ofType(r.template, 'AWS::SecretsManager::Secret').map(([id]) => {
    const p = props(r, id, 'Description', 'SecretString', 'GenerateSecretString');
    return {
      logicalId: id,
      name: r.secretName(id),
      arn: r.secretArn(id),
      ...(typeof p.Description === 'string' ? { description: p.Description } : {}),
      ...(typeof p.SecretString === 'string' ? { secretString: p.SecretString } : {}),
      ...(p.GenerateSecretString
        ? { generate: p.GenerateSecretString as LocalGenerateSecretString }
        : {}),
    };
  });
}

/** Extracts everything the local cloud runs from an already parsed template. */
export function parseTemplate(
  template: CfnTemplate,
  ctx: TemplateContext & { cdkOut: string },
): LocalTemplate {
  const r = new Resolver(template, ctx);
  return {
    tables: readTables(r),
    functions: readFunctions(r, ctx.cdkOut),
    stateMachines: readStateMachines(r),
    httpApis: readHttpApis(r),
    secrets: readSecrets(r),
    eventRules: readEventRules(r),
    kmsKeys: readKmsKeys(r),
    buckets: readBuckets(r),
    ...readConsoleSite(r, ctx.cdkOut),
  };
}

/**
 * The folder of the console's static files in the cloud assembly, named by the `liandong:site`
 * metadata of the console's nested stack (the files its BucketDeployment uploads on AWS).
 */
function readConsoleSite(r: Resolver, cdkOut: string): { consoleSite?: string } {
  for (const resource of Object.values(r.template.Resources ?? {})) {
    const site = resource.Metadata?.['liandong:site'];
    if (typeof site === 'string') return { consoleSite: resolvePath(cdkOut, site) };
  }
  return {};
}

function readKmsKeys(r: Resolver): LocalKmsKey[] {
  return ofType(r.template, 'AWS::KMS::Key').map(([id]) => {
    const p = props(r, id, 'KeySpec', 'KeyUsage', 'Description');
    return {
      logicalId: id,
      keyId: String(r.resolve({ Ref: id }, `Resources.${id}`)),
      arn: String(r.getAtt(id, 'Arn', `Resources.${id}`)),
      keySpec: typeof p.KeySpec === 'string' ? p.KeySpec : 'SYMMETRIC_DEFAULT',
      keyUsage: typeof p.KeyUsage === 'string' ? p.KeyUsage : 'ENCRYPT_DECRYPT',
      ...(typeof p.Description === 'string' ? { description: p.Description } : {}),
    };
  });
}

function readBuckets(r: Resolver): LocalBucket[] {
  return ofType(r.template, 'AWS::S3::Bucket').map(([id]) => {
    const p = props(
      r,
      id,
      'ObjectLockEnabled',
      'ObjectLockConfiguration',
      'VersioningConfiguration',
    );
    const objectLock = p.ObjectLockEnabled === true || p.ObjectLockEnabled === 'true';
    const rule = (
      p.ObjectLockConfiguration as
        | { Rule?: { DefaultRetention?: { Mode?: string; Days?: number; Years?: number } } }
        | undefined
    )?.Rule?.DefaultRetention;
    const versioning = (p.VersioningConfiguration as { Status?: string } | undefined)?.Status;
    return {
      logicalId: id,
      name: String(r.resolve({ Ref: id }, `Resources.${id}`)),
      // Object Lock needs versioning, and S3 turns it on with the lock.
      versioned: objectLock || versioning === 'Enabled',
      objectLock,
      ...(objectLock && rule?.Mode
        ? {
            defaultRetention: {
              mode: rule.Mode === 'GOVERNANCE' ? ('GOVERNANCE' as const) : ('COMPLIANCE' as const),
              ...(rule.Days !== undefined ? { days: Number(rule.Days) } : {}),
              ...(rule.Years !== undefined ? { years: Number(rule.Years) } : {}),
            },
          }
        : {}),
    };
  });
}

/**
 * Rules of the default bus with Lambda targets (input transformers are not supported): an event
 * pattern, or a `rate(...)` schedule.
 */
function readEventRules(r: Resolver): LocalEventRule[] {
  return ofType(r.template, 'AWS::Events::Rule').map(([id]) => {
    const where = `Resources.${id}`;
    const p = props(
      r,
      id,
      'EventPattern',
      'ScheduleExpression',
      'Targets',
      'State',
      'EventBusName',
    );
    if (p.EventBusName !== undefined && p.EventBusName !== 'default') {
      throw new TemplateError(`${where}: only the default event bus runs locally`);
    }
    const schedule =
      p.ScheduleExpression === undefined ? undefined : rateSeconds(p.ScheduleExpression, where);
    if (!p.EventPattern && schedule === undefined) {
      throw new TemplateError(`${where}: only rules with an EventPattern or a rate() run locally`);
    }
    if (p.EventPattern) assertSupportedPattern(p.EventPattern, `${where}.EventPattern`);
    const targets = ((p.Targets ?? []) as Record<string, unknown>[]).map((t, i) => {
      const arn = String(t.Arn);
      if (
        !arn.includes(':lambda:') ||
        t.Input !== undefined ||
        t.InputPath !== undefined ||
        t.InputTransformer !== undefined
      ) {
        throw new TemplateError(
          `${where}.Targets[${i}]: only Lambda targets given the whole event run locally`,
        );
      }
      return arn;
    });
    return {
      logicalId: id,
      ...(p.EventPattern ? { pattern: p.EventPattern as Record<string, unknown> } : {}),
      ...(schedule !== undefined ? { everySeconds: schedule } : {}),
      targets,
      enabled: (p.State ?? 'ENABLED') === 'ENABLED',
    };
  });
}

const RATE_UNITS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

/** `rate(1 hour)`, `rate(5 minutes)`… in seconds; cron() does not run locally. */
function rateSeconds(expression: unknown, where: string): number {
  const m = /^rate\((\d+) (minute|hour|day)s?\)$/.exec(String(expression));
  if (!m)
    throw new TemplateError(
      `${where}: only rate() schedules run locally, got ${String(expression)}`,
    );
  return Number(m[1]) * RATE_UNITS[m[2]!]!;
}

export function templatePath(cdkOut: string, stackName = DEFAULT_STACK_NAME): string {
  return join(cdkOut, `${stackName}.template.json`);
}

export function readTemplateFile(path: string): CfnTemplate {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new TemplateError(`cannot read ${path}: run \`npx cdk synth --quiet\` first`);
  }
  return JSON.parse(text) as CfnTemplate;
}

export function loadTemplate(
  ctx: TemplateContext & { cdkOut: string; stackName?: string },
): LocalTemplate {
  return parseTemplate(readTemplateFile(templatePath(ctx.cdkOut, ctx.stackName)), ctx);
}
