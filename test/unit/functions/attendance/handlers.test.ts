// unit test: SDK mocked with aws-sdk-client-mock (in-memory table)
import { GetSecretValueCommand, InternalServiceError } from '@aws-sdk/client-secrets-manager';
import { SendTaskSuccessCommand } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import { mockAws } from '../../../support/aws.js';
import { issueCheckInCode } from '../../../../functions/attendance/check-in-code.js';
import { httpEvent, lambdaContext, setTestEnv } from '../helpers.js';
import { activityItem, ID, invitationItem, SECRET } from './fixtures.js';
import { fakeTable } from '../../../support/dynamodb-fake';

setTestEnv();

const checkIn = (await import('../../../../functions/attendance/check-in.js')).handler;
const makeUp = (await import('../../../../functions/attendance/make-up-check-in.js')).handler;
const respond = (await import('../../../../functions/attendance/respond-invitation.js')).handler;
const page = (await import('../../../../functions/attendance/check-in-page.js')).handler;
const qr = (await import('../../../../functions/attendance/check-in-qr.js')).handler;
const phaseControl = (await import('../../../../functions/attendance/phase-control.js')).handler;
const counts = (await import('../../../../functions/attendance/update-counts.js')).handler;

const table = fakeTable();
// The check-in code key comes from Secrets Manager (Powertools Parameters caches it).
const { sfn: sfnMock, secrets: secretsMock } = mockAws('sfn', 'secrets');
const deputyClaims = { sub: 'dep-0001', 'cognito:groups': '[deputy]' };
const PK = `ACTIVITY#${ID}`;

type Handler = (
  event: never,
  context: never,
) => Promise<{ statusCode?: number; body?: string; headers?: Record<string, unknown> }>;
const call = async (handler: unknown, options: Parameters<typeof httpEvent>[0]) => {
  const result = await (handler as Handler)(httpEvent(options) as never, lambdaContext() as never);
  let json: unknown;
  try {
    json = JSON.parse(result.body ?? '');
  } catch {
    json = undefined;
  }
  return {
    status: result.statusCode,
    json: json as Record<string, never>,
    text: result.body ?? '',
    headers: result.headers ?? {},
  };
};

beforeEach(() => {
  setTestEnv();
  table.reset();
  secretsMock.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
  table.put(activityItem({ title: '交叉检查 <script>alert(1)</script>' }));
  table.put(invitationItem('dep-0001'));
});

const path = (suffix: string) => `/activities/${ID}${suffix}`;
/** A request to this activity's route `suffix` (as an organiser unless `options` say otherwise). */
/** The public check-in page for `code`, as anyone opens it (no sign-in). */
const openCheckInPage = (code: string, rawPath = `/check-in/${code}`) =>
  call(page, { method: 'GET', path: rawPath, pathParameters: { code }, claims: null });
const callOnActivity = (
  handler: unknown,
  suffix: string,
  options: Parameters<typeof httpEvent>[0] = {},
) => call(handler, { path: path(suffix), pathParameters: { activityId: ID }, ...options });

describe('POST /activities/{id}/check-ins', () => {
  it('201 without a body; 409 the second time', async () => {
    const first = await callOnActivity(checkIn, '/check-ins', {
      claims: deputyClaims,
    });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ checkIn: { deputyId: 'dep-0001', method: 'API' } });
    const second = await callOnActivity(checkIn, '/check-ins', {
      claims: deputyClaims,
      body: {},
    });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({
      message: expect.stringContaining('already checked in at'),
    });
  });

  it('checks in without a code while Secrets Manager is down; a code then answers 503', async () => {
    const { code } = issueCheckInCode(SECRET, ID, new Date());
    secretsMock
      .on(GetSecretValueCommand)
      .rejects(new InternalServiceError({ message: 'down', $metadata: {} }));
    // Runs before any test that reads the key: Powertools would serve a cached key otherwise.
    const withCode = await callOnActivity(checkIn, '/check-ins', {
      claims: deputyClaims,
      body: { code },
    });
    expect(withCode.status).toBe(503);
    const plain = await callOnActivity(checkIn, '/check-ins', {
      claims: deputyClaims,
    });
    expect(plain.status).toBe(201);
  });

  it('403 for an organiser, 422 for an unknown field', async () => {
    expect((await callOnActivity(checkIn, '/check-ins')).status).toBe(403);
    const bad = await callOnActivity(checkIn, '/check-ins', {
      claims: deputyClaims,
      body: { deputyId: 'dep-0002' },
    });
    expect(bad.status).toBe(422);
    expect(table.get(PK, 'INVITATION#dep-0001')!.checkedInAt).toBeUndefined();
  });
});

describe('POST /activities/{id}/check-ins/make-up', () => {
  it('requires a reason (422) and the organiser role (403)', async () => {
    const noReason = await callOnActivity(makeUp, '/check-ins/make-up', {
      body: { deputyId: 'dep-0001' },
    });
    expect(noReason.status).toBe(422);
    expect(noReason.json).toMatchObject({ issues: [{ path: 'reason' }] });
    const asDeputy = await callOnActivity(makeUp, '/check-ins/make-up', {
      claims: deputyClaims,
      body: { deputyId: 'dep-0001', reason: 'r' },
    });
    expect(asDeputy.status).toBe(403);
    const ok = await callOnActivity(makeUp, '/check-ins/make-up', {
      body: { deputyId: 'dep-0001', reason: '现场登记' },
    });
    expect(ok.status).toBe(201);
  });
});

describe('POST /activities/{id}/invitation/response', () => {
  it('409 once check-in opened; 422 for another response value', async () => {
    const late = await callOnActivity(respond, '/invitation/response', {
      claims: deputyClaims,
      body: { response: 'ACCEPTED' },
    });
    expect(late.status).toBe(409);
    const bad = await callOnActivity(respond, '/invitation/response', {
      claims: deputyClaims,
      body: { response: 'MAYBE' },
    });
    expect(bad.status).toBe(422);
    table.put(activityItem({ status: 'INVITATIONS_SENT' }));
    const ok = await callOnActivity(respond, '/invitation/response', {
      claims: deputyClaims,
      body: { response: 'DECLINED' },
    });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ invitation: { response: 'DECLINED' } });
  });
});

describe('GET /activities/{id}/check-in/qr and GET /check-in/{code}', () => {
  it('the QR URL points at the public page on the request origin', async () => {
    const result = await callOnActivity(qr, '/check-in/qr', {
      method: 'GET',
      headers: { host: 'localhost:4010', 'x-forwarded-proto': 'http' },
    });
    expect(result.status).toBe(200);
    expect(result.json).toMatchObject({
      url: expect.stringMatching(/^http:\/\/localhost:4010\/check-in\/01J5/),
    });
  });

  it('renders an escaped Chinese-first page for a valid code, without changing anything', async () => {
    const { code } = issueCheckInCode(SECRET, ID, new Date());
    const result = await openCheckInPage(code);
    expect(result.status).toBe(200);
    expect(result.headers['content-type']).toContain('text/html');
    expect(result.text).toContain('代表签到');
    expect(result.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(result.text).not.toContain('<script>alert(1)');
    expect(result.headers['content-security-policy']).toMatch(/script-src 'nonce-/);
    expect(table.transactions().length).toBe(0);
  });

  it('400 for an invalid code, 410 for an expired one', async () => {
    const invalid = await openCheckInPage('x<b>', '/check-in/x');
    expect(invalid.status).toBe(400);
    expect(invalid.text).toContain('此签到链接无效');
    const { code } = issueCheckInCode(SECRET, ID, new Date(Date.now() - 3_600_000), 60);
    const expired = await openCheckInPage(code);
    expect(expired.status).toBe(410);
  });
});

describe('phase control routes', () => {
  it('POST .../attendance/close ends ATTENDANCE (202); POST .../check-in/open is 409 then', async () => {
    sfnMock.on(SendTaskSuccessCommand).resolves({});
    table.put(activityItem({ pendingTask: { phase: 'ATTENDANCE', token: 'T', since: 'x' } }));
    // The route key names the template, as API Gateway sends it.
    const close = await call(phaseControl, {
      path: '/activities/{activityId}/attendance/close',
      pathParameters: { activityId: ID },
    });
    expect(close.status).toBe(202);
    expect(close.json).toMatchObject({ activityId: ID, phase: 'ATTENDANCE' });
    expect(sfnMock.commandCalls(SendTaskSuccessCommand)[0]!.args[0].input.taskToken).toBe('T');
    const open = await call(phaseControl, {
      path: '/activities/{activityId}/check-in/open',
      pathParameters: { activityId: ID },
    });
    expect(open.status).toBe(409);
    expect(open.json).toMatchObject({ message: expect.stringContaining('not waiting for START') });
    const asDeputy = await call(phaseControl, {
      path: '/activities/{activityId}/attendance/close',
      pathParameters: { activityId: ID },
      claims: deputyClaims,
    });
    expect(asDeputy.status).toBe(403);
  });
});

describe('PATCH /activities/{id}/counts', () => {
  it('422 for an empty body', async () => {
    const result = await callOnActivity(counts, '/counts', {
      method: 'PATCH',
      body: {},
    });
    expect(result.status).toBe(422);
  });
});
