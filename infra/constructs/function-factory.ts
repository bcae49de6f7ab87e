import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { z } from 'zod';
import { routeParts, type RouteContract } from '../../functions/shared/http/contract';
import { grantSendEmail, type MailSender } from './grants';
import type { LiandongHttpApi } from './http-api';
import { ProjectFunction, type ProjectFunctionProps } from './project-function';

/** DynamoDB actions, by what a function does with the table (and its indexes). */
export const TABLE_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/** A transaction of conditional writes: an item, its audit event, the checks on others. */
export const TABLE_UPDATE = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:ConditionCheckItem',
];

/**
 * An API route a function serves: `[route id, contract]`, the contract from the area's
 * `routes.ts` (its route key, and for the few pages opened from an emailed link or a QR code,
 * why the route is public).
 */
export type FunctionRoute = readonly [routeId: string, contract: RouteContract];

/** The method, path and public reason of a route the function serves. */
const routeOf = ([, contract]: FunctionRoute) => {
  const { method, path } = routeParts(contract.route);
  if (contract.roles === 'public' && !contract.publicReason) {
    throw new Error(`${contract.route} is public: its contract must say why (publicReason)`);
  }
  return {
    method: method as apigwv2.HttpMethod,
    path,
    publicReason: contract.roles === 'public' ? contract.publicReason : undefined,
  };
};

/** The variables a function needs besides `TABLE_NAME`, which the factory gives every function. */
type ExtraEnvironment<Schema extends z.core.$ZodObject> = Omit<z.input<Schema>, 'TABLE_NAME'>;

/** `environment` is required only when the schema asks for more than the table's name. */
type EnvironmentProp<Schema extends z.core.$ZodObject> =
  Record<string, never> extends ExtraEnvironment<Schema>
    ? { readonly environment?: ExtraEnvironment<Schema> }
    : { readonly environment: ExtraEnvironment<Schema> };

export type FunctionSpec<Schema extends z.core.$ZodObject> = Omit<
  ProjectFunctionProps<Schema>,
  'environment' | 'logRetention'
> &
  EnvironmentProp<Schema> & {
    /** The DynamoDB actions it may take on the table and its indexes; none: no table access. */
    readonly tableActions?: readonly string[];
    /** The secrets it reads at run time (their ARNs are in its environment, never the values). */
    readonly readsSecrets?: readonly secretsmanager.ISecret[];
    /** It sends email from the sender identity (`calendar`: also raw MIME with an `.ics`). */
    readonly sendsEmail?: { readonly calendar?: boolean };
    /**
     * What it may do with a state machine's executions: start them, end their human steps
     * (`grantTaskResponse`), the execution-level actions named (`grantExecution`).
     */
    readonly stateMachine?: StateMachineGrants;
    /**
     * More statements for its role, for what no grant above says: a Query on named indexes
     * only, one action of a state machine.
     */
    readonly rolePolicy?: readonly iam.PolicyStatementProps[];
    /** The API routes it serves, in the order they are added. */
    readonly routes?: readonly FunctionRoute[];
  };

export interface StateMachineGrants {
  readonly machine: sfn.IStateMachine;
  readonly startExecution?: boolean;
  readonly taskResponse?: boolean;
  readonly executionActions?: readonly string[];
}

/** The grants on a state machine, in the order start, task response, execution actions. */
const grantOnStateMachine = (fn: lambda.IFunction, grants: StateMachineGrants) => {
  const { machine, startExecution, taskResponse, executionActions } = grants;
  if (startExecution) machine.grantStartExecution(fn);
  if (taskResponse) machine.grantTaskResponse(fn);
  if (executionActions?.length) machine.grantExecution(fn, ...executionActions);
};

export interface FunctionFactoryProps {
  readonly table: dynamodb.ITable;
  readonly logRetention: logs.RetentionDays;
  /** Where `routes` are added; required by a spec that has routes. */
  readonly api?: LiandongHttpApi;
  /** Where `sendsEmail` sends from; required by a spec that sends email. */
  readonly mailSender?: MailSender;
}

/** What every construct that puts functions behind API routes is given. */
export interface ApiFunctionsProps extends FunctionFactoryProps {
  readonly api: LiandongHttpApi;
}

/**
 * "A function, its grants and its routes" in one call, for every construct of the stack: the
 * function is a `ProjectFunction` created in `scope` under the id given (so its logical id is
 * what it would be if written by hand), with `TABLE_NAME` and the log retention set, then granted
 * its table actions, its secrets, its email, its state machine's actions and its other
 * statements, and put behind its routes, in that order. Anything more particular (a key's grant
 * by the construct that owns the key) the caller grants on the returned function.
 */
export class FunctionFactory {
  constructor(
    private readonly scope: Construct,
    private readonly props: FunctionFactoryProps,
  ) {}

  add<Schema extends z.core.$ZodObject>(
    id: string,
    spec: FunctionSpec<Schema>,
  ): ProjectFunction<Schema> {
    const {
      tableActions,
      readsSecrets,
      sendsEmail,
      stateMachine,
      rolePolicy,
      routes,
      environment,
      ...functionProps
    } = spec;
    const { table, logRetention } = this.props;
    const fn = new ProjectFunction(this.scope, id, {
      ...functionProps,
      // The cast joins what the schema asks for with the name every function is given.
      environment: { TABLE_NAME: table.tableName, ...environment } as z.input<Schema>,
      logRetention,
    });
    if (tableActions?.length) table.grant(fn, ...tableActions);
    for (const secret of readsSecrets ?? []) secret.grantRead(fn);
    if (sendsEmail) grantSendEmail(fn, this.scope, this.required('mailSender', id), sendsEmail);
    if (stateMachine) grantOnStateMachine(fn, stateMachine);
    for (const statement of rolePolicy ?? [])
      fn.addToRolePolicy(new iam.PolicyStatement(statement));
    for (const route of routes ?? []) {
      const { method, path, publicReason } = routeOf(route);
      this.required('api', id).addRoute(route[0], {
        method,
        path,
        handler: fn,
        ...(publicReason ? { public: { reason: publicReason } } : {}),
      });
    }
    return fn;
  }

  /**
   * Every function of `specs`, in the table's order, by its key in the table; its id is the
   * key itself, or what `idOf` makes of it.
   */
  addAll<Schemas extends Record<string, z.core.$ZodObject>>(
    specs: FunctionTable<Schemas>,
    idOf: (key: string) => string = (key) => key,
  ): FunctionsOf<Schemas> {
    const added = Object.entries<FunctionSpec<z.core.$ZodObject>>(specs).map(
      ([key, spec]) => [key, this.add(idOf(key), spec)] as const,
    );
    return Object.fromEntries(added) as FunctionsOf<Schemas>;
  }

  private required<Key extends 'api' | 'mailSender'>(
    key: Key,
    functionId: string,
  ): NonNullable<FunctionFactoryProps[Key]> {
    const value = this.props[key];
    if (!value) throw new Error(`${functionId} needs the factory's ${key}`);
    return value;
  }
}

/** The id of a workflow step's function: `sendInvitations` is `SendInvitationsFunction`. */
export const stepFunctionId = (step: string): string =>
  `${step.charAt(0).toUpperCase()}${step.slice(1)}Function`;

/**
 * Function specs by function id: the id is the function's construct id (and so its logical id),
 * the spec what `FunctionFactory.add` takes, its environment checked against its own schema.
 */
export type FunctionTable<Schemas extends Record<string, z.core.$ZodObject>> = {
  readonly [Id in keyof Schemas]: FunctionSpec<Schemas[Id]>;
};

/** The functions a table makes, by the same ids. */
export type FunctionsOf<Schemas extends Record<string, z.core.$ZodObject>> = {
  readonly [Id in keyof Schemas]: ProjectFunction<Schemas[Id]>;
};

/** A table of function specs, typed as one (the identity: its entries are checked here). */
export const functionTable = <Schemas extends Record<string, z.core.$ZodObject>>(
  specs: FunctionTable<Schemas>,
): FunctionTable<Schemas> => specs;

/**
 * A construct of API functions and nothing else: the functions of its table, made by the
 * factory in it. What a function needs besides its spec (a key's grant) its caller grants on
 * `functions`.
 */
export class ApiFunctions<Schemas extends Record<string, z.core.$ZodObject>> extends Construct {
  readonly functions: FunctionsOf<Schemas>;

  constructor(
    scope: Construct,
    id: string,
    props: ApiFunctionsProps,
    specs: FunctionTable<Schemas>,
  ) {
    super(scope, id);
    this.functions = new FunctionFactory(this, props).addAll(specs);
  }
}
