import ICAL from 'ical.js';
import type { CalendarEventInput } from '../../functions/shared/email/calendar.js';

/** An activity's event as the tests build it: Chinese text, a comma to escape, Shanghai times. */
export const calendarEventInput = (
  extra: Partial<CalendarEventInput> = {},
): CalendarEventInput => ({
  method: 'REQUEST',
  activityId: '01JACTIVITY0000000000000001',
  sequence: 0,
  title: '文冲街道代表接待日',
  description: '听取群众意见；反映问题，请带好材料',
  location: '文冲街道人大代表联络站, 二楼',
  startsAt: '2026-12-08T01:30:00.000Z',
  endsAt: '2026-12-08T04:00:00.000Z',
  organizer: { name: '黄埔区人大常委会', email: 'noreply@liandong.example.org' },
  attendee: { name: '李明', email: 'liming@example.cn' },
  stamp: new Date('2026-12-01T00:00:00.000Z'),
  ...extra,
});

/** What a calendar client reads from an iCalendar object, through ical.js (a real parser). */
export interface ParsedCalendarEvent {
  method: string;
  uid: string;
  sequence: number;
  summary: string;
  location: string;
  description: string | null;
  status: string;
  /** Instants in UTC, ISO. */
  start: string;
  end: string;
  startZone: string;
  organizer: string;
  organizerName: string;
  attendee: string;
}

export const parseCalendar = (text: string): ParsedCalendarEvent => {
  const calendar = new ICAL.Component(ICAL.parse(text));
  // The zone the event names must be the one the object defines.
  for (const zone of calendar.getAllSubcomponents('vtimezone')) {
    ICAL.TimezoneService.register(zone);
  }
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  const event = new ICAL.Event(vevent);
  const organizer = vevent.getFirstProperty('organizer');
  return {
    method: String(calendar.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: event.sequence,
    summary: event.summary,
    location: event.location,
    description: event.description ?? null,
    status: String(vevent.getFirstPropertyValue('status')),
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    startZone: event.startDate.zone?.tzid ?? '',
    organizer: String(organizer?.getFirstValue()),
    organizerName: String(organizer?.getParameter('cn')),
    attendee: String(vevent.getFirstPropertyValue('attendee')),
  };
};
