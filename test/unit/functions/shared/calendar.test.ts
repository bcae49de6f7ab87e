// unit test: the iCalendar builder, read back with ical.js (a real parser)
import { DEMO_JURISDICTION } from '../../../../infra/local/demo-jurisdiction';
import { describe, expect, it } from 'vitest';
import {
  activityCalendarEvent,
  buildCalendarEvent,
  calendarUidOf,
  foldLine,
} from '../../../../functions/shared/email/calendar.js';
import { calendarEventInput, parseCalendar } from '../../../support/calendar.js';

const event = calendarEventInput;

const octets = (line: string) => new TextEncoder().encode(line).length;

describe('buildCalendarEvent', () => {
  it('reads back as the request of the activity in Shanghai time', () => {
    const text = buildCalendarEvent(event());
    const parsed = parseCalendar(text);
    expect(parsed).toMatchObject({
      method: 'REQUEST',
      uid: calendarUidOf('01JACTIVITY0000000000000001'),
      sequence: 0,
      summary: '文冲街道代表接待日',
      location: '文冲街道人大代表联络站, 二楼',
      description: '听取群众意见；反映问题，请带好材料',
      status: 'CONFIRMED',
      start: '2026-12-08T01:30:00.000Z',
      end: '2026-12-08T04:00:00.000Z',
      startZone: 'Asia/Shanghai',
      organizer: 'mailto:noreply@liandong.example.org',
      organizerName: '黄埔区人大常委会',
      attendee: 'mailto:liming@example.cn',
    });
    // 09:30 local: the wall-clock time a deputy in Guangzhou sees.
    expect(text).toContain('DTSTART;TZID=Asia/Shanghai:20261208T093000\r\n');
  });

  it('keeps the UID and raises SEQUENCE; a cancellation is METHOD:CANCEL', () => {
    const update = parseCalendar(buildCalendarEvent(event({ sequence: 2 })));
    const cancel = parseCalendar(buildCalendarEvent(event({ method: 'CANCEL', sequence: 3 })));
    expect(update.uid).toBe(calendarUidOf('01JACTIVITY0000000000000001'));
    expect(update.sequence).toBe(2);
    expect(cancel).toMatchObject({ method: 'CANCEL', status: 'CANCELLED', sequence: 3 });
    expect(cancel.uid).toBe(update.uid);
  });

  it('escapes text so no value can add a property or a component', () => {
    const hostile = 'a;b,c\\d\nEND:VEVENT\r\nBEGIN:VTODO\u0007';
    const text = buildCalendarEvent(
      event({ title: hostile, location: hostile, description: hostile }),
    );
    const parsed = parseCalendar(text);
    expect(parsed.summary).toBe('a;b,c\\d\nEND:VEVENT\nBEGIN:VTODO');
    expect(parsed.location).toBe(parsed.summary);
    expect(text.split('\r\n').filter((line) => line === 'END:VEVENT')).toHaveLength(1);
    expect(text.split('\r\n')).not.toContain('BEGIN:VTODO');
  });

  it('drops quotes from a CN parameter and repairs lone surrogates', () => {
    const parsed = parseCalendar(
      buildCalendarEvent(
        event({
          attendee: { name: '李"明";ROLE=CHAIR', email: 'x@example.cn' },
          title: 'a\uD800b',
        }),
      ),
    );
    expect(parsed.attendee).toBe('mailto:x@example.cn');
    expect(parsed.summary).toBe('a\uFFFDb');
  });

  it('folds long Chinese lines at 75 octets without splitting a character', () => {
    const long = '黄埔区'.repeat(60);
    const text = buildCalendarEvent(event({ description: long }));
    for (const line of text.split('\r\n')) expect(octets(line)).toBeLessThanOrEqual(75);
    expect(parseCalendar(text).description).toBe(long);
    expect(foldLine('x'.repeat(75))).toBe('x'.repeat(75));
    expect(foldLine('x'.repeat(76))).toBe(`${'x'.repeat(75)}\r\n x`);
  });

  it('refuses an invalid time or sequence', () => {
    expect(() => buildCalendarEvent(event({ startsAt: 'tomorrow' }))).toThrow(
      /Invalid calendar time/,
    );
    expect(() => buildCalendarEvent(event({ sequence: -1 }))).toThrow(/Invalid calendar sequence/);
  });
});

describe('activityCalendarEvent', () => {
  const activity = {
    id: '01JACTIVITY0000000000000002',
    title: 'Reception day',
    location: 'Station',
    startsAt: '2026-12-08T01:30:00.000Z',
    endsAt: '2026-12-08T04:00:00.000Z',
  };
  const stamp = new Date('2026-12-01T00:00:00.000Z');

  it('names the letterhead as organiser at the sender address; a cancel supersedes the request', () => {
    const options = {
      senderEmail: '联动 <noreply@liandong.example.org>',
      stamp,
      language: 'en' as const,
      letterhead: DEMO_JURISDICTION.district,
    };
    const invitee = { name: 'Li Ming', email: 'liming@example.cn' };
    const request = parseCalendar(
      activityCalendarEvent({ ...activity, revision: 4 }, invitee, 'REQUEST', options),
    );
    const cancel = parseCalendar(
      activityCalendarEvent({ ...activity, revision: 4 }, invitee, 'CANCEL', options),
    );
    expect(request).toMatchObject({
      sequence: 4,
      organizer: 'mailto:noreply@liandong.example.org',
      organizerName: DEMO_JURISDICTION.district.standingCommittee.en,
    });
    expect(cancel.sequence).toBe(5);
    // The organiser is named in the invitee's language, like the email it travels with.
    expect(
      parseCalendar(
        activityCalendarEvent(activity, invitee, 'REQUEST', { ...options, language: 'zh' }),
      ).organizerName,
    ).toBe(DEMO_JURISDICTION.district.standingCommittee.zh);
    // Never changed: sequence 0.
    expect(
      parseCalendar(activityCalendarEvent(activity, invitee, 'REQUEST', options)).sequence,
    ).toBe(0);
  });
});
