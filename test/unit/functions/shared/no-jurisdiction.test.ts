// unit test: SDK mocked with aws-sdk-client-mock. A table that holds no district (kept data from
// before the jurisdiction was stored, or a new deployment nobody set up): a route answers 503
// naming what is missing and who sets it, never a bare 500, and writes nothing; a page says the
// service is not set up; a workflow step fails with an error no state machine retries, and the
// organisers read what to set before they redrive.
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { SendRawEmailCommand } from '@aws-sdk/client-ses';
import { beforeEach, describe, expect, it } from 'vitest';
import { keys } from '../../../../functions/shared/data/keys.js';
import { NoJurisdictionError } from '../../../../functions/shared/data/jurisdiction.js';
import { failureForOrganisers } from '../../../../functions/shared/workflow/failure-cause.js';
import { TRANSIENT_ERRORS } from '../../../../workflows/steps.js';
import { activityBody } from '../../../support/bodies.js';
import { activityItem, invitationItem } from '../../../support/items.js';
import { mockAws } from '../../../support/aws.js';
import { fakeTable } from '../../../support/dynamodb-fake.js';
import { httpEvent, lambdaContext, setTestEnv } from '../helpers.js';

// A table of its own: setTestEnv keeps the demo district for the shared test table only.
const NO_DISTRICT_TABLE = 'TableWithoutDistrict';
setTestEnv({ TABLE_NAME: NO_DISTRICT_TABLE, PUBLIC_BASE_URL: 'https://liandong.example.org' });

const createActivity = (await import('../../../../functions/activities/create-activity.js'))
  .handler;
const sendInvitations = (
  await import('../../../../functions/activity-workflow/send-invitations.js')
).handler;
const homePage = (await import('../../../../functions/deputy/home-page.js')).handler;
const { pageOfError } = await import('../../../../functions/department/handler.js');

// 'raw' too: the idempotency record of the request goes through the low-level client. The
// DocumentClient is the in-memory table's.
const { sfn, ses, secrets } = mockAws('raw', 'sfn', 'ses', 'secrets');
const table = fakeTable();

const ACTIVITY_ID = '01J5ZQ8V6W7X8Y9Z0ABCDEFGHJ';
const SET_IT = 'an organiser of the whole district sets it with PUT /jurisdiction';

beforeEach(() => {
  secrets.on(GetSecretValueCommand).resolves({ SecretString: 'k'.repeat(64) });
  // Everything but the district is there: the activity and its invitee, the deputy.
  table.reset();
  table.put(
    activityItem(ACTIVITY_ID, {
      status: 'SCHEDULED',
      phase: 'INVITATIONS',
      startsAt: '2999-08-18T09:00:00+08:00',
      endsAt: '2999-08-18T17:00:00+08:00',
    }),
  );
  table.put(invitationItem(ACTIVITY_ID, 'dep-0041', { invitedAt: '2999-01-01T00:00:00.000Z' }));
  table.put({
    ...keys.deputy('dep-0041'),
    entity: 'DEPUTY',
    id: 'dep-0041',
    name: '代表41',
    email: 'dep-0041@deputies.liandong.example.org',
    active: true,
  });
});

describe('a route that needs the district, when none is set', () => {
  it('answers 503 naming the jurisdiction and PUT /jurisdiction, and changes nothing', async () => {
    const result = await createActivity(
      httpEvent({ body: activityBody(), headers: { 'idempotency-key': crypto.randomUUID() } }),
      lambdaContext(),
    );
    expect(result.statusCode, result.body).toBe(503);
    const { message } = JSON.parse(result.body ?? '{}') as { message: string };
    expect(message).toContain("The district's jurisdiction");
    expect(message).toContain(SET_IT);
    // Not "busy": waiting does not help, so no Retry-After invites a client to try again.
    expect(result.headers?.['retry-after']).toBeUndefined();
    expect(table.transactions()).toHaveLength(0);
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });
});

describe('a page that needs the district, when none is set', () => {
  it("answers the deputies' request form with a 503 page that says what is not set", async () => {
    const result = await homePage(
      httpEvent({ method: 'GET', path: '/my-activities', claims: null }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(503);
    expect(result.headers?.['content-type']).toContain('text/html');
    expect(result.body).toContain('Not set up yet');
    expect(result.body).toContain('系统尚未设置所服务的行政区');
  });

  it('answers a link page (a department, a deputy) the same way', () => {
    const page = pageOfError(new NoJurisdictionError(), 'GET');
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('Not set up yet');
  });
});

describe('a workflow step that needs the district, when none is set', () => {
  it('fails with NoJurisdictionError, which no state machine retries, and sends nothing', async () => {
    const failed = await sendInvitations({ activityId: ACTIVITY_ID }, lambdaContext()).catch(
      (error: unknown) => error as Error,
    );
    expect(failed).toBeInstanceOf(NoJurisdictionError);
    expect((failed as Error).name).toBe('NoJurisdictionError');
    expect(TRANSIENT_ERRORS).not.toContain((failed as Error).name);
    expect(ses.commandCalls(SendRawEmailCommand)).toHaveLength(0);
  });

  it('tells the organisers what to set and that a redrive then goes on', () => {
    const error = new NoJurisdictionError();
    const failure = failureForOrganisers({
      Error: error.name,
      Cause: JSON.stringify({ errorType: error.name, errorMessage: error.message, trace: [] }),
    });
    expect(failure.cause).toContain(SET_IT);
    expect(failure.cause).toContain('Once it is set, redrive.');
    expect(failure.cause).not.toContain('tell the operators');
  });
});
