// Integration: the department response page and the rating page on the local cloud (the local
// HTTP API built from the synthesized routes, DynamoDB Local, the local Secrets Manager, the
// local Step Functions service). Security first: tampered, expired and foreign links, GETs with
// no side effects, replays, escaping. Then the real thing: a referral workflow emails its link,
// the department replies through the page, and the execution moves on.
// Runs once the lead wires `ReferralApi` into the stack (its routes exist in the template).
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../functions/shared/data/audit';
import { keys } from '../../functions/shared/data/keys';
import { createLink } from '../../functions/shared/data/links';
import { eventually, rawItem } from './support/activity';
import { linkSigningKey, linkStore, referralChain, seedReferral } from './support/referral';
import { api } from './support/api';
import { sfnClient, waitForMail } from './support/aws';
import { stateMachineArn } from './support/cloud';

const anonymous = api(null);
const organiser = api('organiser');
const XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>';

const store = linkStore;

const form = (fields: Record<string, string>) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
});

const seed = (referral: Record<string, unknown>) => seedReferral({ referral, text: XSS });

describe('department response page (security)', () => {
  let key: string;
  beforeAll(async () => {
    key = await linkSigningKey();
  });

  it('refuses tampered, expired and foreign links and changes nothing on GET', async () => {
    const { referralId } = await seed({
      status: 'SENT',
      round: 1,
      // A task that does not exist: ending it must answer a page, never a 500.
      pendingTask: { phase: 'DEPARTMENT', token: 'no-such-task', since: new Date().toISOString() },
    });
    const other = await seed({ status: 'REPLIED', round: 1 });
    const token = await createLink(store(), key, {
      purpose: 'RESPOND',
      referralId,
      round: 1,
      ttlSeconds: 600,
    });
    const before = await rawItem(keys.referral(referralId));

    // GET: the page, escaped, without the resident; nothing written (mail scanners prefetch).
    for (let i = 0; i < 3; i++) {
      const page = await anonymous.get(`/respond/${token}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(page.text).toContain('雨后积水');
      expect(page.text).not.toContain('<script>alert');
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).not.toContain('王某某');
      expect(page.text).not.toContain('no-such-task');
    }
    expect(await rawItem(keys.referral(referralId))).toEqual(before);
    expect(await referralChain(referralId)).toEqual([]);

    // Tampered signature / unknown token.
    const [id, expiry, signature] = token.split('.') as [string, string, string];
    const tampered = `${id}.${expiry}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect((await anonymous.get(`/respond/${tampered}`)).status).toBe(403);
    expect(
      (await anonymous.request('POST', `/respond/${tampered}`, form({ action: 'ACKNOWLEDGE' })))
        .status,
    ).toBe(403);
    expect((await anonymous.get('/respond/garbage')).status).toBe(403);

    // Another referral's rating link on the response page.
    const foreign = await createLink(store(), key, {
      purpose: 'RATE',
      referralId: other.referralId,
      round: 1,
      raiserRef: 'R.F1',
      ttlSeconds: 600,
    });
    expect((await anonymous.get(`/respond/${foreign}`)).status).toBe(403);
    expect(
      (
        await anonymous.request(
          'POST',
          `/respond/${foreign}`,
          form({ action: 'REPLY', result: 'RESOLVED', text: 'x' }),
        )
      ).status,
    ).toBe(403);

    // Expired.
    const shortLived = await createLink(store(), key, {
      purpose: 'RESPOND',
      referralId,
      round: 1,
      ttlSeconds: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(
      (await anonymous.request('POST', `/respond/${shortLived}`, form({ action: 'ACKNOWLEDGE' })))
        .status,
    ).toBe(410);
    expect(await rawItem(keys.referral(referralId))).toEqual(before);

    // A POST acts once; a replay is "already received"; the missing task is not a 500.
    const reply = form({ action: 'REPLY', result: 'RESOLVED', text: `已处理 ${XSS}` });
    const first = await anonymous.request('POST', `/respond/${token}`, reply);
    expect(first.status).toBe(200);
    const replay = await anonymous.request('POST', `/respond/${token}`, reply);
    expect(replay.status).toBe(200);
    expect(replay.text).toContain('Already received');
    const events = await referralChain(referralId);
    expect(events.map((event) => event.action)).toEqual(['REFERRAL_REPLIED']);
    expect(verifyChain(events).ok).toBe(true);
    expect(await rawItem(keys.referral(referralId))).toMatchObject({ status: 'REPLIED' });
    const shown = await anonymous.get(`/respond/${token}`);
    expect(shown.text).toContain('&lt;script&gt;');
    expect(shown.text).not.toContain('<script>alert');

    // The organisers' view: history, never the task token.
    const view = await organiser.get<{ history: unknown[] }>(`/referrals/${referralId}`);
    expect(view.status).toBe(200);
    expect(view.json.history).toHaveLength(1);
    expect(view.text).not.toContain('no-such-task');
  });
});

describe('department response page (with the referral workflow)', () => {
  it('takes the link from the email, replies, and the execution moves on', async () => {
    const { referralId, departmentId } = await seed({ status: 'DISPATCHED' });
    const sfn = sfnClient();
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArn('ReferralWorkflow'),
        name: referralId,
        input: JSON.stringify({ referralId }),
      }),
    );
    const mail = await waitForMail((sent) =>
      sent.some((m) => m.destination.to.includes(`${departmentId}@example.org`)),
    );
    const email = mail.find((m) => m.destination.to.includes(`${departmentId}@example.org`))!;
    expect(email.subject).not.toMatch(/[\r\n]/);
    const token = /\/respond\/([A-Za-z0-9_.%-]+)/.exec(
      `${email.body.text ?? ''} ${email.body.html ?? ''}`,
    )?.[1];
    expect(token).toBeDefined();
    const path = `/respond/${decodeURIComponent(token!)}`;

    await eventually(
      () => rawItem(keys.referral(referralId)),
      (referral) =>
        (referral?.pendingTask as { phase?: string } | undefined)?.phase === 'DEPARTMENT',
    );
    expect((await anonymous.get(path)).status).toBe(200);
    expect((await anonymous.request('POST', path, form({ action: 'ACKNOWLEDGE' }))).status).toBe(
      200,
    );
    expect(
      (await anonymous.request('POST', path, form({ action: 'PROGRESS', text: '已现场勘查' })))
        .status,
    ).toBe(200);
    const replied = await anonymous.request(
      'POST',
      path,
      form({ action: 'REPLY', result: 'RESOLVED', text: '已疏通排水管' }),
    );
    expect(replied.status).toBe(200);

    // The workflow left AwaitDepartment: the referral is no longer waiting on the department.
    await eventually(
      () => rawItem(keys.referral(referralId)),
      (referral) =>
        (referral?.pendingTask as { phase?: string } | undefined)?.phase !== 'DEPARTMENT' ||
        referral?.status === 'CLOSED',
    );
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn: executionArn! }));
    expect(execution.status).not.toBe('FAILED');
    const actions = (await referralChain(referralId)).map((event) => event.action);
    expect(actions).toEqual(
      expect.arrayContaining(['REFERRAL_ACKNOWLEDGED', 'PROGRESS_POSTED', 'REFERRAL_REPLIED']),
    );
    expect(verifyChain(await referralChain(referralId)).ok).toBe(true);
  });
});
