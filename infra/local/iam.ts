// Each function's IAM policy, read from the template, and the decision IAM would take on one of
// its AWS calls. The local runtime asks before every SDK call (iam-hook.ts), so a call the
// function's role does not allow fails here as it would on AWS, instead of passing silently.
import { executionOfToken } from './stepfunctions/tokens';
import { LOCAL_ACCOUNT_ID, LOCAL_SECRET_SUFFIX, TemplateError, type Resolver } from './intrinsics';

/** Matches any resource: a policy resource the local resolver cannot resolve. */
export const UNRESOLVED = Symbol('unresolved resource');
export type ResourcePattern = string | typeof UNRESOLVED;

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources?: ResourcePattern[];
  notResources?: ResourcePattern[];
  /** Conditions are not evaluated locally (see `decide`). */
  conditional: boolean;
  /** Where the statement comes from, for messages. */
  source: string;
}

export interface FunctionPolicy {
  roleLogicalId: string;
  roleArn: string;
  /** The role's name as it appears in an assumed-role ARN (locally its logical id). */
  roleName: string;
  statements: PolicyStatement[];
}

/** One authorization IAM performs for a call: an action on one resource. */
export interface IamCheck {
  action: string;
  /**
   * ARNs that name the same resource (e.g. a state machine by its local name and by the name
   * CloudFormation generates on AWS): the check passes when any is allowed. Absent when the
   * request does not tell the resource locally: then only the action is matched.
   */
  resource?: string[];
}

export class LocalIamConfigError extends Error {
  override name = 'LocalIamConfigError';
}

/**
 * What IAM answers when no policy allows a call. `name` and `$fault` are those of the SDK's
 * AccessDeniedException, so code that tells errors apart by name sees what it would on AWS.
 */
export class AccessDeniedError extends Error {
  override name = 'AccessDeniedException';
  readonly $fault = 'client';
  readonly $metadata = { httpStatusCode: 400 };
  constructor(
    message: string,
    readonly functionName: string,
    readonly check: IamCheck,
  ) {
    super(message);
  }
}

/** `LIANDONG_LOCAL_IAM=off` turns enforcement off; on by default. */
export function localIamEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.LIANDONG_LOCAL_IAM ?? 'on';
  if (value !== 'on' && value !== 'off') {
    throw new LocalIamConfigError(`LIANDONG_LOCAL_IAM must be "on" or "off", not "${value}"`);
  }
  return value === 'on';
}

// AWS managed policies are not in the template. Only those a Lambda role of this kind carries are
// known; an unknown one fails loudly rather than silently granting or denying.
const MANAGED_POLICIES: Record<string, { Action: string[]; Resource: string }[]> = {
  'service-role/AWSLambdaBasicExecutionRole': [
    {
      Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: '*',
    },
  ],
  AWSXRayDaemonWriteAccess: [
    {
      Action: [
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'xray:GetSamplingStatisticSummaries',
      ],
      Resource: '*',
    },
  ],
};

const asList = <T>(value: T | T[] | undefined): T[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

/**
 * The local cloud is one account in one region: a policy ARN naming the account or region it was
 * synthesized for (the template has `arn:aws:ses:us-east-1:…` when synthesized there) is read as
 * naming the local ones. Wildcards in those fields stay as they are.
 */
export function localizeArn(pattern: string, region: string): string {
  if (!pattern.startsWith('arn:')) return pattern;
  const parts = pattern.split(':');
  if (parts.length < 6) return pattern;
  const [, , , arnRegion, account] = parts;
  if (arnRegion && !/[*?]/.test(arnRegion)) parts[3] = region;
  if (account && /^\d{12}$/.test(account)) parts[4] = LOCAL_ACCOUNT_ID;
  return parts.join(':');
}

function readStatements(
  r: Resolver,
  document: unknown,
  source: string,
  region: string,
): PolicyStatement[] {
  const doc = document as { Statement?: unknown };
  const statements = asList(doc.Statement as Record<string, unknown> | Record<string, unknown>[]);
  return (statements ?? []).map((raw, i) => {
    const where = `${source}.Statement[${i}]`;
    const strings = (key: string): string[] | undefined =>
      asList(raw[key] as unknown)?.map((v, j) => r.resolveString(v, `${where}.${key}[${j}]`));
    const patterns = (key: string): ResourcePattern[] | undefined =>
      asList(raw[key] as unknown)?.map((v, j) => {
        try {
          return localizeArn(r.resolveString(v, `${where}.${key}[${j}]`), region);
        } catch (err) {
          // A resource the local resolver cannot name (an attribute of a type it does not
          // know): the statement is matched on its action only for this resource, which can
          // only let through what AWS might deny, never deny what AWS allows.
          if (err instanceof TemplateError) return UNRESOLVED;
          throw err;
        }
      });
    const effect = r.resolve(raw.Effect, `${where}.Effect`);
    if (effect !== 'Allow' && effect !== 'Deny') {
      throw new TemplateError(`${where}: Effect must be Allow or Deny, got ${String(effect)}`);
    }
    const actions = strings('Action');
    const notActions = strings('NotAction');
    const resources = patterns('Resource');
    const notResources = patterns('NotResource');
    return {
      effect,
      ...(actions ? { actions } : {}),
      ...(notActions ? { notActions } : {}),
      ...(resources ? { resources } : {}),
      ...(notResources ? { notResources } : {}),
      conditional: raw.Condition !== undefined,
      source: where,
    };
  });
}

/** The role's inline policies, the `AWS::IAM::Policy`s attached to it and its managed policies. */
export function readRolePolicy(r: Resolver, roleLogicalId: string, region: string): FunctionPolicy {
  const role = r.resources[roleLogicalId];
  if (role?.Type !== 'AWS::IAM::Role') {
    throw new TemplateError(`${roleLogicalId} is not an AWS::IAM::Role of this template`);
  }
  const where = `Resources.${roleLogicalId}`;
  const statements: PolicyStatement[] = [];
  const inline = (role.Properties?.Policies ?? []) as { PolicyDocument?: unknown }[];
  inline.forEach((p, i) =>
    statements.push(...readStatements(r, p.PolicyDocument, `${where}.Policies[${i}]`, region)),
  );
  for (const [id, res] of Object.entries(r.resources)) {
    if (res.Type !== 'AWS::IAM::Policy' && res.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const roles = (r.resolve(res.Properties?.Roles ?? [], `Resources.${id}.Roles`) ??
      []) as unknown[];
    if (!roles.includes(roleLogicalId)) continue;
    statements.push(
      ...readStatements(
        r,
        res.Properties?.PolicyDocument,
        `Resources.${id}.PolicyDocument`,
        region,
      ),
    );
  }
  const managed = (r.resolve(
    role.Properties?.ManagedPolicyArns ?? [],
    `${where}.ManagedPolicyArns`,
  ) ?? []) as string[];
  for (const arn of managed) {
    const own = r.resources[arn];
    if (own?.Type === 'AWS::IAM::ManagedPolicy') {
      // Ref of a template's managed policy: its statements are read above when it names the
      // role in `Roles`, and here when the role names it.
      const roles = (r.resolve(own.Properties?.Roles ?? [], `Resources.${arn}.Roles`) ??
        []) as unknown[];
      if (!roles.includes(roleLogicalId)) {
        statements.push(
          ...readStatements(r, own.Properties?.PolicyDocument, `Resources.${arn}`, region),
        );
      }
      continue;
    }
    const name = /^arn:[^:]+:iam::aws:policy\/(.+)$/.exec(arn)?.[1];
    const known = name === undefined ? undefined : MANAGED_POLICIES[name];
    if (!known) {
      throw new TemplateError(
        `${where}: the local cloud does not know the statements of managed policy ${arn}; ` +
          'add them to MANAGED_POLICIES in infra/local/iam.ts',
      );
    }
    statements.push(
      ...known.map((s): PolicyStatement => ({
        effect: 'Allow',
        actions: s.Action,
        resources: [s.Resource],
        conditional: false,
        source: arn,
      })),
    );
  }
  return {
    roleLogicalId,
    roleArn: `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${roleLogicalId}`,
    roleName: roleLogicalId,
    statements,
  };
}

const compiled = new Map<string, RegExp>();

/** IAM's wildcards: `*` any run of characters (`:` and `/` included), `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, ignoreCase ? 'is' : 's');
    compiled.set(key, re);
  }
  return re.test(value);
}

function matchesAction(s: PolicyStatement, action: string): boolean {
  // Action names are case-insensitive in IAM.
  if (s.actions) return s.actions.some((p) => wildcardMatch(p, action, true));
  if (s.notActions) return !s.notActions.some((p) => wildcardMatch(p, action, true));
  return false;
}

function patternMatches(s: PolicyStatement, p: ResourcePattern, resource: string[]): boolean {
  // An unresolved resource lets an Allow match on its action only, but never makes a Deny match.
  if (p === UNRESOLVED) return s.effect === 'Allow';
  return resource.some((arn) => wildcardMatch(p, arn, false));
}

function matchesResource(s: PolicyStatement, resource: string[] | undefined): boolean {
  if (resource === undefined) {
    // The request does not tell its resource locally: an Allow matches on its action; a Deny
    // only when it covers every resource, so an unknown resource is never denied by guesswork.
    if (s.effect === 'Allow') return true;
    return (s.resources ?? []).includes('*');
  }
  if (s.resources) return s.resources.some((p) => patternMatches(s, p, resource));
  if (s.notResources) return !s.notResources.some((p) => patternMatches(s, p, resource));
  return false;
}

export type Decision = 'allow' | 'implicit-deny' | 'explicit-deny';

/**
 * IAM's identity-policy evaluation for one check: an explicit Deny wins, else an Allow is needed.
 * Conditions are not evaluated: a conditional Allow counts as allowing (it can only let through
 * what AWS might deny) and a conditional Deny is ignored for the same reason.
 */
export function decide(policy: FunctionPolicy, check: IamCheck): Decision {
  let allowed = false;
  for (const s of policy.statements) {
    if (!matchesAction(s, check.action) || !matchesResource(s, check.resource)) continue;
    if (s.effect === 'Deny') {
      if (!s.conditional) return 'explicit-deny';
    } else {
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** SDK client class name → the service's IAM prefix. */
const SERVICE_PREFIX: Record<string, string> = {
  DynamoDBClient: 'dynamodb',
  DynamoDBStreamsClient: 'dynamodb',
  SFNClient: 'states',
  SESClient: 'ses',
  SESv2Client: 'ses',
  SecretsManagerClient: 'secretsmanager',
  LambdaClient: 'lambda',
  EventBridgeClient: 'events',
  CloudWatchLogsClient: 'logs',
  CloudWatchClient: 'cloudwatch',
  XRayClient: 'xray',
  SNSClient: 'sns',
  SQSClient: 'sqs',
  S3Client: 's3',
  KMSClient: 'kms',
  SSMClient: 'ssm',
  STSClient: 'sts',
  CognitoIdentityProviderClient: 'cognito-idp',
};

/** Operations whose IAM action is not named after them. */
const ACTION_OF_OPERATION: Record<string, string> = {
  'lambda:Invoke': 'lambda:InvokeFunction',
  'lambda:InvokeWithResponseStream': 'lambda:InvokeFunction',
  'lambda:InvokeAsync': 'lambda:InvokeFunction',
};

export interface CallContext {
  region: string;
}

type Input = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Locally a state machine is named by its logical id; on AWS CloudFormation names it
 * `<logicalId>-<random>`, and a policy may name it by that pattern (infra/liandong-stack.ts does,
 * to avoid a dependency cycle). Both spellings of the ARN are checked.
 */
const GENERATED_NAME_SUFFIX = 'LocalGenerated';

function stateMachineArns(arn: string): string[] {
  const m = /^(arn:[^:]+:states:[^:]*:[^:]*:(?:stateMachine|execution):)([^:]+)(.*)$/.exec(arn);
  return m ? [arn, `${m[1]}${m[2]}-${GENERATED_NAME_SUFFIX}${m[3]}`] : [arn];
}

function dynamodbChecks(op: string, input: Input, arn: (r: string) => string): IamCheck[] {
  const table = (name: unknown): string[] | undefined => {
    const t = str(name);
    return t === undefined ? undefined : [t.startsWith('arn:') ? t : arn(`table/${t}`)];
  };
  const on = (action: string, resource: string[] | undefined): IamCheck => ({
    action: `dynamodb:${action}`,
    ...(resource ? { resource } : {}),
  });
  switch (op) {
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((input.RequestItems ?? {}) as object).map((t) => on(op, table(t)));
    case 'TransactWriteItems':
    case 'TransactGetItems': {
      // IAM has no Transact* actions: it authorizes each item's own action on its table.
      const items = (input.TransactItems ?? []) as Record<string, { TableName?: unknown }>[];
      const actionOf: Record<string, string> = {
        Put: 'PutItem',
        Update: 'UpdateItem',
        Delete: 'DeleteItem',
        ConditionCheck: 'ConditionCheckItem',
        Get: 'GetItem',
      };
      return items.flatMap((item) =>
        Object.entries(item).flatMap(([kind, body]) => {
          const action = actionOf[kind];
          return action ? [on(action, table(body?.TableName))] : [];
        }),
      );
    }
    case 'Query':
    case 'Scan': {
      const t = table(input.TableName);
      const index = str(input.IndexName);
      return [on(op, t && index ? [`${t[0]}/index/${index}`] : t)];
    }
    case 'ListTables':
    case 'DescribeLimits':
    case 'DescribeEndpoints':
      return [on(op, ['*'])];
    default:
      return [on(op, table(input.TableName))];
  }
}

function statesChecks(op: string, input: Input): IamCheck[] {
  const on = (resource: string | undefined): IamCheck => ({
    action: `states:${op}`,
    ...(resource ? { resource: stateMachineArns(resource) } : {}),
  });
  switch (op) {
    case 'SendTaskSuccess':
    case 'SendTaskFailure':
    case 'SendTaskHeartbeat': {
      // AWS authorizes a task token's callback on the state machine that issued it; the local
      // service's tokens name their execution, hence their state machine.
      let machine: string | undefined;
      try {
        machine = executionOfToken(input.taskToken)
          .replace(':execution:', ':stateMachine:')
          .replace(/^(arn:[^:]+:states:[^:]*:[^:]*:stateMachine:[^:]+):.*$/, '$1');
      } catch {
        // Not a token of the local service: the service itself answers InvalidToken.
      }
      return [on(machine)];
    }
    case 'ListStateMachines':
    case 'ListActivities':
      return [{ action: `states:${op}`, resource: ['*'] }];
    default:
      return [on(str(input.executionArn) ?? str(input.stateMachineArn))];
  }
}

/** The address in `Name <address>` or a bare address. */
function addressOf(source: string): string {
  return (/<([^<>]+)>\s*$/.exec(source)?.[1] ?? source).trim();
}

function sesChecks(op: string, input: Input, arn: (r: string) => string): IamCheck[] {
  const action = `ses:${op}`;
  if (!/^Send/.test(op)) return [{ action }];
  const checks: IamCheck[] = [];
  const identityArn = str(input.SourceArn) ?? str(input.FromEmailAddressIdentityArn);
  const from = str(input.Source) ?? str(input.FromEmailAddress);
  if (identityArn) checks.push({ action, resource: [identityArn] });
  else if (from) {
    // SES authorizes the identity the mail is sent from: the address, or its domain when the
    // domain is the verified identity.
    const address = addressOf(from);
    const domain = address.slice(address.lastIndexOf('@') + 1);
    checks.push({ action, resource: [arn(`identity/${address}`), arn(`identity/${domain}`)] });
  } else checks.push({ action });
  const configurationSet = str(input.ConfigurationSetName);
  if (configurationSet) {
    checks.push({ action, resource: [arn(`configuration-set/${configurationSet}`)] });
  }
  return checks;
}

function secretsChecks(op: string, input: Input, arn: (r: string) => string): IamCheck[] {
  const action = `secretsmanager:${op}`;
  if (op === 'ListSecrets' || op === 'GetRandomPassword') return [{ action, resource: ['*'] }];
  const id = str(input.SecretId);
  if (!id) return [{ action }];
  // By name, IAM still sees the secret's full ARN (its name plus the random suffix).
  return [
    { action, resource: [id.startsWith('arn:') ? id : arn(`secret:${id}-${LOCAL_SECRET_SUFFIX}`)] },
  ];
}

function kmsChecks(op: string, input: Input, arn: (r: string) => string): IamCheck[] {
  const action = `kms:${op}`;
  if (op === 'ListKeys' || op === 'ListAliases' || op === 'CreateKey')
    return [{ action, resource: ['*'] }];
  const id = str(input.KeyId);
  if (!id) return [{ action }];
  // IAM sees the key's ARN (a key id or an alias name is turned into one).
  return [
    {
      action,
      resource: [id.startsWith('arn:') ? id : arn(id.startsWith('alias/') ? id : `key/${id}`)],
    },
  ];
}

/** S3's actions are not all named after their operations, and a version is its own action. */
function s3Checks(op: string, input: Input): IamCheck[] {
  const bucket = str(input.Bucket);
  const key = str(input.Key);
  const versioned = str(input.VersionId) !== undefined;
  const bucketArn = bucket ? [`arn:aws:s3:::${bucket}`] : undefined;
  const objectArn = bucket && key ? [`arn:aws:s3:::${bucket}/${key}`] : undefined;
  const on = (action: string, resource: string[] | undefined): IamCheck[] => [
    { action: `s3:${action}`, ...(resource ? { resource } : {}) },
  ];
  switch (op) {
    case 'PutObject':
      return on('PutObject', objectArn);
    case 'GetObject':
    case 'HeadObject':
      return on(versioned ? 'GetObjectVersion' : 'GetObject', objectArn);
    case 'DeleteObject':
      return on(versioned ? 'DeleteObjectVersion' : 'DeleteObject', objectArn);
    case 'ListObjects':
    case 'ListObjectsV2':
      return on('ListBucket', bucketArn);
    case 'ListObjectVersions':
      return on('ListBucketVersions', bucketArn);
    case 'ListBuckets':
      return on('ListAllMyBuckets', ['*']);
    default:
      return on(op, objectArn ?? bucketArn);
  }
}

/** The checks IAM makes for one SDK call (`client` is the SDK client's class name). */
export function checksForCall(
  client: string,
  operation: string,
  input: Input,
  ctx: CallContext,
): IamCheck[] {
  const prefix = SERVICE_PREFIX[client];
  if (!prefix) {
    throw new LocalIamConfigError(
      `the local IAM check does not know the service of ${client}; add it to SERVICE_PREFIX in infra/local/iam.ts`,
    );
  }
  const arn = (resource: string) =>
    `arn:aws:${prefix}:${ctx.region}:${LOCAL_ACCOUNT_ID}:${resource}`;
  switch (prefix) {
    case 'dynamodb':
      return dynamodbChecks(operation, input, arn);
    case 'states':
      return statesChecks(operation, input);
    case 'ses':
      return sesChecks(operation, input, arn);
    case 'secretsmanager':
      return secretsChecks(operation, input, arn);
    case 'kms':
      return kmsChecks(operation, input, arn);
    case 's3':
      return s3Checks(operation, input);
    case 'lambda': {
      const action = ACTION_OF_OPERATION[`lambda:${operation}`] ?? `lambda:${operation}`;
      const name = str(input.FunctionName);
      if (!name) return [{ action }];
      const fnArn = name.startsWith('arn:') ? name : arn(`function:${name}`);
      const qualifier = str(input.Qualifier);
      return [{ action, resource: [qualifier ? `${fnArn}:${qualifier}` : fnArn] }];
    }
    case 'events':
      if (operation === 'PutEvents') {
        const entries = (input.Entries ?? []) as { EventBusName?: unknown }[];
        const buses = new Set(entries.map((e) => str(e.EventBusName) ?? 'default'));
        return [...buses].map((bus) => ({
          action: 'events:PutEvents',
          resource: [bus.startsWith('arn:') ? bus : arn(`event-bus/${bus}`)],
        }));
      }
      return [{ action: `events:${operation}` }];
    default:
      // A service the local cloud does not serve: the action is checked, its resource is not.
      return [
        { action: ACTION_OF_OPERATION[`${prefix}:${operation}`] ?? `${prefix}:${operation}` },
      ];
  }
}

/** The first check the policy does not allow, with AWS's message for it. */
export function denialOf(
  policy: FunctionPolicy,
  functionName: string,
  checks: IamCheck[],
): AccessDeniedError | undefined {
  for (const check of checks) {
    const decision = decide(policy, check);
    if (decision === 'allow') continue;
    const resource = check.resource?.[0] ?? '*';
    const why =
      decision === 'explicit-deny'
        ? 'with an explicit deny in an identity-based policy'
        : `because no identity-based policy allows the ${check.action} action`;
    return new AccessDeniedError(
      `User: arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/${policy.roleName}/${functionName} ` +
        `is not authorized to perform: ${check.action} on resource: ${resource} ${why}`,
      functionName,
      check,
    );
  }
  return undefined;
}
