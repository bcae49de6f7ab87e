import type { ActivityItem } from '../data/items.js';
import type { Letterhead } from '../data/jurisdiction.js';
import type { Language } from '../domain/reference.js';
import { bodyText } from './sanitize.js';

/**
 * iCalendar (RFC 5545) events of activities, as iTIP messages (RFC 5546): the invitation and a
 * change carry `METHOD:REQUEST`, a cancellation `METHOD:CANCEL`. A calendar client files them
 * under one event because the UID is the activity's, and takes the one with the highest
 * SEQUENCE as current, so every change to an activity's time or place must raise it.
 *
 * Written by hand rather than with a generator library: one event with a fixed-offset zone
 * needs only RFC 5545's escaping and line folding, which this module does and the tests check
 * with a real parser (ical.js).
 */

export type CalendarMethod = 'REQUEST' | 'CANCEL';

export interface CalendarPerson {
  name: string;
  email: string;
}

export interface CalendarEventInput {
  method: CalendarMethod;
  /** The activity's id: the event's UID is derived from it, so it never changes. */
  activityId: string;
  /** Raised with every change of the activity's time, place or details. */
  sequence: number;
  title: string;
  description?: string;
  location: string;
  /** ISO instants. */
  startsAt: string;
  endsAt: string;
  organizer: CalendarPerson;
  attendee: CalendarPerson;
  /** When the message is made (DTSTAMP). */
  stamp: Date;
}

/** Activities happen in Guangzhou; China has kept UTC+8 without daylight saving since 1991. */
export const CALENDAR_TIME_ZONE = 'Asia/Shanghai';
const ZONE_OFFSET_MS = 8 * 3600_000;

const PRODUCT_ID = '-//Liandong//Activity Calendar//ZH';
const UID_DOMAIN = 'liandong.activities';

/** The stable UID of an activity's event. */
export const calendarUidOf = (activityId: string): string => `${activityId}@${UID_DOMAIN}`;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const basicDate = (date: Date) =>
  `${pad(date.getUTCFullYear(), 4)}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}T` +
  `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;

const utcTime = (date: Date) => `${basicDate(date)}Z`;

/** Local time in Asia/Shanghai, for `DTSTART;TZID=Asia/Shanghai:`. */
const shanghaiTime = (iso: string) => {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) throw new Error(`Invalid calendar time: ${JSON.stringify(iso)}`);
  return basicDate(new Date(instant + ZONE_OFFSET_MS));
};

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const wellFormed = (text: string) => text.replace(LONE_SURROGATE, '\uFFFD');

/**
 * TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma, and line breaks as `\n`;
 * other control characters dropped. Lone surrogates become U+FFFD so the UTF-8 is well formed.
 */
export const escapeText = (text: string): string =>
  bodyText(wellFormed(text))
    .replace(/\t/g, ' ')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n');

/** A `CN` parameter value: quoted, without the characters a quoted value may not hold. */
const paramValue = (text: string) =>
  // eslint-disable-next-line no-control-regex
  `"${wellFormed(text).replace(/[\u0000-\u001f\u007f"]/g, '')}"`;

const encoder = new TextEncoder();

/**
 * Folds a content line to at most 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence or a
 * surrogate pair: Chinese text is 3 octets a character.
 */
export const foldLine = (line: string): string => {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // Continuation lines start with a space, which counts toward their 75 octets.
    const limit = parts.length === 0 ? 75 : 74;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n ');
};

const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${CALENDAR_TIME_ZONE}`,
  'BEGIN:STANDARD',
  'DTSTART:19700101T000000',
  'TZOFFSETFROM:+0800',
  'TZOFFSETTO:+0800',
  'TZNAME:CST',
  'END:STANDARD',
  'END:VTIMEZONE',
];

/** The iCalendar object of one activity for one invitee, CRLF line ends. */
export const buildCalendarEvent = (input: CalendarEventInput): string => {
  if (!Number.isSafeInteger(input.sequence) || input.sequence < 0) {
    throw new Error(`Invalid calendar sequence: ${input.sequence}`);
  }
  const cancel = input.method === 'CANCEL';
  const lines = [
    'BEGIN:VCALENDAR',
    `PRODID:${PRODUCT_ID}`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    `METHOD:${input.method}`,
    ...VTIMEZONE,
    'BEGIN:VEVENT',
    `UID:${calendarUidOf(input.activityId)}`,
    `SEQUENCE:${input.sequence}`,
    `DTSTAMP:${utcTime(input.stamp)}`,
    `DTSTART;TZID=${CALENDAR_TIME_ZONE}:${shanghaiTime(input.startsAt)}`,
    `DTEND;TZID=${CALENDAR_TIME_ZONE}:${shanghaiTime(input.endsAt)}`,
    `SUMMARY:${escapeText(input.title)}`,
    `LOCATION:${escapeText(input.location)}`,
    ...(input.description ? [`DESCRIPTION:${escapeText(input.description)}`] : []),
    `ORGANIZER;CN=${paramValue(input.organizer.name)}:mailto:${input.organizer.email}`,
    // The answer is given on the platform, not by a calendar reply: RSVP=FALSE.
    `ATTENDEE;CN=${paramValue(input.attendee.name)};ROLE=REQ-PARTICIPANT;` +
      `PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:${input.attendee.email}`,
    `STATUS:${cancel ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
};

/** The address in `Name <address>` or a bare address. */
const addressOf = (sender: string): string => (/<([^<>]+)>\s*$/.exec(sender)?.[1] ?? sender).trim();

/**
 * The calendar event of an activity for one invitee: organised by the standing committee (the
 * letterhead's name, in the invitee's language like the email it travels with) from the
 * sender's address; SEQUENCE is the activity's calendar sequence
 * (raised by each change of its time, place or details), one more for a cancellation so that it
 * supersedes the last request.
 */
export const activityCalendarEvent = (
  activity: Pick<
    ActivityItem,
    'id' | 'title' | 'description' | 'location' | 'startsAt' | 'endsAt'
  > & { revision?: number },
  invitee: CalendarPerson,
  method: CalendarMethod,
  options: { senderEmail: string; stamp: Date; language: Language; letterhead: Letterhead },
): string => {
  const sequence = activity.revision ?? 0;
  return buildCalendarEvent({
    method,
    activityId: activity.id,
    sequence: method === 'CANCEL' ? sequence + 1 : sequence,
    title: activity.title,
    ...(activity.description ? { description: activity.description } : {}),
    location: activity.location,
    startsAt: activity.startsAt,
    endsAt: activity.endsAt,
    organizer: {
      name: options.letterhead.standingCommittee[options.language],
      email: addressOf(options.senderEmail),
    },
    attendee: invitee,
    stamp: options.stamp,
  });
};
