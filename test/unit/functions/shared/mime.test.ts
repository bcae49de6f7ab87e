// unit test: the calendar email's MIME, read back with mailparser (a real MIME parser) and the
// calendar parts with ical.js
import { simpleParser, type ParsedMail } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { buildCalendarEvent } from '../../../../functions/shared/email/calendar.js';
import {
  asciiAddress,
  buildCalendarEmail,
  encodedWords,
  type CalendarEmail,
} from '../../../../functions/shared/email/mime.js';
import { calendarEventInput, parseCalendar } from '../../../support/calendar.js';

const calendar = buildCalendarEvent(calendarEventInput({ activityId: 'A7', sequence: 3 }));

const email = (extra: Partial<CalendarEmail> = {}): CalendarEmail => ({
  from: '联动测试发件人 <noreply@liandong.example.org>',
  to: ['office@gov.example.cn', 'second@gov.example.cn'],
  replyTo: ['organiser@liandong.example.org'],
  subject: '【联动】活动邀请：街道代表接待日',
  text: '尊敬的李明代表：\n诚挚邀请您参加。\n\n联动',
  html: '<p>尊敬的李明代表：</p><p>诚挚邀请您参加。</p>',
  calendar: { method: 'REQUEST', content: calendar },
  date: new Date('2026-12-07T05:39:50.000Z'),
  ...extra,
});

const parse = (raw: Buffer): Promise<ParsedMail> => simpleParser(raw);

/** The raw header block, unfolded, as name → values. */
const rawHeaders = (raw: Buffer): Map<string, string[]> => {
  const text = raw.toString('latin1');
  const head = text.slice(0, text.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const headers = new Map<string, string[]>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return headers;
};

describe('buildCalendarEmail', () => {
  it('reads back with its Chinese subject, sender name, recipients, both bodies and the event', async () => {
    const input = email();
    const raw = buildCalendarEmail(input);
    const mail = await parse(raw);

    expect(mail.subject).toBe(input.subject);
    expect(mail.from?.value).toEqual([
      { name: '联动测试发件人', address: 'noreply@liandong.example.org' },
    ]);
    const addresses = (field: ParsedMail['to']) =>
      [field ?? []].flat().flatMap((a) => a.value.map((v) => v.address));
    expect(addresses(mail.to)).toEqual(['office@gov.example.cn', 'second@gov.example.cn']);
    expect(addresses(mail.replyTo)).toEqual(['organiser@liandong.example.org']);
    expect(mail.date?.toISOString()).toBe('2026-12-07T05:39:50.000Z');
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@liandong\.example\.org>$/);
    // Text in MIME's canonical form on the wire (CRLF), the same lines once read.
    expect(mail.text?.replace(/\r\n/g, '\n').trim()).toBe(input.text);
    expect(mail.html).toBe(input.html);

    // The calendar twice: the alternative that clients show as an invitation, and the file.
    expect(mail.attachments.map((a) => [a.contentType, a.filename, a.contentDisposition])).toEqual([
      ['text/calendar', undefined, undefined],
      ['application/ics', 'invite.ics', 'attachment'],
    ]);
    const [alternative, file] = mail.attachments;
    expect(alternative!.headers.get('content-type')).toMatchObject({
      value: 'text/calendar',
      params: { charset: 'utf-8', method: 'REQUEST' },
    });
    for (const part of [alternative!, file!]) {
      expect(part.content.toString('utf8')).toBe(calendar);
      expect(parseCalendar(part.content.toString('utf8'))).toMatchObject({
        method: 'REQUEST',
        uid: 'A7@liandong.activities',
        sequence: 3,
        summary: '文冲街道代表接待日',
        location: '文冲街道人大代表联络站, 二楼',
      });
    }
  });

  it('nests the bodies and the calendar alternative in multipart/alternative inside multipart/mixed', () => {
    const raw = buildCalendarEmail(email()).toString('latin1');
    const contentTypes = [...raw.matchAll(/^Content-Type: ([^;\r\n]+)(;[^\r\n]*)?/gm)].map(
      (m) => m[1],
    );
    expect(contentTypes).toEqual([
      'multipart/mixed',
      'multipart/alternative',
      'text/plain',
      'text/html',
      'text/calendar',
      'application/ics',
    ]);
    expect(raw).toContain('Content-Type: text/plain; charset=utf-8\r\n');
    expect(raw).toContain('Content-Type: text/calendar; charset=utf-8; method=REQUEST\r\n');
    // Two boundaries, each opened and closed once.
    const boundaries = [...raw.matchAll(/boundary="([^"]+)"/g)].map((m) => m[1]!);
    expect(new Set(boundaries).size).toBe(2);
    for (const boundary of boundaries) {
      expect(raw.split(`--${boundary}--`)).toHaveLength(2);
    }
  });

  it('is 7-bit, CRLF only, lines within 78 characters and base64 within 76', () => {
    const long = '长'.repeat(3000);
    const raw = buildCalendarEmail(
      email({ subject: `${'很长的标题'.repeat(40)}`, text: long, html: `<p>${long}</p>` }),
    );
    expect([...raw].every((byte) => byte < 0x80)).toBe(true);
    const text = raw.toString('ascii');
    expect(text).not.toMatch(/[^\r]\n|\r[^\n]/);
    const lines = text.split('\r\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
    const base64Lines = lines.filter((line) => /^[A-Za-z0-9+/]{20,}={0,2}$/.test(line));
    expect(base64Lines.length).toBeGreaterThan(100);
    expect(Math.max(...base64Lines.map((line) => line.length))).toBe(76);
  });

  it('encodes a long Chinese subject and display name in words that each decode whole', async () => {
    const subject = `${'代表联络站活动通知'.repeat(12)}😀🀄`;
    const raw = buildCalendarEmail(email({ subject, from: `${'发件人'.repeat(20)} <a@b.cn>` }));
    const headers = rawHeaders(raw);
    expect(headers.get('subject')![0]).toMatch(/^(=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= ?)+$/);
    // Every encoded-word holds whole characters (RFC 2047 6.3 forbids splitting one).
    for (const word of headers.get('subject')![0]!.split(' ')) {
      const bytes = Buffer.from(word.slice('=?UTF-8?B?'.length, -2), 'base64');
      expect(bytes.toString('utf8')).not.toContain('\uFFFD');
    }
    const mail = await parse(raw);
    expect(mail.subject).toBe(subject);
    expect(mail.from?.value[0]).toEqual({ name: '发件人'.repeat(20), address: 'a@b.cn' });
  });

  it('keeps an ASCII subject readable and never lets typed text pass as an encoded-word', async () => {
    const plain = buildCalendarEmail(email({ subject: 'Invitation: district reception day' }));
    expect(rawHeaders(plain).get('subject')).toEqual(['Invitation: district reception day']);
    expect((await parse(plain)).subject).toBe('Invitation: district reception day');

    const lookalike = '=?utf-8?Q?=0D=0ABcc:_attacker@example.org?=';
    const raw = buildCalendarEmail(email({ subject: lookalike }));
    const mail = await parse(raw);
    expect(mail.subject).toBe(lookalike);
    expect(mail.bcc).toBeUndefined();
    expect(rawHeaders(raw).get('subject')![0]).toMatch(/^=\?UTF-8\?B\?/);

    const quoted = await parse(buildCalendarEmail(email({ from: 'Liandong "Office" <a@b.cn>' })));
    expect(quoted.from?.value[0]).toEqual({ name: 'Liandong "Office"', address: 'a@b.cn' });
  });

  it('writes exactly the headers of an email, one of each', () => {
    const headers = rawHeaders(buildCalendarEmail(email()));
    expect([...headers.keys()].sort()).toEqual(
      [
        'content-type',
        'date',
        'from',
        'message-id',
        'mime-version',
        'reply-to',
        'subject',
        'to',
      ].sort(),
    );
    for (const values of headers.values()) expect(values).toHaveLength(1);
    expect(headers.get('date')).toEqual(['Mon, 07 Dec 2026 05:39:50 +0000']);
    const bare = rawHeaders(buildCalendarEmail(email({ replyTo: undefined, from: 'a@b.cn' })));
    expect(bare.has('reply-to')).toBe(false);
    expect(bare.get('from')).toEqual(['a@b.cn']);
  });

  it('names a cancellation file and its method', async () => {
    const mail = await parse(
      buildCalendarEmail(
        email({ calendar: { method: 'CANCEL', content: calendar, filename: 'cancel.ics' } }),
      ),
    );
    expect(mail.attachments[0]!.headers.get('content-type')).toMatchObject({
      params: { method: 'CANCEL' },
    });
    expect(mail.attachments[1]!.filename).toBe('cancel.ics');
  });

  it('refuses what it cannot write in 7-bit headers: a non-ASCII local part, an odd file name', () => {
    expect(() => buildCalendarEmail(email({ to: ['李明@例子.中国'] }))).toThrow(/ASCII only/);
    expect(() =>
      buildCalendarEmail(
        email({ calendar: { method: 'REQUEST', content: calendar, filename: 'a"b.ics' } }),
      ),
    ).toThrow(/plain ASCII name/);
    expect(asciiAddress('liming@例子.中国')).toBe('liming@xn--fsqu00a.xn--fiqs8s');
  });
});

describe('encodedWords', () => {
  it('splits between characters, never inside a surrogate pair', () => {
    const words = encodedWords('😀'.repeat(30));
    expect(words.length).toBeGreaterThan(1);
    const decoded = words.map((w) =>
      Buffer.from(w.slice('=?UTF-8?B?'.length, -2), 'base64').toString('utf8'),
    );
    expect(decoded.join('')).toBe('😀'.repeat(30));
    for (const word of decoded) expect(word).toMatch(/^(😀)+$/);
  });
});
