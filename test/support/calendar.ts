import ICAL from 'ical.js';

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
