import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { dayBounds, localDay } from './visit-day.service';
import { VisitBookingService } from './visit-booking.service';
import { lockDetainee, presentDetaineeByEcrou } from './visit.queries';
import {
  type AffectedVisit,
  detaineeVisits,
  endRestriction,
  insertRestriction,
  overlapping,
  type RestrictionRow,
  restrictionOf,
  restrictionsOf,
} from './visit-restriction.queries';
import {
  DETAINEE_UNAVAILABLE_NOTICE,
  DETAINEE_UNAVAILABLE_REASON,
  periodRefusal,
  type PreventionCause,
  type RestrictionKind,
  visitsToCancel,
} from './visit-restriction.rules';
import { weekOf } from './visit.rules';

export interface RestrictionInput {
  ecrou: string;
  kind: RestrictionKind;
  cause: PreventionCause | null;
  /** Local days, both included. */
  from: string;
  to: string;
  note: string | null;
}

/** What the read-back shows before confirming: the detainee, the period, and the visits it cancels. */
export interface RestrictionPreview {
  detainee: { id: string; name: string; ecrouNumber: string };
  input: RestrictionInput;
  from: Date;
  to: Date;
  cancelled: AffectedVisit[];
}

interface Site {
  id: string;
  timeZone: string;
}

/**
 * Periods when a detainee cannot receive the visits booked (R341-3): materially prevented, or in
 * the disciplinary cell with one visit a week. Recording one shows first the visits it cancels;
 * confirmed, it cancels them in one transaction (under the detainee's booking lock) and each family
 * is told with DETAINEE_UNAVAILABLE_REASON only. Bookings in the period are refused. A period may
 * be ended early (visits already cancelled stay so: the families may book again). Audited.
 */
@Injectable()
export class VisitRestrictionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly booking: VisitBookingService,
    private readonly clock: Clock,
  ) {}

  /** The periods in force or to come, and those that ended in the last week. */
  list(site: Site): Promise<RestrictionRow[]> {
    return restrictionsOf(this.dataSource.manager, site.id, new Date(this.clock.now().getTime() - 7 * 86400_000));
  }

  /** The read-back: what the period would cancel now. `onTheDay`: a visiting-room agent records only a prevention today. */
  async preview(site: Site, input: RestrictionInput, onTheDay: boolean): Promise<RestrictionPreview> {
    return this.previewIn(this.dataSource.manager, site, input, this.clock.now(), onTheDay);
  }

  private async previewIn(
    m: EntityManager,
    site: Site,
    input: RestrictionInput,
    now: Date,
    onTheDay: boolean,
  ): Promise<RestrictionPreview> {
    const today = localDay(now, site.timeZone);
    if (onTheDay && (input.kind !== 'PREVENTED' || input.from !== today || input.to !== today))
      throw new DomainError(
        'ON_THE_DAY',
        'Au parloir, vous enregistrez seulement un empêchement pour aujourd’hui. Le greffe ou le chef d’établissement enregistre les autres périodes.',
        403,
      );
    const refused = periodRefusal(input.from, input.to, today);
    if (refused) throw new DomainError(refused.field === 'from' ? 'FROM' : 'TO', refused.message);
    const d = await presentDetaineeByEcrou(m, site.id, input.ecrou);
    if (!d) throw new DomainError('UNKNOWN_ECROU', 'Aucune personne détenue présente n’a ce numéro d’écrou.');
    const from = dayBounds(input.from, site.timeZone).from;
    const to = dayBounds(input.to, site.timeZone).to;
    if (await overlapping(m, d.id, input.kind, from, to))
      throw new DomainError('OVERLAP', 'Une période de ce type est déjà enregistrée sur ces dates pour cette personne détenue.', 409);
    // The disciplinary rule counts the visits of whole weeks: read from the Monday of the first one.
    const visits = await detaineeVisits(m, d.id, weekOf(from, site.timeZone).from, to);
    const ids = new Set(visitsToCancel(input.kind, visits, { from, to }, now, site.timeZone));
    return {
      detainee: { id: d.id, name: d.name, ecrouNumber: d.ecrouNumber },
      input,
      from,
      to,
      cancelled: visits.filter((v) => ids.has(v.id)),
    };
  }

  /** Records the period and cancels its visits (families told), in one transaction. Returns how many were cancelled. */
  async record(actor: Actor, site: Site, input: RestrictionInput, onTheDay: boolean): Promise<{ id: string; cancelled: number }> {
    const now = this.clock.now();
    try {
      return await this.dataSource.transaction(async (m) => {
        const first = await this.previewIn(m, site, input, now, onTheDay);
        await lockDetainee(m, first.detainee.id);
        const p = await this.previewIn(m, site, input, now, onTheDay); // again under the lock: no booking slipped in between
        const id = await insertRestriction(m, {
          establishmentId: site.id,
          detaineeId: p.detainee.id,
          kind: input.kind,
          cause: input.kind === 'PREVENTED' ? input.cause : null,
          from: p.from,
          to: p.to,
          note: input.note,
          by: actor.id!,
        });
        for (const v of p.cancelled)
          await this.booking.cancelByStaffIn(m, actor, site.id, v.id, DETAINEE_UNAVAILABLE_REASON, now, DETAINEE_UNAVAILABLE_NOTICE);
        await this.audit.record(
          {
            actor,
            action: 'VISIT_RESTRICTION_RECORDED',
            entityType: 'visit_restriction',
            entityId: id,
            establishmentId: site.id,
            after: {
              detainee: p.detainee.id,
              kind: input.kind,
              cause: input.kind === 'PREVENTED' ? input.cause : null,
              from: p.from.toISOString(),
              to: p.to.toISOString(),
              cancelledVisits: p.cancelled.map((v) => v.reference),
            },
          },
          m,
        );
        return { id, cancelled: p.cancelled.length };
      });
    } catch (e) {
      const driver = e instanceof QueryFailedError ? (e as { driverError?: { code?: string } }).driverError : undefined;
      if (driver?.code === '23P01')
        throw new DomainError('OVERLAP', 'Une période de ce type est déjà enregistrée sur ces dates pour cette personne détenue.', 409);
      throw e;
    }
  }

  /** Ends a period now (or, not started yet, before it starts). Visits already cancelled stay cancelled. */
  async end(actor: Actor, site: Site, id: string, onTheDay: boolean): Promise<void> {
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const r = await restrictionOf(m, site.id, id, true);
      if (!r) throw new DomainError('NOT_FOUND', 'Période introuvable.', 404);
      if (onTheDay && r.kind !== 'PREVENTED')
        throw new DomainError(
          'ON_THE_DAY',
          'Seul le greffe ou le chef d’établissement met fin à une période de cellule disciplinaire.',
          403,
        );
      if (r.endsAt.getTime() <= now.getTime()) throw new DomainError('ENDED', 'Cette période est déjà terminée.', 409);
      await endRestriction(m, id, now, actor.id!);
      await this.audit.record(
        {
          actor,
          action: 'VISIT_RESTRICTION_ENDED',
          entityType: 'visit_restriction',
          entityId: id,
          establishmentId: site.id,
          before: { endsAt: r.endsAt.toISOString() },
          after: { endsAt: (now > r.startsAt ? now : r.startsAt).toISOString() },
        },
        m,
      );
    });
  }
}
