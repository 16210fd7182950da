import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { whenLabel } from '../appointments/appointment.rules';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import type { HolidayZone } from '../common/public-holidays';
import { bookableTemplates, closuresFrom, settingsOrDefaults } from './calendar.queries';
import { visitOfEstablishment as dayVisitOf } from './visit-day.queries';
import {
  activePermitsOf,
  type DetaineePermit,
  type EcrouDetainee,
  type FamilyPermit,
  familyPermits,
  familyVisits,
  type FamilyVisitRow,
  permitsForBooking,
  permitsOfVisit,
  presentDetaineeByEcrou,
  reviewQueue,
  type ReviewRow,
  slotOccupancy,
} from './visit.queries';
import type { VisitPlace } from '../permits/permit-validity';
import { canCancel, checkWindow, occurrence, permitsRefusal, templateClosedOn, visitPlace, type VisitSettings } from './visit.rules';

/** A slot a family or an agent can choose, with the places left (held places count as taken). */
export interface OpenSlot {
  templateId: string;
  day: string;
  startsAt: Date;
  room: string;
  free: number;
  timeZone: string;
  /** "mercredi 9 décembre 2026 à 14:00", on the establishment's clock. */
  when: string;
  /** Day, hours and room kind, as a permit's conditions see them. */
  place: VisitPlace;
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

/** The visit a move page shows, and the other slots it may go to. */
export interface MoveForm {
  visit: { id: string; reference: string; detainee: string; room: string; when: string };
  slots: OpenSlot[];
}

/**
 * The read models of visits: the slots open to booking, the family's booking form and visits, the
 * agent's booking and move forms, and the "À revoir" queue. Reads only, outside any transaction.
 */
@Injectable()
export class VisitReadService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  private get db() {
    return this.dataSource.manager;
  }

  settings(establishmentId: string): Promise<VisitSettings> {
    return settingsOrDefaults(this.db, establishmentId);
  }

  /** The slots open to booking: the weekly slots of active rooms inside the booking window, with the places left. */
  async openSlots(establishment: EstablishmentCalendar): Promise<OpenSlot[]> {
    const now = this.clock.now();
    const [settings, templates, closures, occupancy] = await Promise.all([
      this.settings(establishment.id),
      bookableTemplates(this.db, establishment.id),
      closuresFrom(this.db, establishment.id, now.toISOString().slice(0, 10)),
      slotOccupancy(this.db, establishment.id, now),
    ]);
    const taken = new Map(occupancy.map((s) => [`${s.roomId}|${s.startsAt.toISOString()}`, s.taken]));
    const slots: OpenSlot[] = [];
    for (let d = 0; d <= settings.horizonDays; d++) {
      const day = new Date(now.getTime() + d * 86400_000).toISOString().slice(0, 10);
      for (const t of templates) {
        if (templateClosedOn(t, day, closures, settings, establishment.holidayZone)) continue;
        const { startsAt } = occurrence(t, day, establishment.timeZone);
        if (checkWindow(startsAt, now, settings)) continue;
        const free = t.capacity - (taken.get(`${t.roomId}|${startsAt.toISOString()}`) ?? 0);
        slots.push({
          templateId: t.id,
          day,
          startsAt,
          room: t.room,
          free,
          timeZone: establishment.timeZone,
          when: whenLabel(startsAt, establishment.timeZone),
          place: visitPlace(t, day),
        });
      }
    }
    return slots.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  }

  /**
   * The open slots these permits allow (R341-1: a separation-room permit sees only separation rooms,
   * a permit for some days or hours only those, none after its end), by any of them: on a booking
   * form the visitors are still to be chosen, and the booking checks the chosen ones. A move form
   * offers only the slots every permit of the visit allows (moveForm).
   */
  private async allowedSlots(establishment: EstablishmentCalendar, permitIds: string[]): Promise<OpenSlot[]> {
    const [slots, permits] = await Promise.all([this.openSlots(establishment), permitsForBooking(this.db, permitIds)]);
    if (permits.length === 0) return slots;
    return slots.filter((s) => permits.some((p) => permitsRefusal([p], s.place) === null));
  }

  /**
   * The family's booking form: the detainees it holds active permits for; once one is chosen (or
   * when there is only one), the visitors holding those permits and the open slots.
   */
  async bookingForm(
    familyId: string,
    detaineeId: string | undefined,
  ): Promise<{ detainees: BookableDetainee[]; chosen: BookableDetainee | undefined; visitors: FamilyPermit[]; slots: OpenSlot[] }> {
    const permits = await familyPermits(this.db, familyId);
    const detainees = [...new Map(permits.map((p) => [p.detaineeId, bookable(p)])).values()];
    const chosen = detainees.find((d) => d.detaineeId === detaineeId) ?? (detainees.length === 1 ? detainees[0] : undefined);
    if (!chosen) return { detainees, chosen, visitors: [], slots: [] };
    return {
      detainees,
      chosen,
      visitors: permits.filter((p) => p.detaineeId === chosen.detaineeId),
      slots: await this.allowedSlots(
        { id: chosen.establishmentId, timeZone: chosen.timeZone, holidayZone: chosen.holidayZone },
        permits.filter((p) => p.detaineeId === chosen.detaineeId).map((p) => p.id),
      ),
    };
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
        when: whenLabel(v.startsAt, v.timeZone),
        changeable: v.status === 'BOOKED' && s !== undefined && canCancel(v.startsAt, now, s),
      };
    });
  }

  /** The family's booked visit to move, and the other open slots (404 for anyone else's). */
  async familyMoveForm(familyId: string, visitId: string): Promise<MoveForm> {
    const visit = (await familyVisits(this.db, familyId)).find((v) => v.id === visitId && v.status === 'BOOKED');
    if (!visit) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
    return this.moveForm(visit, { id: visit.establishmentId, timeZone: visit.timeZone, holidayZone: visit.holidayZone });
  }

  /** A booked visit of the establishment to move at the family's request (404 otherwise). */
  async staffMoveForm(establishment: EstablishmentCalendar, visitId: string): Promise<MoveForm> {
    const visit = await dayVisitOf(this.db, establishment.id, visitId);
    if (!visit) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
    if (visit.status !== 'BOOKED') throw new DomainError('NOT_BOOKED', 'Cette visite n’est plus réservée.', 404);
    return this.moveForm(visit, establishment);
  }

  private async moveForm(
    visit: { id: string; reference: string; detainee: string; room: string; startsAt: Date },
    establishment: EstablishmentCalendar,
  ): Promise<MoveForm> {
    const permits = await permitsOfVisit(this.db, visit.id);
    const slots = (await this.openSlots(establishment)).filter(
      (s) => s.startsAt.getTime() !== visit.startsAt.getTime() && permitsRefusal(permits, s.place) === null,
    );
    return {
      visit: {
        id: visit.id,
        reference: visit.reference,
        detainee: visit.detainee,
        room: visit.room,
        when: whenLabel(visit.startsAt, establishment.timeZone),
      },
      slots,
    };
  }

  /** The agent's booking form: the detainee present with this écrou and every active permit for them, and the open slots. */
  async staffBookingForm(
    establishment: EstablishmentCalendar,
    ecrou: string,
  ): Promise<{ found: { detainee: EcrouDetainee; permits: DetaineePermit[] } | null; slots: OpenSlot[] }> {
    const detainee = ecrou ? await presentDetaineeByEcrou(this.db, establishment.id, ecrou) : null;
    if (!detainee) return { found: null, slots: [] };
    const permits = await activePermitsOf(this.db, detainee.id);
    const slots = await this.allowedSlots(
      establishment,
      permits.map((p) => p.id),
    );
    return { found: { detainee, permits }, slots };
  }

  /** "À revoir": future visits flagged after a permit or custody change, soonest first. */
  async reviewQueue(establishment: { id: string; timeZone: string }): Promise<(ReviewRow & { when: string })[]> {
    return (await reviewQueue(this.db, establishment.id)).map((r) => ({ ...r, when: whenLabel(r.startsAt, establishment.timeZone) }));
  }
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
