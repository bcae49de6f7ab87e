import { domainToASCII } from 'node:url';
import type { CalendarMethod } from './calendar.js';

/**
 * The MIME message (RFC 5322, RFC 2045-2047) of an email that carries a calendar event, for SES
 * `SendRawEmail`:
 *
 *     multipart/mixed
 *       multipart/alternative
 *         text/plain; charset=utf-8
 *         text/html; charset=utf-8
 *         text/calendar; charset=utf-8; method=REQUEST|CANCEL   (what clients show as an invitation)
 *       application/ics; name=invite.ics                        (the same event as a file)
 *
 * Seven-bit on the wire, so Chinese text survives any relay: every body is UTF-8 in base64
 * wrapped at 76 characters, a subject or display name that is not plain ASCII is written as
 * RFC 2047 encoded-words, lines end in CRLF.
 *
 * Written here rather than with nodemailer's MailComposer: that one shape needs only the
 * encodings above, while MailComposer brought 135 KB of code (74 KB of it a MIME-type table)
 * that every email-sending function parsed at each cold start. The tests read the output back
 * with a real MIME parser (mailparser) and the calendar parts with ical.js.
 */

export interface CalendarEmail {
  /** `a@b.cn` or `名称 <a@b.cn>`. */
  from: string;
  to: readonly string[];
  replyTo?: readonly string[];
  subject: string;
  text: string;
  html: string;
  calendar: {
    method: CalendarMethod;
    /** The iCalendar text, CRLF line ends. */
    content: string;
    /** Default `invite.ics`. */
    filename?: string;
  };
  /** The Date header (default now). */
  date?: Date;
}

const CRLF = '\r\n';
/** RFC 5322's recommended line length; every line this module writes stays within it. */
const LINE = 78;
/** base64 line length (RFC 2045 6.8). */
const BASE64_LINE = 76;
/**
 * UTF-8 bytes per encoded-word: 42 bytes are 56 base64 characters, 68 with `=?UTF-8?B?…?=`,
 * so even the first word after `Subject: ` fits in a line (RFC 2047 allows 75).
 */
const WORD_BYTES = 42;

/** A phrase that can stand as it is: printable ASCII, single spaces, no encoded-word lookalike. */
const PLAIN_ASCII = /^(?:[\x21-\x7e]+ )*[\x21-\x7e]+$/;

/** RFC 2047 `B` encoded-words, split between characters so none is cut in two. */
export const encodedWords = (text: string): string[] => {
  const words: string[] = [];
  let chunk = '';
  for (const character of text) {
    if (Buffer.byteLength(chunk + character) > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += character;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`);
};

/**
 * The tokens of an unstructured header (Subject): its words when it is plain ASCII and no
 * word would overflow a line, else encoded-words. Text that merely looks like an encoded-word
 * (`=?utf-8?Q?…?=`) is encoded too, so no reader decodes what a user typed.
 */
const headerWords = (text: string): string[] => {
  const words = text.split(' ');
  const plain =
    PLAIN_ASCII.test(text) && !text.includes('=?') && words.every((w) => w.length <= LINE - 20);
  return plain ? words : encodedWords(text);
};

/** `Name: token token …`, folded (CRLF + space) before a token that would overflow the line. */
const foldHeader = (name: string, tokens: readonly string[], separator = ' '): string => {
  let header = `${name}:`;
  let lineLength = header.length;
  tokens.forEach((token, i) => {
    const glue = i === 0 ? ' ' : separator;
    if (i > 0 && lineLength + glue.length + token.length > LINE) {
      header += `${glue.trimEnd()}${CRLF} ${token}`;
      lineLength = 1 + token.length;
    } else {
      header += `${glue}${token}`;
      lineLength += glue.length + token.length;
    }
  });
  return header;
};

/**
 * An address for a header: ASCII only (an internationalised domain in punycode); a local part
 * outside ASCII would need SMTPUTF8, which SES does not offer.
 */
export const asciiAddress = (address: string): string => {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = domainToASCII(address.slice(at + 1));
  if (at < 1 || !domain || !/^[\x21-\x7e]+$/.test(local)) {
    throw new Error(`Cannot write ${JSON.stringify(address)} in a MIME header (ASCII only)`);
  }
  return `${local}@${domain}`;
};

/** `a@b.cn` or `名称 <a@b.cn>` as header tokens: the display name quoted or encoded. */
const mailbox = (value: string): { tokens: string[]; address: string } => {
  const named = /^(.*?)\s*<([^<>]+)>$/.exec(value.trim());
  if (!named) return { tokens: [asciiAddress(value.trim())], address: asciiAddress(value.trim()) };
  const name = named[1]!.replace(/^"(.*)"$/, '$1').trim();
  const address = asciiAddress(named[2]!.trim());
  if (!name) return { tokens: [`<${address}>`], address };
  const display = PLAIN_ASCII.test(name)
    ? [`"${name.replace(/[\\"]/g, '\\$&')}"`]
    : encodedWords(name);
  return { tokens: [...display, `<${address}>`], address };
};

/** UTF-8 in base64, 76 characters a line. */
const base64Body = (content: string): string =>
  Buffer.from(content, 'utf8')
    .toString('base64')
    .replace(new RegExp(`.{${BASE64_LINE}}(?=.)`, 'g'), `$&${CRLF}`);

/** Text in MIME's canonical form: every line break CRLF (RFC 2046 4.1.1). */
const crlfLines = (text: string): string => text.replace(/\r\n|\r|\n/g, CRLF);

/** An RFC 5322 date in UTC: `Mon, 07 Dec 2026 05:39:50 +0000`. */
const rfc5322Date = (date: Date): string => date.toUTCString().replace(/GMT$/, '+0000');

/**
 * A boundary that cannot occur in the message: `=_` never appears in base64 or in a header this
 * module writes, and the random part keeps an enclosing and an inner boundary apart.
 */
const newBoundary = (): string => `=_liandong_${crypto.randomUUID().replaceAll('-', '')}`;

interface Part {
  headers: string[];
  body: string;
}

const leaf = (contentType: string, content: string, extra: string[] = []): Part => ({
  headers: [`Content-Type: ${contentType}`, ...extra, 'Content-Transfer-Encoding: base64'],
  body: base64Body(content),
});

const multipart = (subtype: 'mixed' | 'alternative', parts: Part[]): Part => {
  const boundary = newBoundary();
  return {
    headers: [`Content-Type: multipart/${subtype};${CRLF} boundary="${boundary}"`],
    body:
      parts.map((part) => `--${boundary}${CRLF}${render(part)}${CRLF}`).join('') +
      `--${boundary}--`,
  };
};

const render = (part: Part): string => `${part.headers.join(CRLF)}${CRLF}${CRLF}${part.body}`;

const FILENAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,60}$/;

/** The whole message, ready for `SendRawEmail`'s `RawMessage.Data`. */
export const buildCalendarEmail = (email: CalendarEmail): Buffer => {
  const filename = email.calendar.filename ?? 'invite.ics';
  if (!FILENAME.test(filename)) {
    throw new Error(`Calendar file name ${JSON.stringify(filename)} must be a plain ASCII name`);
  }
  const from = mailbox(email.from);
  const domain = from.address.slice(from.address.lastIndexOf('@') + 1);
  const addressList = (addresses: readonly string[]) => addresses.map(asciiAddress);
  const headers = [
    foldHeader('From', from.tokens),
    foldHeader('To', addressList(email.to), ', '),
    ...(email.replyTo?.length ? [foldHeader('Reply-To', addressList(email.replyTo), ', ')] : []),
    foldHeader('Subject', headerWords(email.subject)),
    `Message-ID: <${crypto.randomUUID()}@${domain}>`,
    `Date: ${rfc5322Date(email.date ?? new Date())}`,
    'MIME-Version: 1.0',
  ];
  const body = multipart('mixed', [
    multipart('alternative', [
      leaf('text/plain; charset=utf-8', crlfLines(email.text)),
      leaf('text/html; charset=utf-8', crlfLines(email.html)),
      leaf(`text/calendar; charset=utf-8; method=${email.calendar.method}`, email.calendar.content),
    ]),
    leaf(`application/ics; name="${filename}"`, email.calendar.content, [
      `Content-Disposition: attachment; filename="${filename}"`,
    ]),
  ]);
  const message = `${headers.join(CRLF)}${CRLF}${render(body)}${CRLF}`;
  // Every piece above is ASCII by construction; this guards the construction.
  if (!/^\p{ASCII}*$/u.test(message)) throw new Error('MIME message is not 7-bit');
  return Buffer.from(message, 'ascii');
};
