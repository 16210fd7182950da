import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { whenLabel } from '../appointments/appointment.rules';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { currentLanguage, intlLocale } from '../common/i18n';
import { tr } from '../common/translate';
import type { HolidayZone } from '../common/public-holidays';
import { zonedFormat } from '../common/zoned-time';
import { FamiliesService } from '../families/families.service';
import { addDays, askedWeek, type BookingWeek, bookingWeeks, firstBookableWeek, inWeek, slotDay } from './booking-weeks.rules';
import { bookableTemplates, closuresFrom, settingsOrDefaults } from './calendar.queries';
import { visitOfEstablishment as dayVisitOf } from './visit-day.queries';
import {
  activePermitsOf,
  type DetaineePermit,
  detaineeForBooking,
  detaineeVisitsBetween,
  type EcrouDetainee,
  type FamilyPermit,
  familyPermits,
  familyVisits,
  type FamilyVisitRow,
  permitsForBooking,
  permitsOfVisit,
  presentDetaineeByEcrou,
  presentDetainees,
  type PresentDetainee,
  reviewQueue,
  type ReviewRow,
  slotOccupancy,
  visitToMove,
} from './visit.queries';
import type { VisitPlace } from '../permits/permit-validity';
import {
  canCancel,
  checkWindow,
  type ClosedReason,
  dayLabel,
  nameMatches,
  occurrence,
  placesText,
  type SlotDay,
  type SlotRefusal,
  slotRefusal,
  slotsByDay,
  templateClosedOn,
  type Viewer,
  visitPlace,
  type VisitSettings,
  weekOf,
  weeklyEntitlement,
} from './visit.rules';

/** A slot occurrence inside the booking window, with the places left (held places count as taken). */
export interface OpenSlot {
  templateId: string;
  day: string;
  startsAt: Date;
  endsAt: Date;
  room: string;
  free: number;
  timeZone: string;
  /** Day, hours and room kind, as a permit's conditions see them. */
  place: VisitPlace;
  /** The day is closed (public holiday, closure with its reason), or null. */
  closed: ClosedReason | null;
}

/** A slot as a booking or move page shows it: its time and room, its places, and why it cannot be taken (null: it can). */
export interface SlotOption extends OpenSlot {
  /** The form value: `<weekly slot id>|<YYYY-MM-DD>`. */
  value: string;
  /** « 14 h 00 – 15 h 00 » */
  time: string;
  /** « 1 place libre », « 10 places libres », « Complet » */
  places: string;
  refusal: SlotRefusal | null;
  /** Full, and this family could take it otherwise: it may join the waiting list. */
  waitlist: boolean;
  /** The visiting room may take it over the establishment's weekly cap, with a reason (the week is used). */
  overCap: boolean;
}

/** Whose request a slot grid answers: the detainee, the visitors who come, who reads it. */
interface GridRequest {
  detaineeId: string;
  permitIds: string[];
  viewer: Viewer;
  /** The visit being moved (its place, week and permits' use left out), or null for a booking. */
  exceptVisit: string | null;
  /** A family booking (not a move, not the visiting room) may join the waiting list of a full slot. */
  waitlist: boolean;
  /** The slot of the visit being moved (weekly slot and start): shown as its current time, not offered. */
  current?: { templateId: string | null; startsAt: Date };
}

/** A detainee the family may book for (it holds an active permit for them). */
export interface BookableDetainee {
  detaineeId: string;
  detainee: string;
  establishmentId: string;
  establishment: string;
  timeZone: string;
  holidayZone: HolidayZone;
}

/** What a slot calendar needs to know of its establishment: its clock and its public holidays. */
export interface EstablishmentCalendar {
  id: string;
  timeZone: string;
  holidayZone: HolidayZone;
}

export interface FamilyVisitItem extends FamilyVisitRow {
  when: string;
  /** The family may still move or cancel it online. */
  changeable: boolean;
}

/** Which week a booking page asks for: the `semaine` query parameter (any day of it), the slot chosen in a form sent back. */
export interface WeekQuery {
  semaine?: unknown;
  /** The slot of a refused form (or the full slot whose waiting list it joins): its week is shown, so that it stays chosen. */
  slot?: unknown;
}

/** The week a booking page shows, among the weeks of the booking window. */
export interface WeekShown {
  weeks: BookingWeek[];
  current: BookingWeek;
  /** The week asked for cannot be shown (not a day, outside the window): why, in plain French; the first week is shown. */
  notice: string | null;
  /** No week asked: the first weeks have no slot this request may take, and this one is the first that has (said above the slots). */
  skipped: string | null;
}

/** The visit a move page shows, and the slots it may go to, by day. */
export interface MoveForm {
  visit: { id: string; reference: string; detainee: string; room: string; when: string };
  days: SlotDay<SlotOption>[];
}

/** The family's booking page: whom it visits, who comes, then the slots for them, by day. */
export interface BookingForm {
  detainees: BookableDetainee[];
  chosen: BookableDetainee | undefined;
  /** The family's visitors for the chosen detainee (their active permits). */
  visitors: FamilyPermit[];
  /** The visitors who come (chosen, or the only one); empty until chosen. */
  coming: FamilyPermit[];
  /** The slots of the week shown, by day. */
  days: SlotDay<SlotOption>[];
  /** The week shown (null until the visitors who come are known, or when online booking is closed). */
  week: WeekShown | null;
  /** A full slot offers its waiting list. */
  waitlist: boolean;
  /** Online booking is closed in this establishment: what to do instead (no slot is shown). */
  staffOnly: string | null;
}

/** The agent's booking page: the detainee found (by écrou or name), the visitors who come, the slots, the family's known contact. */
export interface StaffBookingForm {
  /** Several detainees match the name searched: the agent picks one (homonyms told apart by écrou, housing and birth date). */
  matches: PresentDetainee[];
  found: { detainee: EcrouDetainee; permits: DetaineePermit[] } | null;
  coming: DetaineePermit[];
  /** The slots of the week shown, by day. */
  days: SlotDay<SlotOption>[];
  /** The week shown (null until the visitors who come are known). */
  week: WeekShown | null;
  /** The e-mail and mobile number of the family account whose permits are chosen, to pre-fill. */
  contact: { email: string | null; phone: string | null; family: string } | null;
}

/** At most this many detainees are listed for a name (the agent narrows the search beyond). */
export const MAX_MATCHES = 30;

const HHMM = new Map<string, Intl.DateTimeFormat>();
/** « 14 h 00 » in French, « 14:00 » in the other languages (the request's), on the establishment's clock. */
function timeOf(d: Date, timeZone: string): string {
  const language = currentLanguage();
  const key = `${language}|${timeZone}`;
  let f = HHMM.get(key);
  if (!f)
    HHMM.set(key, (f = new Intl.DateTimeFormat(intlLocale(language), { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })));
  return language === 'fr' ? f.format(d).replace(':', ' h ') : f.format(d);
}

/**
 * The read models of visits: the slot grids of the booking and move pages (every slot of the window,
 * with why a request cannot take it, by the booking's own rules), the family's booking form and
 * visits, the agent's booking and move forms, and the "À revoir" queue. Reads only, outside any transaction.
 */
@Injectable()
export class VisitReadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly families: FamiliesService,
  ) {}

  private get db() {
    return this.dataSource.manager;
  }

  settings(establishmentId: string): Promise<VisitSettings> {
    return settingsOrDefaults(this.db, establishmentId);
  }

  /**
   * The slot occurrences inside the booking window (only those of the local days `days`, when given):
   * the weekly slots of active rooms, with the places left; those of a closed day (holiday, closure) are
   * kept with the reason, so that the pages say it.
   */
  async openSlots(establishment: EstablishmentCalendar, settings: VisitSettings, days?: { from: string; to: string }): Promise<OpenSlot[]> {
    const now = this.clock.now();
    const tz = establishment.timeZone;
    const today = zonedFormat(now, tz, 'yyyy-MM-dd');
    const last = zonedFormat(new Date(now.getTime() + settings.horizonDays * 86400_000), tz, 'yyyy-MM-dd');
    const from = days && days.from > today ? days.from : today;
    const to = days && days.to < last ? days.to : last;
    if (from > to) return [];
    const [templates, closures, occupancy] = await Promise.all([
      bookableTemplates(this.db, establishment.id),
      closuresFrom(this.db, establishment.id, from),
      slotOccupancy(this.db, establishment.id, now),
    ]);
    const taken = new Map(occupancy.map((s) => [`${s.roomId}|${s.startsAt.toISOString()}`, s.taken]));
    const slots: OpenSlot[] = [];
    for (let day = from; day <= to; day = addDays(day, 1)) {
      for (const t of templates) {
        const closed = templateClosedOn(t, day, closures, settings, establishment.holidayZone);
        if (closed && (closed.code === 'WRONG_DAY' || closed.code === 'NOT_VALID')) continue;
        const { startsAt, endsAt } = occurrence(t, day, tz);
        if (checkWindow(startsAt, now, settings)) continue;
        const free = t.capacity - (taken.get(`${t.roomId}|${startsAt.toISOString()}`) ?? 0);
        slots.push({
          templateId: t.id,
          day,
          startsAt,
          endsAt,
          room: t.room,
          free,
          timeZone: tz,
          place: visitPlace(t, day),
          closed,
        });
      }
    }
    return slots.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.room.localeCompare(b.room, 'fr'));
  }

  /**
   * Every open slot for one request, by day, each with why it cannot be taken: the booking command's
   * rules (`slotRefusal`), fed with what it reads — the permits (limits, visits used), the visitors'
   * ages on each day, the detainee's visits of each week, the places left. The command checks again
   * under its locks; a slot the grid offers is one it accepts unless something changed meanwhile.
   */
  private async grid(
    establishment: EstablishmentCalendar,
    r: GridRequest,
    settings: VisitSettings,
    days?: { from: string; to: string },
  ): Promise<SlotDay<SlotOption>[]> {
    const now = this.clock.now();
    const [slots, permits, detainee] = await Promise.all([
      this.openSlots(establishment, settings, days),
      permitsForBooking(this.db, r.permitIds, r.exceptVisit),
      detaineeForBooking(this.db, r.detaineeId),
    ]);
    const held = detainee && detainee.establishmentId === establishment.id && detainee.custodyStatus === 'PRESENT';
    const last = slots.at(-1);
    const visits =
      held && last
        ? await detaineeVisitsBetween(this.db, r.detaineeId, weekOf(now, establishment.timeZone).from, last.endsAt, r.exceptVisit)
        : [];
    const entitlement = detainee ? weeklyEntitlement(detainee.legalStatus, settings) : 0;
    const options = slots.map((s): SlotOption => {
      const isCurrent = r.current?.templateId === s.templateId && r.current.startsAt.getTime() === s.startsAt.getTime();
      const refusal: SlotRefusal | null = isCurrent
        ? { code: 'SAME_SLOT', message: tr('visits:refusals.currentSlot') }
        : slotRefusal({
            closed: s.closed,
            permits,
            place: s.place,
            settings,
            startsAt: s.startsAt,
            endsAt: s.endsAt,
            visits: held ? visits : null,
            entitlement,
            timeZone: establishment.timeZone,
            viewer: r.viewer,
            free: s.free,
          });
      return {
        ...s,
        value: `${s.templateId}|${s.day}`,
        time: `${timeOf(s.startsAt, s.timeZone)} – ${timeOf(s.endsAt, s.timeZone)}`,
        places: placesText(s.free),
        refusal,
        waitlist: r.waitlist && refusal?.code === 'FULL',
        overCap: r.viewer === 'STAFF' && refusal?.code === 'ENTITLEMENT_USED',
      };
    });
    return slotsByDay(options);
  }

  /**
   * The slots of one week of the booking window for one request: the week of the slot a refused form
   * chose, else the week asked (`semaine`), else the first week with a slot the request may take. Only
   * that week is read and shown; without a week asked the whole window is read to find it.
   */
  private async weekGrid(
    establishment: EstablishmentCalendar,
    r: GridRequest,
    settings: VisitSettings,
    q: WeekQuery,
  ): Promise<{ days: SlotDay<SlotOption>[]; week: WeekShown | null }> {
    const weeks = bookingWeeks(this.clock.now(), settings, establishment.timeZone);
    const chosenDay = slotDay(q.slot);
    const ofSlot = chosenDay ? weeks.find((w) => inWeek(chosenDay, w)) : undefined;
    const asked = ofSlot ? { week: ofSlot, problem: null } : askedWeek(weeks, q.semaine, settings.horizonDays);
    if (asked.week) {
      const days = await this.grid(establishment, r, settings, { from: asked.week.monday, to: asked.week.sunday });
      return { days, week: { weeks, current: asked.week, notice: null, skipped: null } };
    }
    const all = await this.grid(establishment, r, settings);
    const current = firstBookableWeek(
      weeks,
      all.flatMap((d) => d.slots),
    );
    if (!current) return { days: all, week: null };
    const before = weeks.indexOf(current);
    const skipped =
      !asked.problem && before > 0
        ? tr(before > 1 ? 'visits:weeks.skippedMany' : 'visits:weeks.skippedOne', { day: dayLabel(current.monday) })
        : null;
    return { days: all.filter((d) => inWeek(d.day, current)), week: { weeks, current, notice: asked.problem, skipped } };
  }

  /**
   * The family's booking page: the detainees it holds active permits for; once one is chosen (or when
   * there is only one), its visitors for them; once the visitors who come are chosen (or when there is
   * only one), every slot, with why these visitors cannot take it.
   */
  async bookingForm(
    familyId: string,
    detaineeId: string | undefined,
    visitorIds: string[] | undefined,
    weekQuery: WeekQuery = {},
  ): Promise<BookingForm> {
    const permits = await familyPermits(this.db, familyId);
    const detainees = [...new Map(permits.map((p) => [p.detaineeId, bookable(p)])).values()];
    const chosen = detainees.find((d) => d.detaineeId === detaineeId) ?? (detainees.length === 1 ? detainees[0] : undefined);
    const none = { detainees, chosen, visitors: [], coming: [], days: [], week: null, waitlist: false, staffOnly: null };
    if (!chosen) return none;
    const visitors = permits.filter((p) => p.detaineeId === chosen.detaineeId).sort(byVisitor);
    const coming = visitorIds === undefined && visitors.length === 1 ? visitors : visitors.filter((v) => visitorIds?.includes(v.id));
    if (coming.length === 0) return { ...none, visitors };
    const settings = await this.settings(chosen.establishmentId);
    if (!settings.onlineBooking)
      return {
        ...none,
        visitors,
        coming,
        staffOnly: tr('visits:refusals.STAFF_ONLY'),
      };
    const { days, week } = await this.weekGrid(
      { id: chosen.establishmentId, timeZone: chosen.timeZone, holidayZone: chosen.holidayZone },
      { detaineeId: chosen.detaineeId, permitIds: coming.map((v) => v.id), viewer: { familyId }, exceptVisit: null, waitlist: true },
      settings,
      weekQuery,
    );
    const waitlist = days.some((d) => d.slots.some((s) => s.waitlist));
    return { detainees, chosen, visitors, coming, days, week, waitlist, staffOnly: null };
  }

  /** "Mes visites": the family's visits, with those it may still move or cancel online. */
  async familyVisits(familyId: string): Promise<FamilyVisitItem[]> {
    const now = this.clock.now();
    const visits = await familyVisits(this.db, familyId);
    // One settings read per establishment, not per visit.
    const establishments = [...new Set(visits.filter((v) => v.status === 'BOOKED').map((v) => v.establishmentId))];
    const settings = new Map(await Promise.all(establishments.map(async (id) => [id, await this.settings(id)] as const)));
    return visits.map((v) => {
      const s = settings.get(v.establishmentId);
      return {
        ...v,
        when: whenLabel(v.startsAt, v.timeZone, currentLanguage()),
        changeable: v.status === 'BOOKED' && s !== undefined && canCancel(v.startsAt, now, s),
      };
    });
  }

  /** The family's booked visit to move, and the other slots with why it cannot go there (404 for anyone else's). */
  async familyMoveForm(familyId: string, visitId: string): Promise<MoveForm> {
    const visit = (await familyVisits(this.db, familyId)).find((v) => v.id === visitId && v.status === 'BOOKED');
    if (!visit) throw new DomainError('NOT_FOUND', tr('visits:errors.visitNotFound'), 404);
    return this.moveForm(visit, { id: visit.establishmentId, timeZone: visit.timeZone, holidayZone: visit.holidayZone }, { familyId });
  }

  /** A booked visit of the establishment to move at the family's request (404 otherwise). */
  async staffMoveForm(establishment: EstablishmentCalendar, visitId: string): Promise<MoveForm> {
    const visit = await dayVisitOf(this.db, establishment.id, visitId);
    if (!visit) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
    if (visit.status !== 'BOOKED') throw new DomainError('NOT_BOOKED', 'Cette visite n’est plus réservée.', 404);
    return this.moveForm(visit, establishment, 'STAFF');
  }

  private async moveForm(
    visit: { id: string; reference: string; detainee: string; room: string; startsAt: Date },
    establishment: EstablishmentCalendar,
    viewer: Viewer,
  ): Promise<MoveForm> {
    const [permits, current, settings] = await Promise.all([
      permitsOfVisit(this.db, visit.id),
      visitToMove(this.db, visit.id),
      this.settings(establishment.id),
    ]);
    const days = await this.grid(
      establishment,
      {
        detaineeId: current!.detaineeId,
        current: current!,
        permitIds: permits.map((p) => p.id),
        viewer,
        exceptVisit: visit.id,
        waitlist: false,
      },
      settings,
    );
    return {
      visit: {
        id: visit.id,
        reference: visit.reference,
        detainee: visit.detainee,
        room: visit.room,
        when: whenLabel(visit.startsAt, establishment.timeZone, currentLanguage()),
      },
      days,
    };
  }

  /**
   * The agent's booking page. `search`: an écrou (exact, spaces and case aside) or a name (any order,
   * accents and marks aside, in any script), among the detainees present; a name several detainees
   * share lists them all. `ecrou`: the detainee chosen. Then every active permit for them; once the
   * visitors who come are chosen (or when only one holds a permit), every slot with why they cannot
   * take it, and the contact details of the family whose permits these are.
   */
  async staffBookingForm(
    establishment: EstablishmentCalendar,
    q: { search: string; ecrou: string; visitorIds: string[] | undefined },
    weekQuery: WeekQuery = {},
  ): Promise<StaffBookingForm> {
    const empty: StaffBookingForm = { matches: [], found: null, coming: [], days: [], week: null, contact: null };
    let detainee = q.ecrou ? await presentDetaineeByEcrou(this.db, establishment.id, q.ecrou) : null;
    if (!detainee && q.search) {
      detainee = await presentDetaineeByEcrou(this.db, establishment.id, q.search);
      if (!detainee) {
        const matches = (await presentDetainees(this.db, establishment.id)).filter((d) => nameMatches(q.search, d.name));
        if (matches.length !== 1) return { ...empty, matches };
        detainee = matches[0];
      }
    }
    if (!detainee) return empty;
    const permits = (await activePermitsOf(this.db, detainee.id)).sort(byVisitor);
    const found = {
      detainee: { id: detainee.id, name: detainee.name, ecrouNumber: detainee.ecrouNumber, housing: detainee.housing },
      permits,
    };
    const coming = q.visitorIds === undefined && permits.length === 1 ? permits : permits.filter((p) => q.visitorIds?.includes(p.id));
    if (coming.length === 0) return { ...empty, found };
    const families = [...new Set(coming.map((p) => p.familyAccountId))];
    const settings = await this.settings(establishment.id);
    const [{ days, week }, account] = await Promise.all([
      this.weekGrid(
        establishment,
        { detaineeId: detainee.id, permitIds: coming.map((p) => p.id), viewer: 'STAFF', exceptVisit: null, waitlist: false },
        settings,
        weekQuery,
      ),
      families.length === 1 && families[0] ? this.families.find(families[0]) : null,
    ]);
    const contact = account
      ? { email: account.email, phone: account.mobilePhone, family: `${account.givenName} ${account.familyName}` }
      : null;
    return { matches: [], found, coming, days, week, contact };
  }

  /** "À revoir": future visits flagged after a permit or custody change, soonest first. */
  async reviewQueue(establishment: { id: string; timeZone: string }): Promise<(ReviewRow & { when: string })[]> {
    return (await reviewQueue(this.db, establishment.id)).map((r) => ({ ...r, when: whenLabel(r.startsAt, establishment.timeZone) }));
  }
}

/** Visitors in alphabetical order as French readers expect it (Ł with L, Ş with S), whatever the database's collation. */
function byVisitor(a: { visitor: string }, b: { visitor: string }): number {
  return a.visitor.localeCompare(b.visitor, 'fr');
}

function bookable(p: FamilyPermit): BookableDetainee {
  return {
    detaineeId: p.detaineeId,
    detainee: p.detainee,
    establishmentId: p.establishmentId,
    establishment: p.establishment,
    timeZone: p.timeZone,
    holidayZone: p.holidayZone,
  };
}
