import { isoDayOfWeek } from './visit.rules';
import type { RoomKind } from './visiting-room.entity';

/**
 * What a change of the visiting-room calendar (a closure, a closure lifted, a room or a weekly slot
 * edited or deactivated, a closure edited) does to the visits already booked: the calendar after the change, and the
 * visits that no longer fit it, with the reason the family is told. Pure: the administrator's
 * read-back and the change itself compute the same list.
 */

export interface CalendarRoom {
  id: string;
  name: string;
  kind: RoomKind;
  cabins: number;
  active: boolean;
}

export interface CalendarTemplate {
  id: string;
  roomId: string;
  dayOfWeek: number;
  /** HH:MM, local to the establishment. */
  start: string;
  end: string;
  capacity: number;
  validFrom: string;
  validTo: string | null;
}

export interface CalendarClosure {
  /** Null for a closure not saved yet. */
  id: string | null;
  day: string;
  roomId: string | null;
  templateId: string | null;
  reason: string;
}

export interface Calendar {
  rooms: CalendarRoom[];
  templates: CalendarTemplate[];
  closures: CalendarClosure[];
}

/** A closure as the administrator types it: a day, the whole establishment or a room or a weekly slot, the reason families read. */
export type ClosureFields = Omit<CalendarClosure, 'id'>;

export type CalendarChange =
  | { kind: 'CLOSE'; closure: ClosureFields }
  | { kind: 'LIFT'; closureId: string }
  /** A closure edited: the same closure (same id), its day, room, slot or reason replaced. */
  | { kind: 'EDIT_CLOSURE'; closureId: string; closure: ClosureFields }
  | { kind: 'ROOM'; roomId: string; room: { name: string; kind: RoomKind; cabins: number; active: boolean } }
  | { kind: 'TEMPLATE'; templateId: string; template: Omit<CalendarTemplate, 'id' | 'roomId'> };

/** A booked visit still to come, where the calendar placed it. */
export interface PlacedVisit {
  id: string;
  slotId: string;
  roomId: string;
  /** Null for a visit of a GENESIS list (no weekly slot behind it). */
  templateId: string | null;
  /** Local day and times of the visit. */
  day: string;
  start: string;
  end: string;
  /** The slot's places: its capacity now, and those held for a family of the waiting list. */
  slotCapacity: number;
  slotHeld: number;
  bookedAt: Date;
}

export type MisfitCause = 'CLOSURE' | 'ROOM' | 'TEMPLATE' | 'CAPACITY';

export interface Misfit {
  visitId: string;
  cause: MisfitCause;
  /** What the family is told (the closure's reason, as the administrator typed it, or why the slot changed). */
  reason: string;
}

export const MISFIT_REASONS: Record<Exclude<MisfitCause, 'CLOSURE'>, string> = {
  ROOM: 'le parloir de votre visite ne reçoit plus de visites',
  TEMPLATE: 'le créneau de votre visite est supprimé ou ses horaires ont changé',
  CAPACITY: 'le nombre de places du créneau de votre visite a été réduit',
};

/** What an SMS says of why (never the reason typed by staff, which the e-mail gives). */
export const SMS_REASONS: Record<MisfitCause, string> = {
  CLOSURE: 'fermeture exceptionnelle',
  ROOM: 'changement des horaires de visite',
  TEMPLATE: 'changement des horaires de visite',
  CAPACITY: 'changement des horaires de visite',
};

/** The calendar once the change is made (the calendar given is not changed). */
export function applyChange(c: Calendar, change: CalendarChange): Calendar {
  switch (change.kind) {
    case 'CLOSE':
      return { ...c, closures: [...c.closures, { id: null, ...change.closure }] };
    case 'LIFT':
      return { ...c, closures: c.closures.filter((x) => x.id !== change.closureId) };
    case 'EDIT_CLOSURE':
      return { ...c, closures: c.closures.map((x) => (x.id === change.closureId ? { id: x.id, ...change.closure } : x)) };
    case 'ROOM': {
      const cabins = change.room.cabins;
      return {
        ...c,
        rooms: c.rooms.map((r) => (r.id === change.roomId ? { ...r, ...change.room } : r)),
        // A slot never has more places than its room has cabins.
        templates: c.templates.map((t) => (t.roomId === change.roomId && t.capacity > cabins ? { ...t, capacity: cabins } : t)),
      };
    }
    case 'TEMPLATE':
      return { ...c, templates: c.templates.map((t) => (t.id === change.templateId ? { ...t, ...change.template } : t)) };
  }
}

/** The closure that covers a visit's day, room and weekly slot, if any. */
function closureOf(v: PlacedOccurrence, closures: CalendarClosure[]): CalendarClosure | undefined {
  return closures.find(
    (c) => c.day === v.day && (c.roomId === null || c.roomId === v.roomId) && (c.templateId === null || c.templateId === v.templateId),
  );
}

/** Whether the weekly slot still gives the visit's occurrence: same room, day of the week, validity and hours. */
function templateGives(t: CalendarTemplate | undefined, v: PlacedOccurrence): boolean {
  return (
    t !== undefined &&
    t.roomId === v.roomId &&
    t.dayOfWeek === isoDayOfWeek(v.day) &&
    v.day >= t.validFrom &&
    (t.validTo === null || v.day <= t.validTo) &&
    t.start === v.start &&
    t.end === v.end
  );
}

/** The capacity a visit's slot has in the calendar: its weekly slot's, or (GENESIS) its own, never above the room's cabins. */
export function slotCapacity(v: PlacedVisit, c: Calendar): number {
  const t = v.templateId ? c.templates.find((x) => x.id === v.templateId) : undefined;
  const room = c.rooms.find((r) => r.id === v.roomId);
  return Math.min(t ? t.capacity : v.slotCapacity, room ? room.cabins : v.slotCapacity);
}

/** An occurrence of a weekly slot (or a GENESIS list's slot: no template) on a day, where the calendar placed it. */
export type PlacedOccurrence = Pick<PlacedVisit, 'roomId' | 'templateId' | 'day' | 'start' | 'end'>;

/**
 * Why the calendar no longer gives an occurrence (a booked visit's, or the one a family of the waiting
 * list waits for): its room closed for good, a closure of its day, its weekly slot gone or changed;
 * null when it still takes place.
 */
export function occurrenceGone(o: PlacedOccurrence, c: Calendar): { cause: Exclude<MisfitCause, 'CAPACITY'>; reason: string } | null {
  const room = c.rooms.find((r) => r.id === o.roomId);
  if (!room || !room.active) return { cause: 'ROOM', reason: MISFIT_REASONS.ROOM };
  const closure = closureOf(o, c.closures);
  if (closure) return { cause: 'CLOSURE', reason: closure.reason };
  if (
    o.templateId &&
    !templateGives(
      c.templates.find((t) => t.id === o.templateId),
      o,
    )
  )
    return { cause: 'TEMPLATE', reason: MISFIT_REASONS.TEMPLATE };
  return null;
}

/**
 * The booked visits the calendar no longer allows, each with one reason: its room closed for good,
 * a closure of its day, its weekly slot gone or changed, or too few places left (the last booked
 * go first; places held for the waiting list count as taken).
 */
export function misfits(visits: PlacedVisit[], c: Calendar): Misfit[] {
  const out: Misfit[] = [];
  const staying = new Map<string, PlacedVisit[]>();
  for (const v of visits) {
    const gone = occurrenceGone(v, c);
    if (gone) out.push({ visitId: v.id, ...gone });
    else staying.set(v.slotId, [...(staying.get(v.slotId) ?? []), v]);
  }
  for (const slotVisits of staying.values()) {
    const capacity = slotCapacity(slotVisits[0], c);
    const excess = slotVisits.length + slotVisits[0].slotHeld - capacity;
    if (excess <= 0) continue;
    const lastFirst = [...slotVisits].sort((a, b) => b.bookedAt.getTime() - a.bookedAt.getTime() || b.id.localeCompare(a.id));
    for (const v of lastFirst.slice(0, excess)) out.push({ visitId: v.id, cause: 'CAPACITY', reason: MISFIT_REASONS.CAPACITY });
  }
  return out;
}
