// Integration (local cloud): header injection and markup in every text that reaches an email.
// Texts carrying CR/LF, %0d%0a, U+2028/U+2029, NEL, a `Bcc:` header, a MIME boundary and
// `Content-Type` lines, and HTML/script go in as an organiser or the data would put them: the
// activity title (subject and body of the invitation and the cancellation, subject of the
// referral emails), the cancellation reason, location and description, the department's name,
// the finding's description and place. The local SES (aws-ses-v2-local) keeps what SendEmail
// received; its raw MIME (`GET /get-emlContent`) is parsed: exactly the expected header names,
// the intended recipients only (no Bcc/Cc), a one-line subject, one multipart boundary, and
// every injected piece of markup escaped in the HTML part.
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DEPUTY_IDS } from '../../../infra/local/seed';
import { eventually, scheduleActivity, waitForPhase } from '../support/activity';
import { api } from '../support/api';
import { sentMail, sfnClient, type SentMail } from '../support/aws';
import { localCloud, stateMachineArn } from '../support/cloud';
import { seedReferral } from '../support/referral';

const RUN = Date.now().toString(36);
const INJECTIONS = [
  'CRLF\r\nBcc: attacker-crlf@example.org',
  'LF\nX-Injected: lf',
  'CR\rX-Injected: cr',
  'ENC%0d%0aBcc: attacker-enc@example.org',
  'LS\u2028X-Injected: ls',
  'PS\u2029X-Injected: ps',
  'NEL\u0085X-Injected: nel',
  'BOUNDARY\r\n--liandong-boundary\r\nContent-Type: text/html\r\n\r\n<b>forged part</b>',
  'MIME\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="x"',
  '=?utf-8?Q?=0D=0ABcc:_attacker-ew@example.org?=',
];
const MARKUP = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';
/** The title is at most 200 characters: the header tricks that matter most for the subject. */
const TITLE_TRICKS =
  'a\r\nBcc: attacker-crlf@example.org b%0d%0aBcc: attacker-enc@example.org c\u2028X-Injected: ls d\u0085X-Injected: nel <script>alert(1)</script>';
const TEXT = `${INJECTIONS.join(' ')} ${MARKUP}`;
const ATTACKERS = /attacker-[a-z]+@example\.org/;

/** The headers nodemailer writes for a SendEmail of the local SES (names, lower-cased). */
const EXPECTED_HEADERS = [
  'content-type',
  'from',
  'to',
  'subject',
  'message-id',
  'date',
  'mime-version',
];
const OPTIONAL_HEADERS = ['reply-to', 'content-transfer-encoding'];

interface Parsed {
  headers: { name: string; value: string }[];
  body: string;
}

async function rawMime(messageId: string): Promise<string> {
  const res = await fetch(
    `${localCloud().ses}/get-emlContent?messageId=${encodeURIComponent(messageId)}`,
  );
  expect(res.status).toBe(200);
  const { body } = (await res.json()) as { body: string | { type: 'Buffer'; data: number[] } };
  return typeof body === 'string' ? body : Buffer.from(body.data).toString('utf8');
}

function parseMime(raw: string): Parsed {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, end).replace(/\r\n[ \t]+/g, ' '); // unfold
  return {
    headers: head.split('\r\n').map((line) => {
      const colon = line.indexOf(':');
      return { name: line.slice(0, colon).toLowerCase(), value: line.slice(colon + 1).trim() };
    }),
    body: raw.slice(end + 4),
  };
}

const checked: { kind: string; headers: number; extra: number }[] = [];

async function expectClean(kind: string, mail: SentMail, to: string): Promise<void> {
  // What SendEmail handed to SES.
  expect(mail.destination).toEqual({ to: [to], cc: [], bcc: [] });
  expect(mail.replyTo.join(' ')).not.toMatch(ATTACKERS);
  expect(mail.subject).not.toMatch(/[\r\n\u0085\u2028\u2029]/);
  // eslint-disable-next-line no-control-regex -- control characters are what is looked for
  expect(mail.subject).not.toMatch(/[\u0000-\u001f\u007f]/);
  // The raw message.
  const raw = await rawMime(mail.messageId);
  const { headers, body } = parseMime(raw);
  const names = headers.map((h) => h.name);
  const extra = names.filter((n) => !EXPECTED_HEADERS.includes(n) && !OPTIONAL_HEADERS.includes(n));
  checked.push({ kind, headers: names.length, extra: extra.length });
  expect(extra, `${kind}: ${names.join(', ')}`).toEqual([]);
  for (const name of EXPECTED_HEADERS) {
    expect(
      names.filter((n) => n === name),
      `${kind}: ${name}`,
    ).toHaveLength(1);
  }
  const header = (name: string) => headers.find((h) => h.name === name)?.value ?? '';
  expect(header('to')).toBe(to);
  expect(`${header('to')} ${header('from')}`).not.toMatch(ATTACKERS);
  // One boundary: the one of the content-type header; no part the text forged.
  const boundary = /boundary="?([^";]+)"?/.exec(header('content-type'))?.[1];
  expect(boundary, kind).toBeDefined();
  const partsOf = (text: string, separator: string) =>
    text.split(`--${separator}`).filter((p) => p.trim() && p.trim() !== '--');
  const headOf = (part: string) => part.slice(0, part.indexOf('\r\n\r\n'));
  let parts = partsOf(body, boundary!);
  if (mail.attachments?.length) {
    // An email with a calendar event: the bodies in one alternative part, and besides it only
    // the calendar files the sender attached (none the text forged).
    expect(parts.length, kind).toBe(1 + mail.attachments.length);
    const alternative = parts.find((p) =>
      /content-type:\s*multipart\/alternative/i.test(headOf(p)),
    );
    expect(alternative, kind).toBeDefined();
    for (const part of parts.filter((p) => p !== alternative)) {
      expect(headOf(part), kind).toMatch(/content-type:\s*(text\/calendar|application\/ics)/i);
    }
    const inner = /boundary="?([^";\s]+)"?/.exec(headOf(alternative!))?.[1];
    parts = partsOf(alternative!.slice(alternative!.indexOf('\r\n\r\n') + 4), inner!);
  }
  expect(parts.length, kind).toBe(2); // text and HTML
  // Markup escaped in the HTML part (decoded from its transfer encoding).
  // The part's own headers only: the text part carries the injected lines as its content.
  const html =
    parts.find((p) => /content-type:\s*text\/html/i.test(p.slice(0, p.indexOf('\r\n\r\n')))) ?? '';
  expect(html, kind).not.toBe('');
  const htmlBody = decodePart(html);
  expect(htmlBody).not.toMatch(/<script>alert|<img src=x|<b>forged part<\/b>/);
  expect(mail.body.html ?? '').not.toMatch(/<script>alert|<img src=x|<b>forged part<\/b>/);
}

function decodePart(part: string): string {
  const end = part.indexOf('\r\n\r\n');
  const head = part.slice(0, end);
  const content = part.slice(end + 4);
  if (/transfer-encoding:\s*base64/i.test(head)) {
    return Buffer.from(content.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (/transfer-encoding:\s*quoted-printable/i.test(head)) {
    const bytes = content
      .replace(/=\r\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return content;
}

const organiser = api({ role: 'organiser', sub: `mail-org-${RUN}` });
const DEPUTY = DEMO_DEPUTY_IDS.national;
let deputyEmail = '';

beforeAll(async () => {
  const res = await organiser.get<{ deputy: { email: string } }>(`/deputies/${DEPUTY}`);
  expect(res.status, res.text).toBe(200);
  deputyEmail = res.json.deputy.email;
});

describe('texts that reach an email header or body', () => {
  let activityId = '';
  let invitationId = '';

  it('invitation: the title in the subject and body, location and description in the body', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    activityId = await scheduleActivity(organiser, {
      title: `注入${RUN} ${TITLE_TRICKS}`,
      location: `文冲 ${INJECTIONS[0]} ${MARKUP}`,
      description: `说明 ${TEXT}`,
      invitedDeputyIds: [DEPUTY],
    });
    await waitForPhase(organiser, activityId, 'START');
    const mail = await eventually(
      async () => (await sentMail(since)).filter((m) => m.subject.includes(RUN)),
      (found) => found.length >= 1,
    );
    expect(mail).toHaveLength(1);
    invitationId = mail[0]!.messageId;
    await expectClean('invitation', mail[0]!, deputyEmail);
  });

  it('cancellation: the title again, and the reason in the body', async () => {
    const since = Math.floor(Date.now() / 1000) - 1;
    const res = await organiser.post(`/activities/${activityId}/cancel`, {
      reason: `取消 ${TEXT}`,
    });
    expect(res.status, res.text).toBeLessThan(300);
    const mail = await eventually(
      async () =>
        (await sentMail(since)).filter(
          (m) => m.subject.includes(RUN) && m.messageId !== invitationId,
        ),
      (found) => found.length >= 1,
    );
    expect(mail).toHaveLength(1);
    await expectClean('cancellation', mail[0]!, deputyEmail);
  });

  it('referral: the activity title in the subject, department name and finding in the body', async () => {
    const seeded = await seedReferral({
      referral: { status: 'DISPATCHED', committeeId: 'cmte-urban-construction' },
      text: `${RUN} ${TEXT}`,
    });
    await sfnClient().send(
      new StartExecutionCommand({
        stateMachineArn: stateMachineArn('ReferralWorkflow'),
        name: seeded.referralId,
        input: JSON.stringify({ referralId: seeded.referralId }),
      }),
    );
    const to = `${seeded.departmentId}@example.org`;
    const mail = await eventually(
      async () => (await sentMail()).filter((m) => m.destination.to.includes(to)),
      (found) => found.length >= 1,
    );
    await expectClean('referral', mail[0]!, to);
  });

  it('a raw header value is refused, not sent: an organiser cannot add a recipient', async () => {
    // Emails go to reference-data addresses: an address carrying a header is refused at input.
    const res = await organiser.post('/departments', {
      name: `注入部门 ${RUN}`,
      emails: ['dept@example.org\r\nBcc: attacker-addr@example.org'],
      categories: ['HEALTH'],
    });
    expect(res.status, res.text).toBe(422);
    expect(res.text).toMatch(/emails/);
    console.log(
      `[security email] emails checked ${checked.length} (${checked.map((c) => c.kind).join(', ')}), injected texts ${INJECTIONS.length} + markup in each field, extra headers ${checked.reduce((n, c) => n + c.extra, 0)}, unescaped markup 0, injected recipient refused 422`,
    );
  });
});
