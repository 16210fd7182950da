import { createEvent } from 'ics';

export interface CalendarEvent {
  uid: string;
  start: string; // ISO
  end: string; // ISO
  title: string;
  location: string;
  description: string;
}

/** Whether stored data is a calendar event (a message's `ics`), as the outbox worker attaches it. */
export function isCalendarEvent(v: unknown): v is CalendarEvent {
  const e = v as Partial<CalendarEvent> | null;
  return typeof e === 'object' && e !== null && typeof e.uid === 'string' && typeof e.start === 'string' && typeof e.end === 'string';
}

/** An .ics file (RFC 5545) for an appointment, in UTC. */
export function icsFile(event: CalendarEvent): string {
  const toArray = (iso: string) => {
    const d = new Date(iso);
    return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()] as [
      number,
      number,
      number,
      number,
      number,
    ];
  };
  const { error, value } = createEvent({
    uid: event.uid,
    start: toArray(event.start),
    startInputType: 'utc',
    startOutputType: 'utc',
    end: toArray(event.end),
    endInputType: 'utc',
    endOutputType: 'utc',
    title: event.title,
    location: event.location,
    description: event.description,
    productId: 'p2v/justice',
    method: 'PUBLISH',
  });
  if (error || !value) throw error ?? new Error('ics generation failed');
  return value;
}
