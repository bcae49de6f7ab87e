// Integration: a real function of the synthesized template, whose role is one action short, is
// refused that action by the local runtime (AccessDeniedException, as AWS would), and its route
// answers the normal error path at once. The runtime and API here are this file's own (same
// engines as the run's cloud), loaded from a copy of the template with the action removed.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalApi, type LocalApiServer } from '../../infra/local/api/server';
import { LOCAL_CREDENTIALS } from '../../infra/local/dynamodb';
import { startLambdaRuntime, type LambdaRuntime } from '../../infra/local/lambda-runtime';
import {
  LOCAL_CLIENT_ID,
  parseTemplate,
  templatePath,
  type CfnTemplate,
} from '../../infra/local/template';
import { localCloud } from './support/cloud';

const FUNCTION_PREFIX = 'ReferenceReadReferenceFunction';
const STRIPPED = 'dynamodb:Query';

/** The template with `action` removed from every statement of the function's role policy. */
function withoutAction(template: CfnTemplate, functionLogicalId: string, action: string) {
  const copy = structuredClone(template);
  const resources = copy.Resources ?? {};
  const role = (resources[functionLogicalId]?.Properties?.Role as { 'Fn::GetAtt': string[] })[
    'Fn::GetAtt'
  ][0];
  let removed = 0;
  for (const res of Object.values(resources)) {
    if (res.Type !== 'AWS::IAM::Policy') continue;
    const roles = res.Properties?.Roles as { Ref: string }[];
    if (!roles.some((r) => r.Ref === role)) continue;
    const doc = res.Properties?.PolicyDocument as { Statement: { Action: string | string[] }[] };
    for (const s of doc.Statement) {
      const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
      removed += actions.filter((a) => a === action).length;
      s.Action = actions.filter((a) => a !== action);
    }
  }
  if (removed === 0) throw new Error(`${functionLogicalId}'s role had no ${action} to remove`);
  return copy;
}

async function serve(template: CfnTemplate, logicalId: string) {
  const e = localCloud();
  const api = await startLocalApi({
    clientId: LOCAL_CLIENT_ID,
    allowTokenMinting: true,
    quiet: true,
  });
  const parsed = parseTemplate(template, {
    cdkOut: 'cdk.out',
    region: e.region,
    issuerUrl: api.issuer.issuerUrl,
    clientId: LOCAL_CLIENT_ID,
    apiUrl: api.url,
  });
  const runtime = await startLambdaRuntime({
    // Only the function under test: the others' environments (dynamic secret references) are
    // resolved by a whole cloud, which this file does not start.
    functions: parsed.functions.filter((f) => f.logicalId === logicalId),
    region: e.region,
    quiet: true,
    iam: true,
    baseEnv: {
      AWS_REGION: e.region,
      AWS_DEFAULT_REGION: e.region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: e.dynamodb,
      AWS_ENDPOINT_URL_SES: e.ses,
      AWS_ENDPOINT_URL_SFN: e.stepfunctions,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: e.secretsmanager,
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_TRACE_DISABLED: 'true',
    },
  });
  api.bind({ api: parsed.httpApis[0]!, invoke: (arn, event) => runtime.invoke(arn, event) });
  return { api, runtime };
}

describe('local IAM on the synthesized template', () => {
  const template = JSON.parse(readFileSync(templatePath('cdk.out'), 'utf8')) as CfnTemplate;
  const logicalId = Object.keys(template.Resources ?? {}).find(
    (id) =>
      id.startsWith(FUNCTION_PREFIX) && template.Resources?.[id]?.Type === 'AWS::Lambda::Function',
  )!;
  let granted: { api: LocalApiServer; runtime: LambdaRuntime };
  let stripped: { api: LocalApiServer; runtime: LambdaRuntime };

  beforeAll(async () => {
    expect(logicalId).toBeDefined();
    // One at a time: each runtime sets process.env while it imports.
    granted = await serve(template, logicalId);
    stripped = await serve(withoutAction(template, logicalId, STRIPPED), logicalId);
  });

  afterAll(async () => {
    await granted?.api.stop();
    await stripped?.api.stop();
  });

  const get = async ({ api }: { api: LocalApiServer }, path: string) => {
    const token = await api.issuer.mintToken({ role: 'organiser', sub: 'iam-test' });
    return fetch(`${api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  };

  it('serves the route with the template as synthesized (the control)', async () => {
    const res = await get(granted, '/deputies');
    expect(res.status).toBe(200);
    expect(granted.runtime.iamDenials).toEqual([]);
  });

  it(`refuses ${STRIPPED} once the role lacks it, and the route answers 500 at once`, async () => {
    const started = Date.now();
    const res = await get(stripped, '/deputies');
    expect(res.status).toBe(500);
    // The function's own error path, not the API's 30 s integration timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
    const body = (await res.json()) as Record<string, unknown>;
    expect(JSON.stringify(body)).not.toContain('AccessDenied');
    expect(stripped.runtime.iamDenials).toHaveLength(1);
    const [denial] = stripped.runtime.iamDenials;
    const table = Object.values(localCloud().tables)[0];
    expect(denial).toMatchObject({
      logicalId,
      action: STRIPPED,
      resource: [
        `arn:aws:dynamodb:${localCloud().region}:000000000000:table/${table}/index/listing`,
      ],
    });
    expect(denial?.message).toMatch(
      new RegExp(
        `^User: arn:aws:sts::000000000000:assumed-role/\\w+/${logicalId} is not authorized to ` +
          `perform: dynamodb:Query on resource: arn:aws:dynamodb:\\S+/index/listing because no ` +
          'identity-based policy allows the dynamodb:Query action$',
      ),
    );
  });
});
