import { Injectable } from '@nestjs/common';
import { formatInTimeZone, fromZonedTime } from 'date-fns-tz';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, AuditService } from '../common/audit.service';
import { DomainError } from '../common/domain-error';
import { canCheck, CheckStatus, median, RefusalReason, statusAfterChecks, VisitStatus } from './visit-day.rules';

export interface DayVisitor {
  id: string;
  permit_id: string | null;
  name: string;
  birthdate: string | null;
  photo_document_id: string | null;
  permit_status: string | null;
  check_status: CheckStatus | null;
  refusal_reason: RefusalReason | null;
  checked_at: Date | null;
}

export interface DayVisit {
  id: string;
  reference: string;
  status: VisitStatus;
  starts_at: Date;
  ends_at: Date;
  room: string;
  slot_id: string;
  detainee: string;
  ecrou_number: string;
  housing: string | null;
  channel: string;
  review_reason: string | null;
  visitors: DayVisitor[];
}

const VISITORS = `SELECT vv.id, vv.visit_id, vv.permit_id,
         coalesce(p.visitor_given_name || ' ' || upper(p.visitor_family_name), vv.given_name || ' ' || upper(vv.family_name)) AS name,
         to_char(coalesce(p.visitor_birthdate, vv.birthdate), 'YYYY-MM-DD') AS birthdate, p.photo_document_id, p.status AS permit_status,
         vv.check_status, vv.refusal_reason, vv.checked_at
    FROM visit_visitors vv LEFT JOIN permits p ON p.id = vv.permit_id`;

/**
 * The day at the visiting rooms: the list of the day per slot, the arrival check of each visitor
 * (audited, with the agent and the time), the end of visits, and the statistics.
 */
@Injectable()
export class VisitDayService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Midnight to midnight of a local day, as instants. */
  dayBounds(day: string, timeZone: string) {
    const next = new Date(Date.parse(`${day}T12:00:00Z`) + 86400_000).toISOString().slice(0, 10);
    return { from: fromZonedTime(`${day} 00:00`, timeZone), to: fromZonedTime(`${next} 00:00`, timeZone) };
  }

  today(timeZone: string, now = new Date()) {
    return formatInTimeZone(now, timeZone, 'yyyy-MM-dd');
  }

  /** Every visit of the day (cancelled ones aside), in time order, with their visitors; `search` filters by name or reference. */
  async day(establishmentId: string, timeZone: string, day: string, search = ''): Promise<DayVisit[]> {
    const { from, to } = this.dayBounds(day, timeZone);
    const q = search.trim();
    const visits: DayVisit[] = await this.dataSource.query(
      `SELECT v.id, v.reference, v.status, lower(v.during) AS starts_at, upper(v.during) AS ends_at, r.name AS room, v.slot_id,
              d.first_name || ' ' || upper(d.last_name) AS detainee, d.ecrou_number, d.housing, v.channel, v.review_reason
         FROM visits v JOIN detainees d ON d.id = v.detainee_id JOIN visit_slots s ON s.id = v.slot_id JOIN visiting_rooms r ON r.id = s.room_id
        WHERE v.establishment_id = $1 AND lower(v.during) >= $2 AND lower(v.during) < $3 AND v.status <> 'CANCELLED'
          AND ($4 = '' OR upper(v.reference) = upper($4) OR d.ecrou_number = upper($4)
               OR unaccent_fold(d.last_name || ' ' || d.first_name) LIKE '%' || unaccent_fold($4) || '%'
               OR EXISTS (SELECT 1 FROM visit_visitors x LEFT JOIN permits xp ON xp.id = x.permit_id WHERE x.visit_id = v.id
                          AND unaccent_fold(coalesce(xp.visitor_family_name || ' ' || xp.visitor_given_name, x.family_name || ' ' || x.given_name)) LIKE '%' || unaccent_fold($4) || '%'))
        ORDER BY lower(v.during), r.name, d.last_name`,
      [establishmentId, from, to, q],
    );
    if (visits.length === 0) return [];
    const visitors = await this.dataSource.query(`${VISITORS} WHERE vv.visit_id = ANY($1::uuid[]) ORDER BY vv.visit_id, name`, [
      visits.map((v) => v.id),
    ]);
    for (const v of visits) v.visitors = visitors.filter((x: { visit_id: string }) => x.visit_id === v.id);
    return visits;
  }

  async visit(establishmentId: string, id: string): Promise<DayVisit & { appointment_id: string | null }> {
    const [v] = await this.dataSource.query(
      `SELECT v.id, v.reference, v.status, lower(v.during) AS starts_at, upper(v.during) AS ends_at, r.name AS room, v.slot_id, v.appointment_id,
              d.first_name || ' ' || upper(d.last_name) AS detainee, d.ecrou_number, d.housing, v.channel, v.review_reason
         FROM visits v JOIN detainees d ON d.id = v.detainee_id JOIN visit_slots s ON s.id = v.slot_id JOIN visiting_rooms r ON r.id = s.room_id
        WHERE v.id = $1 AND v.establishment_id = $2`,
      [id, establishmentId],
    );
    if (!v) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
    v.visitors = await this.dataSource.query(`${VISITORS} WHERE vv.visit_id = $1 ORDER BY name`, [id]);
    return v;
  }

  /** The visit whose convocation carries this appointment (its QR code), if it is in this establishment. */
  async byAppointment(appointmentId: string): Promise<{ id: string; establishment_code: string } | null> {
    const [v] = await this.dataSource.query(
      `SELECT v.id, e.code AS establishment_code FROM visits v JOIN establishments e ON e.id = v.establishment_id WHERE v.appointment_id = $1`,
      [appointmentId],
    );
    return v ?? null;
  }

  /**
   * Marks one visitor arrived, absent or refused (with the reason). The visit's status follows;
   * the first and last check times are kept for the statistics. Audited with the agent and time.
   */
  async check(
    actor: Actor,
    establishmentId: string,
    timeZone: string,
    visitId: string,
    visitorId: string,
    status: CheckStatus,
    reason: RefusalReason | null,
    now = new Date(),
  ) {
    return this.dataSource.transaction(async (m) => {
      const [v] = await m.query(
        `SELECT id, status, lower(during) AS starts_at FROM visits WHERE id = $1 AND establishment_id = $2 FOR UPDATE`,
        [visitId, establishmentId],
      );
      if (!v) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
      if (v.status === 'CANCELLED') throw new DomainError('CANCELLED', 'Cette visite est annulée.', 409);
      if (v.status === 'DONE') throw new DomainError('DONE', 'Cette visite est terminée.', 409);
      if (!canCheck(formatInTimeZone(new Date(v.starts_at), timeZone, 'yyyy-MM-dd'), this.today(timeZone, now))) {
        throw new DomainError('NOT_TODAY', 'L’arrivée des visiteurs se vérifie le jour de la visite.', 409);
      }
      const [before] = await m.query(
        `SELECT vv.id, vv.check_status, vv.refusal_reason, p.status AS permit_status FROM visit_visitors vv LEFT JOIN permits p ON p.id = vv.permit_id WHERE vv.id = $1 AND vv.visit_id = $2`,
        [visitorId, visitId],
      );
      if (!before) throw new DomainError('NOT_FOUND', 'Visiteur introuvable.', 404);
      if (status === 'ARRIVED' && before.permit_status && before.permit_status !== 'ACTIVE') {
        throw new DomainError(
          'PERMIT_NOT_ACTIVE',
          'Le permis de ce visiteur n’est plus valable : refusez l’accès avec le motif « permis suspendu ».',
          409,
        );
      }
      await m.query(`UPDATE visit_visitors SET check_status = $2, refusal_reason = $3, checked_at = $4, checked_by = $5 WHERE id = $1`, [
        visitorId,
        status,
        status === 'REFUSED' ? reason : null,
        now,
        actor.type === 'AGENT' ? actor.id : null,
      ]);
      const checks = (await m.query(`SELECT check_status FROM visit_visitors WHERE visit_id = $1`, [visitId])).map(
        (r: { check_status: CheckStatus | null }) => r.check_status,
      );
      const next = statusAfterChecks(v.status, checks);
      await m.query(`UPDATE visits SET status = $2, first_check_at = coalesce(first_check_at, $3), last_check_at = $3 WHERE id = $1`, [
        visitId,
        next,
        now,
      ]);
      await this.audit.record(
        {
          actor,
          action: 'VISITOR_CHECKED',
          entityType: 'visit',
          entityId: visitId,
          establishmentId,
          before: { visitor: visitorId, check: before.check_status, reason: before.refusal_reason, visit: v.status },
          after: { visitor: visitorId, check: status, reason: status === 'REFUSED' ? reason : null, visit: next, at: now.toISOString() },
        },
        m,
      );
      return next;
    });
  }

  /** The visit is over: terminée (held). */
  async finish(actor: Actor, establishmentId: string, visitId: string, now = new Date()) {
    await this.dataSource.transaction(async (m: EntityManager) => {
      const [v] = await m.query(`SELECT id, status FROM visits WHERE id = $1 AND establishment_id = $2 FOR UPDATE`, [
        visitId,
        establishmentId,
      ]);
      if (!v) throw new DomainError('NOT_FOUND', 'Visite introuvable.', 404);
      if (v.status !== 'IN_PROGRESS') throw new DomainError('NOT_IN_PROGRESS', 'Seule une visite en cours peut être terminée.', 409);
      await m.query(`UPDATE visits SET status = 'DONE', ended_at = $2 WHERE id = $1`, [visitId, now]);
      await this.audit.record(
        {
          actor,
          action: 'VISIT_FINISHED',
          entityType: 'visit',
          entityId: visitId,
          establishmentId,
          before: { status: 'IN_PROGRESS' },
          after: { status: 'DONE', at: now.toISOString() },
        },
        m,
      );
    });
  }

  /**
   * Statistics over a period: visits booked, held, no-shows (per ISO week and per slot), refusals
   * by reason, and the median time between a visit's first and last visitor check.
   */
  async statistics(establishmentId: string, timeZone: string, fromDay: string, toDay: string) {
    const from = this.dayBounds(fromDay, timeZone).from;
    const to = this.dayBounds(toDay, timeZone).to;
    const counts = `count(*) FILTER (WHERE v.status <> 'CANCELLED')::int AS booked,
                    count(*) FILTER (WHERE v.status IN ('DONE','IN_PROGRESS'))::int AS held,
                    count(*) FILTER (WHERE v.status = 'NO_SHOW')::int AS no_shows,
                    count(*) FILTER (WHERE v.status = 'REFUSED')::int AS refused,
                    count(*) FILTER (WHERE v.status = 'CANCELLED')::int AS cancelled`;
    const args = [establishmentId, from, to, timeZone];
    const [weeks, slots, refusals, durations] = await Promise.all([
      this.dataSource.query(
        `SELECT to_char(lower(v.during) AT TIME ZONE $4, 'IYYY-"S"IW') AS week, ${counts}
           FROM visits v WHERE v.establishment_id = $1 AND lower(v.during) >= $2 AND lower(v.during) < $3 GROUP BY 1 ORDER BY 1`,
        args,
      ),
      this.dataSource.query(
        `SELECT extract(isodow FROM lower(v.during) AT TIME ZONE $4)::int AS dow, to_char(lower(v.during) AT TIME ZONE $4, 'HH24:MI') AS time, r.name AS room, ${counts}
           FROM visits v JOIN visit_slots s ON s.id = v.slot_id JOIN visiting_rooms r ON r.id = s.room_id
          WHERE v.establishment_id = $1 AND lower(v.during) >= $2 AND lower(v.during) < $3 GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
        args,
      ),
      this.dataSource.query(
        `SELECT vv.refusal_reason AS reason, count(*)::int AS n FROM visit_visitors vv JOIN visits v ON v.id = vv.visit_id
          WHERE v.establishment_id = $1 AND lower(v.during) >= $2 AND lower(v.during) < $3 AND vv.check_status = 'REFUSED' GROUP BY 1 ORDER BY 2 DESC`,
        args.slice(0, 3),
      ),
      this.dataSource.query(
        `SELECT extract(epoch FROM v.last_check_at - v.first_check_at)::float AS seconds FROM visits v
          WHERE v.establishment_id = $1 AND lower(v.during) >= $2 AND lower(v.during) < $3 AND v.first_check_at IS NOT NULL
            AND (SELECT count(*) FROM visit_visitors vv WHERE vv.visit_id = v.id AND vv.check_status IS NOT NULL) > 1`,
        args.slice(0, 3),
      ),
    ]);
    const total = weeks.reduce(
      (a: Record<string, number>, w: Record<string, number>) => ({
        booked: a.booked + w.booked,
        held: a.held + w.held,
        no_shows: a.no_shows + w.no_shows,
        refused: a.refused + w.refused,
        cancelled: a.cancelled + w.cancelled,
      }),
      { booked: 0, held: 0, no_shows: 0, refused: 0, cancelled: 0 },
    );
    return {
      weeks,
      slots,
      refusals,
      total,
      medianCheckSeconds: median(durations.map((d: { seconds: number }) => d.seconds)),
      checkedVisits: durations.length,
    };
  }
}
