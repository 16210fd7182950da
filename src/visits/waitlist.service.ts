import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { whenLabel, whenShort, zoneNote } from '../appointments/appointment.rules';
import { Actor, AuditService } from '../common/audit.service';
import { DomainError } from '../common/domain-error';
import { runPeriodically } from '../common/periodic';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { NotificationsService } from '../notifications/notifications.service';
import { offerExpiry } from './visit-day.rules';
import { VisitsService } from './visits.service';

const SYSTEM: Actor = { type: 'SYSTEM', label: 'Liste d’attente' };

export interface JoinInput {
  templateId: string;
  day: string;
  detaineeId: string;
  permitIds: string[];
}

/**
 * The waiting list of a full slot. A freed place (cancellation, move) is held for the first family
 * waiting, who is told by e-mail and SMS and has a time limit to confirm; without an answer it goes
 * to the next family, and back to everyone when nobody waits. Offers and holds change in the
 * transaction that freed the place, under the slot's row lock.
 */
@Injectable()
export class WaitlistService implements OnApplicationBootstrap, OnApplicationShutdown {
  private stop?: () => void;

  constructor(
    private readonly dataSource: DataSource,
    private readonly visits: VisitsService,
    private readonly notifications: NotificationsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.visits.onPlaceFreed((m, slotId, now) => this.offerFreedPlace(m, slotId, now));
  }

  onApplicationBootstrap() {
    this.stop = runPeriodically('Waitlist', this.config.waitlistPollMs, async (log) => {
      const n = await this.expireOffers();
      if (n) log.log(`${n} waiting-list offer(s) expired and passed on`);
    });
  }

  onApplicationShutdown() {
    this.stop?.();
  }

  /** A family joins the waiting list of a full slot, with the visitors who would come. */
  async join(familyId: string, input: JoinInput, now = new Date()): Promise<string> {
    try {
      return await this.dataSource.transaction(async (m) => {
        const { t, startsAt } = await this.visits.resolveSlot(m, input.templateId, input.day, now, true);
        const ids = [...new Set(input.permitIds)];
        const permits = await m.query(
          `SELECT id FROM permits WHERE id = ANY($1::uuid[]) AND detainee_id = $2 AND family_account_id = $3 AND status = 'ACTIVE'`,
          [ids, input.detaineeId, familyId],
        );
        if (ids.length === 0) throw new DomainError('NO_VISITOR', 'Choisissez au moins un visiteur.');
        if (permits.length !== ids.length)
          throw new DomainError('NO_PERMIT', 'Chaque visiteur doit avoir un permis de visite valable pour cette personne détenue.');
        const [slot] = await m.query(`SELECT capacity, booked, held FROM visit_slots WHERE room_id = $1 AND starts_at = $2`, [
          t.roomId,
          startsAt,
        ]);
        if (!slot || slot.booked + slot.held < slot.capacity)
          throw new DomainError('NOT_FULL', 'Ce créneau a encore des places : réservez-le directement.', 409);
        const [row] = await m.query(
          `INSERT INTO visit_waitlist (establishment_id, template_id, day, starts_at, family_account_id, detainee_id, permit_ids) VALUES ($1, $2, $3, $4, $5, $6, $7::uuid[]) RETURNING id`,
          [t.establishment_id, t.id, input.day, startsAt, familyId, input.detaineeId, ids],
        );
        await this.audit.record(
          {
            actor: { type: 'FAMILY', id: familyId },
            action: 'WAITLIST_JOINED',
            entityType: 'visit_waitlist',
            entityId: row.id,
            establishmentId: t.establishment_id,
            after: { startsAt: startsAt.toISOString() },
          },
          m,
        );
        return row.id as string;
      });
    } catch (e) {
      const driver = (e as { driverError?: { code?: string } }).driverError;
      if (e instanceof QueryFailedError && driver?.code === '23505')
        throw new DomainError('ALREADY_WAITING', 'Vous êtes déjà sur la liste d’attente de ce créneau.', 409);
      throw e;
    }
  }

  /** Hook: a place of a (locked) slot was freed in this transaction. */
  private async offerFreedPlace(m: EntityManager, slotId: string, now: Date) {
    const [slot] = await m.query(`SELECT template_id, starts_at FROM visit_slots WHERE id = $1`, [slotId]);
    if (!slot?.template_id) return;
    if (await this.offerNext(m, slot.template_id, new Date(slot.starts_at), now))
      await m.query(`UPDATE visit_slots SET held = held + 1 WHERE id = $1`, [slotId]);
  }

  /** Offers the held place to the first family still waiting; false when nobody can take it. */
  private async offerNext(m: EntityManager, templateId: string, startsAt: Date, now: Date): Promise<boolean> {
    for (;;) {
      const [w] = await m.query(
        `SELECT w.id, w.establishment_id, w.detainee_id, w.family_account_id, f.email, f.mobile_phone, d.first_name || ' ' || d.last_name AS detainee,
                r.name AS room, e.name AS establishment_name, e.time_zone, coalesce(s.waitlist_offer_hours, 12) AS offer_hours
           FROM visit_waitlist w JOIN family_accounts f ON f.id = w.family_account_id JOIN detainees d ON d.id = w.detainee_id
           JOIN slot_templates t ON t.id = w.template_id JOIN visiting_rooms r ON r.id = t.room_id JOIN establishments e ON e.id = w.establishment_id
           LEFT JOIN visit_settings s ON s.establishment_id = w.establishment_id
          WHERE w.template_id = $1 AND w.starts_at = $2 AND w.status = 'WAITING' ORDER BY w.created_at, w.id LIMIT 1 FOR UPDATE OF w SKIP LOCKED`,
        [templateId, startsAt],
      );
      if (!w) return false;
      const expires = offerExpiry(now, startsAt, w.offer_hours);
      if (!expires) {
        await m.query(`UPDATE visit_waitlist SET status = 'EXPIRED' WHERE template_id = $1 AND starts_at = $2 AND status = 'WAITING'`, [
          templateId,
          startsAt,
        ]);
        return false;
      }
      if (!w.email && !w.mobile_phone) {
        await m.query(`UPDATE visit_waitlist SET status = 'EXPIRED' WHERE id = $1`, [w.id]); // nobody to tell: next family
        continue;
      }
      await m.query(`UPDATE visit_waitlist SET status = 'OFFERED', offered_at = $2, offer_expires_at = $3 WHERE id = $1`, [
        w.id,
        now,
        expires,
      ]);
      const data = {
        when: whenLabel(startsAt, w.time_zone),
        whenShort: whenShort(startsAt, w.time_zone),
        expires: whenLabel(expires, w.time_zone),
        expiresShort: whenShort(expires, w.time_zone),
        zoneNote: zoneNote(w.time_zone),
        place: w.room,
        establishmentName: w.establishment_name,
        detainee: w.detainee,
        offerUrl: `${this.config.appUrl}/visites/liste-attente/${w.id}`,
      };
      const base = {
        template: 'waitlist-offer',
        category: 'TRANSACTIONAL' as const,
        data,
        entity: { type: 'visit_waitlist', id: w.id },
        establishmentId: w.establishment_id,
      };
      if (w.email) await this.notifications.enqueue(m, { ...base, channel: 'EMAIL', to: w.email }, now);
      if (w.mobile_phone) await this.notifications.enqueue(m, { ...base, channel: 'SMS', to: w.mobile_phone }, now);
      await this.audit.record(
        {
          actor: SYSTEM,
          action: 'WAITLIST_OFFERED',
          entityType: 'visit_waitlist',
          entityId: w.id,
          establishmentId: w.establishment_id,
          after: { expires: expires.toISOString() },
        },
        m,
      );
      return true;
    }
  }

  /** The held place goes to the next family, or back to everyone. The slot row must be locked. */
  private async passOn(m: EntityManager, w: { template_id: string; starts_at: Date; slot_id: string | null }, now: Date) {
    if (!w.slot_id) return;
    if (!(await this.offerNext(m, w.template_id, new Date(w.starts_at), now)))
      await m.query(`UPDATE visit_slots SET held = held - 1 WHERE id = $1`, [w.slot_id]);
  }

  private async lockEntry(m: EntityManager, id: string, familyId: string | null) {
    const [w] = await m.query(
      `SELECT w.*, s.id AS slot_id FROM visit_waitlist w JOIN slot_templates t ON t.id = w.template_id
         LEFT JOIN visit_slots s ON s.room_id = t.room_id AND s.starts_at = w.starts_at
        WHERE w.id = $1 FOR UPDATE OF w`,
      [id],
    );
    if (!w || (familyId && w.family_account_id !== familyId)) throw new DomainError('NOT_FOUND', 'Inscription introuvable.', 404);
    if (w.slot_id) await m.query(`SELECT id FROM visit_slots WHERE id = $1 FOR UPDATE`, [w.slot_id]);
    return w;
  }

  /** The family confirms the place offered: it becomes a visit with the usual checks and convocation. */
  async accept(familyId: string, id: string, contact: { email: string | null; phone: string | null }, now = new Date()) {
    return this.dataSource.transaction(async (m) => {
      const [entry] = await m.query(`SELECT detainee_id FROM visit_waitlist WHERE id = $1`, [id]);
      if (entry) await this.visits.lockDetainee(m, entry.detainee_id); // same lock order as a booking: detainee, then slot
      const w = await this.lockEntry(m, id, familyId);
      if (w.status !== 'OFFERED') throw new DomainError('NOT_OFFERED', 'Aucune place ne vous est proposée pour ce créneau.', 409);
      if (new Date(w.offer_expires_at).getTime() <= now.getTime())
        throw new DomainError(
          'OFFER_EXPIRED',
          'Le délai pour confirmer cette place est dépassé : elle a été proposée à une autre famille.',
          409,
        );
      await m.query(`UPDATE visit_slots SET held = held - 1 WHERE id = $1`, [w.slot_id]);
      const visit = await this.visits.bookWithin(
        m,
        { type: 'FAMILY', id: familyId },
        {
          familyAccountId: familyId,
          templateId: w.template_id,
          day: w.day instanceof Date ? w.day.toISOString().slice(0, 10) : String(w.day).slice(0, 10),
          detaineeId: w.detainee_id,
          permitIds: w.permit_ids,
          channel: 'ONLINE',
          contact,
          fromWaitlist: true,
        },
        now,
      );
      await m.query(`UPDATE visit_waitlist SET status = 'BOOKED', visit_id = $2 WHERE id = $1`, [id, visit.id]);
      await this.audit.record(
        {
          actor: { type: 'FAMILY', id: familyId },
          action: 'WAITLIST_ACCEPTED',
          entityType: 'visit_waitlist',
          entityId: id,
          establishmentId: w.establishment_id,
          after: { visit: visit.reference },
        },
        m,
      );
      return visit;
    });
  }

  /** The family declines the offer (the place goes to the next one) or leaves the list. */
  async withdraw(familyId: string, id: string, now = new Date()) {
    await this.dataSource.transaction(async (m) => {
      const w = await this.lockEntry(m, id, familyId);
      if (w.status === 'OFFERED') {
        await m.query(`UPDATE visit_waitlist SET status = 'DECLINED' WHERE id = $1`, [id]);
        await this.passOn(m, w, now);
      } else if (w.status === 'WAITING') {
        await m.query(`UPDATE visit_waitlist SET status = 'LEFT' WHERE id = $1`, [id]);
      } else {
        throw new DomainError('NOT_WAITING', 'Cette inscription n’est plus en cours.', 409);
      }
      await this.audit.record(
        {
          actor: { type: 'FAMILY', id: familyId },
          action: w.status === 'OFFERED' ? 'WAITLIST_DECLINED' : 'WAITLIST_LEFT',
          entityType: 'visit_waitlist',
          entityId: id,
          establishmentId: w.establishment_id,
        },
        m,
      );
    });
  }

  /** Offers not answered in time pass to the next family; entries for slots about to start close. */
  async expireOffers(now = new Date()): Promise<number> {
    const due = await this.dataSource.query(
      `SELECT id FROM visit_waitlist WHERE status = 'OFFERED' AND offer_expires_at <= $1 ORDER BY offer_expires_at LIMIT 500`,
      [now],
    );
    let n = 0;
    for (const { id } of due) {
      await this.dataSource.transaction(async (m) => {
        const w = await this.lockEntry(m, id, null);
        if (w.status !== 'OFFERED' || new Date(w.offer_expires_at).getTime() > now.getTime()) return;
        await m.query(`UPDATE visit_waitlist SET status = 'EXPIRED' WHERE id = $1`, [id]);
        await this.audit.record(
          {
            actor: SYSTEM,
            action: 'WAITLIST_OFFER_EXPIRED',
            entityType: 'visit_waitlist',
            entityId: id,
            establishmentId: w.establishment_id,
          },
          m,
        );
        await this.passOn(m, w, now);
        n++;
      });
    }
    await this.dataSource.query(`UPDATE visit_waitlist SET status = 'EXPIRED' WHERE status = 'WAITING' AND starts_at <= $1`, [now]);
    return n;
  }

  async forFamily(familyId: string) {
    return this.dataSource.query(
      `SELECT w.id, w.status, w.starts_at, w.offer_expires_at, e.time_zone, d.first_name || ' ' || d.last_name AS detainee, r.name AS room, e.name AS establishment,
              (SELECT count(*)::int FROM visit_waitlist x WHERE x.template_id = w.template_id AND x.starts_at = w.starts_at AND x.status = 'WAITING' AND (x.created_at, x.id) < (w.created_at, w.id)) AS ahead
         FROM visit_waitlist w JOIN detainees d ON d.id = w.detainee_id JOIN slot_templates t ON t.id = w.template_id JOIN visiting_rooms r ON r.id = t.room_id JOIN establishments e ON e.id = w.establishment_id
        WHERE w.family_account_id = $1 AND w.status IN ('WAITING','OFFERED') ORDER BY w.starts_at`,
      [familyId],
    );
  }

  async findForFamily(familyId: string, id: string) {
    const rows = await this.forFamily(familyId);
    return rows.find((r: { id: string }) => r.id === id) ?? null;
  }
}
