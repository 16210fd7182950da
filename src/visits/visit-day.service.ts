import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import {
  checkDurations,
  checksOf,
  countsPerSlot,
  countsPerWeek,
  type DayVisitor,
  type DayVisitRow,
  lockDayVisit,
  markDone,
  recordCheck,
  refusalsByReason,
  setStatusAfterCheck,
  type VisitCounts,
  visitByAppointment,
  visitOfEstablishment,
  visitorCheck,
  visitorsOf,
  visitsBetween,
} from './visit-day.queries';
import { type PermitInUse, permitRefusal, type PermitRefusalCode } from '../permits/permit-validity';
import { canCheck, type CheckStatus, median, type RefusalReason, statusAfterChecks, type VisitStatus } from './visit-day.rules';
import { minorAtDoor } from './visit.rules';
import { zonedFormat, zonedInstant } from '../common/zoned-time';

/** The establishment a day's work is for: its id and its clock. */
export interface Site {
  id: string;
  timeZone: string;
}

/** Midnight to midnight of a local day, as instants. */
export function dayBounds(day: string, timeZone: string): { from: Date; to: Date } {
  const next = new Date(Date.parse(`${day}T12:00:00Z`) + 86400_000).toISOString().slice(0, 10);
  return { from: zonedInstant(`${day} 00:00`, timeZone), to: zonedInstant(`${next} 00:00`, timeZone) };
}

/** The local day of an instant on the establishment's clock. */
export function localDay(instant: Date, timeZone: string): string {
  return zonedFormat(instant, timeZone, 'yyyy-MM-dd');
}

/** A visitor on the day's list and the arrival page, with what the agent must know of the permit. */
export interface CheckedVisitor extends DayVisitor {
  /** Why the permit does not allow this visit (plain French, for the agent), or null. */
  permitProblem: string | null;
  /** The refusal reason to choose when the permit does not allow the visit. */
  suggestedReason: RefusalReason | null;
  /** A minor on the visit's day: whether they may come without an adult (plain French), or null. */
  minorNote: string | null;
}

export interface VisitWithVisitors extends DayVisitRow {
  visitors: CheckedVisitor[];
}

/**
 * Why a visitor's permit does not allow this visit, on the establishment's clock: its status, its
 * limits on the visit's day (end date, number of visits: those before this one), its conditions of
 * place and time (R341-1). Null for a visitor without a digital permit (the paper is checked).
 */
export function permitProblem(
  v: Pick<DayVisitRow, 'startsAt' | 'endsAt' | 'roomKind'>,
  permit: PermitInUse | null,
  timeZone: string,
): { code: PermitRefusalCode; message: string } | null {
  if (!permit) return null;
  const day = localDay(v.startsAt, timeZone);
  const place = {
    day,
    startTime: zonedFormat(v.startsAt, timeZone, 'HH:mm'),
    endTime: zonedFormat(v.endsAt, timeZone, 'HH:mm'),
    isoDay: Number(zonedFormat(v.startsAt, timeZone, 'i')),
    roomKind: v.roomKind,
  };
  return permitRefusal(permit, place, 'Le permis de ce visiteur');
}

function checked(v: DayVisitRow, x: DayVisitor, timeZone: string): CheckedVisitor {
  const problem = permitProblem(v, x.permit, timeZone);
  return {
    ...x,
    permitProblem: problem?.message ?? null,
    suggestedReason: problem ? (problem.code === 'PERMIT_SUSPENDED' ? 'PERMIT_SUSPENDED' : 'PERMIT_INVALID') : null,
    minorNote: minorAtDoor(x.birthdate, localDay(v.startsAt, timeZone), x.unaccompaniedConsent),
  };
}

/**
 * The day at the visiting rooms: the list of the day per slot, the arrival check of each visitor
 * (audited, with the agent and the time), the end of visits, and the statistics.
 */
@Injectable()
export class VisitDayService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** Today on the establishment's clock. */
  today(timeZone: string): string {
    return localDay(this.clock.now(), timeZone);
  }

  /** Every visit of the day (cancelled ones aside), in time order, with their visitors; `search` filters by name or reference. */
  async day(site: Site, day: string, search = ''): Promise<VisitWithVisitors[]> {
    const { from, to } = dayBounds(day, site.timeZone);
    const visits = await visitsBetween(this.dataSource.manager, site.id, from, to, search.trim());
    return this.withVisitors(visits, site.timeZone);
  }

  /** A visit of the establishment with its visitors (404 for another establishment's). */
  async visit(site: Site, id: string): Promise<VisitWithVisitors> {
    const v = await visitOfEstablishment(this.dataSource.manager, site.id, id);
    if (!v) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
    const [withVisitors] = await this.withVisitors([v], site.timeZone);
    return withVisitors;
  }

  private async withVisitors(visits: DayVisitRow[], timeZone: string): Promise<VisitWithVisitors[]> {
    if (visits.length === 0) return [];
    const visitors = await visitorsOf(
      this.dataSource.manager,
      visits.map((v) => v.id),
    );
    return visits.map((v) => ({ ...v, visitors: visitors.filter((x) => x.visitId === v.id).map((x) => checked(v, x, timeZone)) }));
  }

  /** The visit whose convocation carries this appointment (its QR code), with its establishment's code. */
  byAppointment(appointmentId: string): Promise<{ id: string; establishmentCode: string } | null> {
    return visitByAppointment(this.dataSource.manager, appointmentId);
  }

  /**
   * Marks one visitor arrived, absent or refused (with the reason). The visit's status follows;
   * the first and last check times are kept for the statistics. Audited with the agent and time.
   */
  async check(
    actor: Actor,
    site: Site,
    visitId: string,
    visitorId: string,
    status: CheckStatus,
    reason: RefusalReason | null,
  ): Promise<VisitStatus> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const v = await lockDayVisit(m, site.id, visitId);
      if (!v) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
      if (v.status === 'CANCELLED') throw new DomainError('CANCELLED', 'Cette visite est annulée.', 409);
      if (v.status === 'DONE') throw new DomainError('DONE', 'Cette visite est terminée.', 409);
      if (!canCheck(localDay(v.startsAt, site.timeZone), localDay(now, site.timeZone))) {
        throw new DomainError('NOT_TODAY', 'L’arrivée des visiteurs se vérifie le jour de la visite.', 409);
      }
      const before = await visitorCheck(m, visitId, visitorId);
      const row = await visitOfEstablishment(m, site.id, visitId);
      if (!before || !row) throw new DomainError('NOT_FOUND', 'Visiteur introuvable.', 404);
      // Status, limits and conditions of the permit (R341-1): the agent can only refuse, and reads why.
      const problem = status === 'ARRIVED' ? permitProblem(row, before.permit, site.timeZone) : null;
      if (problem?.code === 'PERMIT_SUSPENDED') {
        throw new DomainError(
          'PERMIT_NOT_ACTIVE',
          'Le permis de ce visiteur n’est plus valable : refusez l’accès avec le motif « permis suspendu ».',
          409,
        );
      }
      if (problem)
        throw new DomainError(
          'PERMIT_INVALID',
          `${problem.message} Refusez l’accès avec le motif « permis non valable pour cette visite ».`,
          409,
        );
      const kept = status === 'REFUSED' ? reason : null;
      await recordCheck(m, visitorId, { status, reason: kept, at: now, by: actor.type === 'AGENT' ? (actor.id ?? null) : null });
      const next = statusAfterChecks(v.status, await checksOf(m, visitId));
      await setStatusAfterCheck(m, visitId, next, now);
      await this.audit.record(
        {
          actor,
          action: 'VISITOR_CHECKED',
          entityType: 'visit',
          entityId: visitId,
          establishmentId: site.id,
          before: { visitor: visitorId, check: before.checkStatus, reason: before.refusalReason, visit: v.status },
          after: { visitor: visitorId, check: status, reason: kept, visit: next, at: now.toISOString() },
        },
        m,
      );
      return next;
    });
  }

  /** The visit is over: terminée (held). Returns its local day (the list to go back to). */
  async finish(actor: Actor, site: Site, visitId: string): Promise<string> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const v = await lockDayVisit(m, site.id, visitId);
      if (!v) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
      if (v.status !== 'IN_PROGRESS') throw new DomainError('NOT_IN_PROGRESS', 'Seule une visite en cours peut être terminée.', 409);
      await markDone(m, visitId, now);
      await this.audit.record(
        {
          actor,
          action: 'VISIT_FINISHED',
          entityType: 'visit',
          entityId: visitId,
          establishmentId: site.id,
          before: { status: 'IN_PROGRESS' },
          after: { status: 'DONE', at: now.toISOString() },
        },
        m,
      );
      return localDay(v.startsAt, site.timeZone);
    });
  }

  /**
   * Statistics over a period of local days: visits booked, held, no-shows (per ISO week and per
   * slot), refusals by reason, and the median time between a visit's first and last visitor check.
   */
  async statistics(site: Site, fromDay: string, toDay: string) {
    const db = this.dataSource.manager;
    const from = dayBounds(fromDay, site.timeZone).from;
    const to = dayBounds(toDay, site.timeZone).to;
    const [weeks, slots, refusals, durations] = await Promise.all([
      countsPerWeek(db, site.id, from, to, site.timeZone),
      countsPerSlot(db, site.id, from, to, site.timeZone),
      refusalsByReason(db, site.id, from, to),
      checkDurations(db, site.id, from, to),
    ]);
    const total = weeks.reduce<VisitCounts>(
      (a, w) => ({
        booked: a.booked + w.booked,
        held: a.held + w.held,
        noShows: a.noShows + w.noShows,
        refused: a.refused + w.refused,
        cancelled: a.cancelled + w.cancelled,
      }),
      { booked: 0, held: 0, noShows: 0, refused: 0, cancelled: 0 },
    );
    return { weeks, slots, refusals, total, medianCheckSeconds: median(durations), checkedVisits: durations.length };
  }
}
