// The one way an infra test synthesizes the Liandong stack and reads its template: bundling
// skipped (these tests are about the template, not the code), the example sender and office
// addresses, one account and region. Also the template queries the tests share (resources of a
// type, the policy statements on a function's role).
import { App, Aspects } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll } from 'vitest';
import { LiandongStack } from '../../infra/liandong-stack';

export type Resource = { Type: string; Properties?: Record<string, unknown> };
export type Resources = Record<string, Resource>;
export type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

export interface SynthesizedStack {
  app: App;
  stack: LiandongStack;
  template: Template;
  resources: Resources;
}

export interface SynthOptions {
  /** Context on top of the test defaults (e.g. `'liandong:logRetentionDays': 90`). */
  context?: Record<string, unknown>;
  /** Run cdk-nag's AwsSolutions checks, so `Annotations.fromStack` holds their findings. */
  nag?: boolean;
}

export function synthLiandong(options: SynthOptions = {}): SynthesizedStack {
  const app = new App({
    context: {
      'aws:cdk:bundling-stacks': [],
      'liandong:senderEmail': 'noreply@liandong.example.org',
      'liandong:organiserAlertEmail': 'office@liandong.example.org',
      ...options.context,
    },
  });
  const stack = new LiandongStack(app, 'Liandong', {
    env: { account: '111122223333', region: 'ap-east-1' },
  });
  if (options.nag) {
    Aspects.of(app).add(new AwsSolutionsChecks());
    app.synth();
  }
  const template = Template.fromStack(stack);
  return { app, stack, template, resources: template.toJSON().Resources as Resources };
}

export const ofType = (resources: Resources, type: string): [string, Resource][] =>
  Object.entries(resources).filter(([, resource]) => resource.Type === type);

/** Every statement of every policy attached to the role of the function `functionId`. */
export function roleStatements(resources: Resources, functionId: string): Statement[] {
  const fn = resources[functionId];
  if (!fn) throw new Error(`no resource ${functionId}`);
  const roleRef = (fn.Properties!.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return ofType(resources, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      (policy.Properties!.Roles as { Ref: string }[]).some((role) => role.Ref === roleRef),
    )
    .flatMap(
      ([, policy]) => (policy.Properties!.PolicyDocument as { Statement: Statement[] }).Statement,
    );
}

/**
 * The logical id of the Lambda function `name` names: the one whose id starts with it, else the
 * one whose id contains it (functions of nested constructs carry the construct's id first).
 */
export function functionIdOf(resources: Resources, name: string): string {
  const functions = ofType(resources, 'AWS::Lambda::Function');
  const match =
    functions.find(([id]) => id.startsWith(name)) ?? functions.find(([id]) => id.includes(name));
  if (!match) throw new Error(`no function ${name}`);
  return match[0];
}

/** Every statement of every policy on the role of the function `name` names (functionIdOf). */
export const functionStatements = (resources: Resources, name: string): Statement[] =>
  roleStatements(resources, functionIdOf(resources, name));

/** The environment variables the stack gives the function `name` names (functionIdOf). */
export const functionEnvironment = (resources: Resources, name: string): Record<string, unknown> =>
  (
    resources[functionIdOf(resources, name)]!.Properties!.Environment as {
      Variables: Record<string, unknown>;
    }
  ).Variables;

export const actionsIn = (statements: Statement[]): string[] =>
  statements.flatMap((statement) =>
    Array.isArray(statement.Action) ? statement.Action : [statement.Action],
  );

/** What a test file reads of the stack it synthesized once, and the resources of a type in it. */
export interface SynthesizedForTests extends SynthesizedStack {
  ofType(type: string): [string, Resource][];
}

/**
 * The opening of an infra test file: the stack synthesized once in `beforeAll` (a synthesis
 * takes seconds). The object returned is filled in then; read it inside a test or hook.
 */
export function synthesizeBeforeAll(options: SynthOptions = {}): SynthesizedForTests {
  const synthesized = {} as SynthesizedForTests;
  beforeAll(() => {
    const fresh = synthLiandong(options);
    Object.assign(synthesized, fresh, {
      ofType: (type: string) => ofType(fresh.resources, type),
    });
  });
  return synthesized;
}

/**
 * The definition of the state machine whose logical id starts with `idPrefix`, parsed from its
 * `Fn::Join` (each token, such as a function ARN, stands as the string `TOKEN`).
 */
export function stateMachineDefinition<
  Definition = { StartAt: string; States: Record<string, Record<string, unknown>> },
>(resources: Resources, idPrefix: string): Definition {
  const [, machine] = ofType(resources, 'AWS::StepFunctions::StateMachine').find(([id]) =>
    id.startsWith(idPrefix),
  )!;
  const body = machine.Properties!.DefinitionString as { 'Fn::Join': [string, unknown[]] };
  const text = body['Fn::Join'][1]
    .map((part) => (typeof part === 'string' ? part : 'TOKEN'))
    .join('');
  return JSON.parse(text) as Definition;
}
