// CloudFormation intrinsics resolved to local names and ARNs: what the template says, with
// this machine's account, region and endpoints in place of AWS's.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_CLIENT_ID = 'liandong-local-client';
export const DEFAULT_STACK_NAME = 'Liandong';
/** The fixed stand-in for the 6 random characters AWS appends to a secret's ARN. */
export const LOCAL_SECRET_SUFFIX = 'local0';

export class TemplateError extends Error {
  override name = 'TemplateError';
}

export class UnsupportedIntrinsicError extends TemplateError {
  override name = 'UnsupportedIntrinsicError';
  constructor(intrinsic: string, where: string, detail?: string) {
    super(
      `unsupported intrinsic ${intrinsic} at ${where}${detail ? `: ${detail}` : ''} ` +
        '(the local cloud resolves Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, ' +
        'Fn::If, Fn::FindInMap for the resource types it knows)',
    );
  }
}

export interface TemplateContext {
  region: string;
  /** The local JWT issuer that replaces every Cognito user pool issuer. */
  issuerUrl: string;
  clientId?: string;
  stackName?: string;
  /** The local HTTP API base URL, if known (for `ApiEndpoint`). */
  apiUrl?: string;
  /** The cloud assembly, for the outputs of nested stacks the template reads. */
  cdkOut?: string;
}

export interface CfnTemplate {
  Resources?: Record<string, CfnResource>;
  Parameters?: Record<string, { Default?: unknown; Type?: string }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

const NO_VALUE = Symbol('AWS::NoValue');

/** Resolves intrinsics of one template against the local context. */
export class Resolver {
  readonly resources: Record<string, CfnResource>;
  readonly clientId: string;

  constructor(
    readonly template: CfnTemplate,
    readonly ctx: TemplateContext,
  ) {
    this.resources = template.Resources ?? {};
    this.clientId = ctx.clientId ?? LOCAL_CLIENT_ID;
  }

  arn(service: string, resource: string): string {
    return `arn:aws:${service}:${this.ctx.region}:${LOCAL_ACCOUNT_ID}:${resource}`;
  }

  functionArn(logicalId: string): string {
    return this.arn('lambda', `function:${logicalId}`);
  }

  stateMachineArn(logicalId: string): string {
    return this.arn('states', `stateMachine:${logicalId}`);
  }

  /** Secrets Manager appends 6 random characters to a secret's name in its ARN; locally fixed. */
  secretArn(logicalId: string): string {
    return this.arn(
      'secretsmanager',
      `secret:${this.secretName(logicalId)}-${LOCAL_SECRET_SUFFIX}`,
    );
  }

  /** The secret's `Name` property, or (no physical name, as the project's rule is) its logical id. */
  secretName(logicalId: string): string {
    const name = this.resources[logicalId]?.Properties?.Name;
    return name === undefined
      ? logicalId
      : this.resolveString(name, `Resources.${logicalId}.Properties.Name`);
  }

  userPoolId(logicalId: string): string {
    return `${this.ctx.region}_${logicalId}`;
  }

  /** Local stand-in for a user pool's ProviderURL; the authorizer maps it to the local issuer. */
  providerUrl(logicalId: string): string {
    return `cognito-idp.${this.ctx.region}.amazonaws.com/${this.userPoolId(logicalId)}`;
  }

  resolve(value: unknown, where: string): unknown {
    const out = this.resolveInner(value, where);
    return out === NO_VALUE ? undefined : out;
  }

  resolveString(value: unknown, where: string): string {
    const out = this.resolve(value, where);
    if (typeof out === 'string') return out;
    if (typeof out === 'number' || typeof out === 'boolean') return String(out);
    throw new TemplateError(`expected a string at ${where}, got ${JSON.stringify(out)}`);
  }

  private resolveInner(value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value
        .map((v, i) => this.resolveInner(v, `${where}[${i}]`))
        .filter((v) => v !== NO_VALUE);
    }
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value as Record<string, unknown>);
    const first = entries[0];
    if (entries.length === 1 && first && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) {
      return this.intrinsic(first[0], first[1], where);
    }
    if (entries.length === 1 && first && first[0] === 'Condition') {
      return this.condition(this.resolveString(first[1], where), where);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries) {
      const r = this.resolveInner(v, `${where}.${k}`);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private intrinsic(name: string, arg: unknown, where: string): unknown {
    switch (name) {
      case 'Ref':
        return this.ref(this.resolveString(arg, where), where);
      case 'Fn::GetAtt': {
        const [id, attr] = Array.isArray(arg)
          ? [this.resolveString(arg[0], where), this.resolveString(arg[1], where)]
          : (String(arg).split(/\.(.*)/s) as [string, string]);
        return this.getAtt(id, attr, where);
      }
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2)
          throw new TemplateError(`bad Fn::Join at ${where}`);
        const parts = this.resolveInner(arg[1], where);
        if (!Array.isArray(parts)) throw new TemplateError(`Fn::Join needs a list at ${where}`);
        return parts.map((p, i) => this.resolveString(p, `${where}[${i}]`)).join(String(arg[0]));
      }
      case 'Fn::Sub':
        return this.sub(arg, where);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2)
          throw new TemplateError(`bad Fn::Select at ${where}`);
        const index = Number(this.resolve(arg[0], where));
        const list = this.resolveInner(arg[1], where);
        if (!Array.isArray(list) || !(index in list)) {
          throw new TemplateError(`Fn::Select index ${index} out of range at ${where}`);
        }
        return list[index];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2)
          throw new TemplateError(`bad Fn::Split at ${where}`);
        return this.resolveString(arg[1], where).split(String(arg[0]));
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3)
          throw new TemplateError(`bad Fn::If at ${where}`);
        return this.condition(String(arg[0]), where)
          ? this.resolveInner(arg[1], where)
          : this.resolveInner(arg[2], where);
      }
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2)
          throw new TemplateError(`bad Fn::Equals at ${where}`);
        return (
          JSON.stringify(this.resolve(arg[0], where)) ===
          JSON.stringify(this.resolve(arg[1], where))
        );
      }
      case 'Fn::Not':
        return !this.truthy(Array.isArray(arg) ? arg[0] : arg, where);
      case 'Fn::And':
        return (arg as unknown[]).every((c) => this.truthy(c, where));
      case 'Fn::Or':
        return (arg as unknown[]).some((c) => this.truthy(c, where));
      case 'Fn::FindInMap': {
        const [map, top, second] = (arg as unknown[]).map((a) => this.resolveString(a, where));
        const found = this.template.Mappings?.[map ?? '']?.[top ?? '']?.[second ?? ''];
        if (found === undefined) throw new TemplateError(`Fn::FindInMap found nothing at ${where}`);
        return found;
      }
      default:
        throw new UnsupportedIntrinsicError(name, where);
    }
  }

  private truthy(value: unknown, where: string): boolean {
    return this.resolve(value, where) === true;
  }

  private condition(name: string, where: string): boolean {
    const cond = this.template.Conditions?.[name];
    if (cond === undefined) throw new TemplateError(`unknown condition ${name} at ${where}`);
    return this.truthy(cond, `Conditions.${name}`);
  }

  private sub(arg: unknown, where: string): string {
    const [text, vars] = Array.isArray(arg)
      ? [String(arg[0]), (arg[1] ?? {}) as Record<string, unknown>]
      : [String(arg), {}];
    return text.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      if (inner in vars) return this.resolveString(vars[inner], `${where}.${inner}`);
      const dot = inner.indexOf('.');
      if (dot > 0 && !inner.startsWith('AWS::')) {
        return this.resolveString(
          this.getAtt(inner.slice(0, dot), inner.slice(dot + 1), where),
          where,
        );
      }
      const ref = this.ref(inner, where);
      if (ref === NO_VALUE) throw new TemplateError(`${whole} has no value at ${where}`);
      return String(ref);
    });
  }

  ref(id: string, where: string): unknown {
    switch (id) {
      case 'AWS::Region':
        return this.ctx.region;
      case 'AWS::AccountId':
        return LOCAL_ACCOUNT_ID;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.ctx.stackName ?? DEFAULT_STACK_NAME;
      case 'AWS::StackId':
        return this.arn(
          'cloudformation',
          `stack/${this.ctx.stackName ?? DEFAULT_STACK_NAME}/local`,
        );
      case 'AWS::NoValue':
        return NO_VALUE;
    }
    const param = this.template.Parameters?.[id];
    if (param) {
      if (param.Default === undefined)
        throw new TemplateError(`parameter ${id} has no default (${where})`);
      return param.Default;
    }
    const res = this.resources[id];
    if (!res) throw new TemplateError(`Ref to unknown resource ${id} at ${where}`);
    switch (res.Type) {
      case 'AWS::StepFunctions::StateMachine':
        return this.stateMachineArn(id);
      case 'AWS::Cognito::UserPool':
        return this.userPoolId(id);
      case 'AWS::Cognito::UserPoolClient':
        return this.clientId;
      case 'AWS::SNS::Topic':
        return this.arn('sns', id);
      case 'AWS::SecretsManager::Secret':
        return this.secretArn(id);
      case 'AWS::SES::EmailIdentity':
        // As on AWS: the address or domain (policies name the identity's ARN by it).
        return this.resolveString(res.Properties?.EmailIdentity, `Resources.${id}.EmailIdentity`);
      default:
        // Table, function, log group, role, configuration set...: the logical id is the name.
        return id;
    }
  }

  /** A nested stack's output that is the Ref of one of its app clients: the local client id. */
  private nestedOutput(id: string, name: string): string | undefined {
    const file = this.resources[id]?.Metadata?.['aws:asset:path'];
    if (typeof file !== 'string' || !this.ctx.cdkOut) return undefined;
    const nested = JSON.parse(readFileSync(join(this.ctx.cdkOut, file), 'utf8')) as CfnTemplate & {
      Outputs?: Record<string, { Value?: unknown }>;
    };
    const ref = (nested.Outputs?.[name]?.Value as { Ref?: unknown } | undefined)?.Ref;
    if (typeof ref !== 'string') return undefined;
    return nested.Resources?.[ref]?.Type === 'AWS::Cognito::UserPoolClient'
      ? this.clientId
      : undefined;
  }

  getAtt(id: string, attr: string, where: string): unknown {
    const res = this.resources[id];
    if (!res) throw new TemplateError(`Fn::GetAtt of unknown resource ${id} at ${where}`);
    const unsupported = () =>
      new UnsupportedIntrinsicError(`Fn::GetAtt [${id}, ${attr}]`, where, `type ${res.Type}`);
    switch (res.Type) {
      case 'AWS::Lambda::Function':
        if (attr === 'Arn') return this.functionArn(id);
        throw unsupported();
      case 'AWS::StepFunctions::StateMachine':
        if (attr === 'Arn') return this.stateMachineArn(id);
        if (attr === 'Name') return id;
        throw unsupported();
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
        if (attr === 'Arn') return this.arn('dynamodb', `table/${id}`);
        if (attr === 'StreamArn') return this.arn('dynamodb', `table/${id}/stream/local`);
        throw unsupported();
      case 'AWS::Cognito::UserPool':
        if (attr === 'Arn') return this.arn('cognito-idp', `userpool/${this.userPoolId(id)}`);
        if (attr === 'ProviderURL') return this.providerUrl(id);
        if (attr === 'ProviderName') return this.providerUrl(id);
        if (attr === 'UserPoolId') return this.userPoolId(id);
        throw unsupported();
      case 'AWS::Cognito::UserPoolClient':
        if (attr === 'ClientId') return this.clientId;
        throw unsupported();
      case 'AWS::CloudFormation::Stack': {
        // Nested stacks do not run locally (the console's is static files the local API serves);
        // of their outputs only an app client's id means anything here: the local issuer's.
        const output = attr.startsWith('Outputs.')
          ? this.nestedOutput(id, attr.slice(8))
          : undefined;
        if (output) return output;
        throw unsupported();
      }
      case 'AWS::IAM::Role':
        if (attr === 'Arn') return `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${id}`;
        if (attr === 'RoleId') return id;
        throw unsupported();
      case 'AWS::Logs::LogGroup':
        if (attr === 'Arn') return this.arn('logs', `log-group:${this.logGroupName(id)}:*`);
        throw unsupported();
      case 'AWS::ApiGatewayV2::Api':
        if (attr === 'ApiId') return id;
        if (attr === 'ApiEndpoint' && this.ctx.apiUrl) return this.ctx.apiUrl;
        throw unsupported();
      case 'AWS::SecretsManager::Secret':
        if (attr === 'Id') return this.secretArn(id);
        throw unsupported();
      case 'AWS::KMS::Key':
        if (attr === 'Arn') return this.arn('kms', `key/${id}`);
        if (attr === 'KeyId') return id;
        throw unsupported();
      case 'AWS::S3::Bucket':
        // Bucket ARNs name neither region nor account.
        if (attr === 'Arn') return `arn:aws:s3:::${id}`;
        throw unsupported();
      case 'AWS::SNS::Topic':
        if (attr === 'TopicArn') return this.arn('sns', id);
        if (attr === 'TopicName') return id;
        throw unsupported();
      default:
        throw unsupported();
    }
  }

  logGroupName(id: string): string {
    const name = this.resources[id]?.Properties?.LogGroupName;
    return name === undefined ? id : this.resolveString(name, `Resources.${id}.LogGroupName`);
  }
}
