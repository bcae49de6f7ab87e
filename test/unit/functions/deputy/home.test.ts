// unit test: SDK mocked with aws-sdk-client-mock
import { SendEmailCommand } from '@aws-sdk/client-ses';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { addressDigestOf, requestHomeLink, withPageHrefs } from '../../../../functions/deputy/home';
import { mailDeps, mockAws } from '../../../support/aws';
import { TABLE, setTestEnv } from '../helpers';

// The district the emails name (the demo's), as every handler's container has it.
setTestEnv();

const { doc, ses } = mockAws('doc', 'ses');
const NOW = new Date('2026-12-06T10:00:00.000Z');
const DEPUTY_EMAIL = 'dep-0041@deputies.liandong.example.org';

let requests: number;
let puts: Record<string, unknown>[];

const deps = () => ({
  ...mailDeps(),
  now: () => NOW,
  signingKey: async () => 'k'.repeat(64),
  publicBaseUrl: 'https://liandong.example.org',
  perHour: 3,
});

beforeEach(() => {
  requests = 0;
  puts = [];
  doc.on(UpdateCommand).callsFake((input) => {
    if (String(input.Key.pk).startsWith('HOME_LINK_REQUESTS#')) {
      requests++;
      return { Attributes: { requests } };
    }
    return {};
  });
  doc
    .on(GetCommand)
    .callsFake((input) =>
      input.Key.pk === `DEPUTY_EMAIL#${DEPUTY_EMAIL}` ? { Item: { deputyId: 'dep-0041' } } : {},
    );
  doc.on(BatchGetCommand).resolves({
    Responses: { [TABLE]: [{ id: 'dep-0041', name: '李某', email: DEPUTY_EMAIL, active: true }] },
  });
  doc.on(PutCommand).callsFake((input) => {
    puts.push(input.Item);
    return {};
  });
  doc.on(TransactWriteCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'msg-1' });
});

describe('asking for a home link', () => {
  it("emails the deputy's address on record a home link that names no one", async () => {
    expect(await requestHomeLink(deps(), '  DEP-0041@Deputies.Liandong.Example.org ')).toBe('SENT');
    const sent = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(sent.Destination?.ToAddresses).toEqual([DEPUTY_EMAIL]);
    const text = String(sent.Message?.Body?.Text?.Data);
    const token = /https:\/\/liandong\.example\.org\/my-activities\/([A-Za-z0-9_.-]+)/.exec(
      text,
    )?.[1];
    expect(token).toBeDefined();
    expect(token).not.toContain('dep-0041');
    expect(puts[0]).toMatchObject({ purpose: 'DEPUTY_HOME', deputyId: 'dep-0041' });
    // The rate counter is keyed by a digest: no address in a key.
    const counter = doc.commandCalls(UpdateCommand)[0]!.args[0].input;
    expect(counter.Key).toEqual({
      pk: `HOME_LINK_REQUESTS#${addressDigestOf(DEPUTY_EMAIL)}`,
      sk: `HOUR#${Math.floor(NOW.getTime() / 3_600_000)}`,
    });
    expect(JSON.stringify(counter.Key)).not.toContain('deputies');
  });

  it("writes the home-link email in the deputy's language", async () => {
    doc.on(BatchGetCommand).resolves({
      Responses: {
        [TABLE]: [
          { id: 'dep-0041', name: 'Li', email: DEPUTY_EMAIL, active: true, language: 'en' },
        ],
      },
    });
    expect(await requestHomeLink(deps(), DEPUTY_EMAIL)).toBe('SENT');
    const sent = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(sent.Message?.Subject?.Data).toBe("[Huangpu District People's Congress] My activities");
    expect(String(sent.Message?.Body?.Text?.Data)).toContain('Dear Deputy Li,');
  });

  it('does the same work for an address that is no deputy’s, and sends nothing', async () => {
    expect(await requestHomeLink(deps(), 'someone@example.org')).toBe('NOT_A_DEPUTY');
    expect(doc.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(doc.commandCalls(GetCommand)).toHaveLength(1);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(puts).toHaveLength(0);
  });

  it('sends at most the hourly limit per address', async () => {
    const outcomes = [];
    for (let i = 0; i < 5; i++) outcomes.push(await requestHomeLink(deps(), DEPUTY_EMAIL));
    expect(outcomes).toEqual(['SENT', 'SENT', 'SENT', 'LIMITED', 'LIMITED']);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(3);
  });
});

describe('the home page’s links', () => {
  const entry = (activityId: string, expiresAt: number) => ({
    activityId,
    title: activityId,
    type: 'RECEPTION_DAY',
    street: 'WENCHONG',
    location: '联络站',
    startsAt: '2026-07-03T01:00:00Z',
    endsAt: '2026-07-03T04:00:00Z',
    status: 'COMPLETED',
    pageLink: { linkId: `link-${activityId}`, expiresAt },
  });
  const now = new Date('2026-12-06T00:00:00Z');
  const nowSeconds = now.getTime() / 1000;

  it('links every page whose link is alive and leaves an expired one as a title', () => {
    const lists = withPageHrefs(
      {
        pending: [],
        upcoming: [entry('alive', nowSeconds + 60)],
        past: [entry('expired', nowSeconds - 1), entry('ends-now', nowSeconds)],
      },
      'secret',
      now,
    );
    expect(lists.upcoming[0]!.href).toMatch(/^\/deputy\/.+/);
    expect(lists.past.map((e) => [e.activityId, e.href])).toEqual([
      ['expired', undefined],
      ['ends-now', undefined],
    ]);
  });
});
