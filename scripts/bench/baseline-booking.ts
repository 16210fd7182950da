/**
 * The baseline of the bookings scenario, written by hand: a replay cannot follow a booking, whose
 * statements depend on what they find (the slot full, the week's quota reached, a restriction). It
 * does, with `pg` and no framework, what P2V does to book a visit online (src/visits/visit-booking.service.ts):
 * the same statements in the same order and transaction, the same rows written (slot counter, visit,
 * visitors, convocation appointment, two outbox messages, two signed audit entries), the same answers
 * (303 to the booking's page, 409 when the visit cannot be booked). What it leaves out is what P2V adds:
 * validation classes, the ORM, the templates of the messages and pages.
 */
import { randomInt } from 'node:crypto';
import type { PoolClient } from 'pg';
import { auditHmac, NEXT_ENTRY_SQL } from '../../src/common/audit.service';
import { zonedFormat, zonedInstant } from '../../src/common/zoned-time';

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
const reference = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

type Answer = { status: number; location?: string };

async function one<T>(c: PoolClient, sql: string, params: unknown[]): Promise<T | undefined> {
  return (await c.query<T & Record<string, unknown>>(sql, params)).rows[0];
}

/** An audit entry extends the chain under its lock: lock and head read in one call, entry signed (HMAC), inserted. */
async function audit(c: PoolClient, key: Buffer, e: unknown[]): Promise<void> {
  const head = (await one<{ id: string; occurredAt: string; prevHash: string; message: string }>(c, NEXT_ENTRY_SQL, e))!;
  await c.query(
    `INSERT INTO audit_log (actor_type, actor_id, actor_label, action, entity_type, entity_id, establishment_id, before, after,
                            id, occurred_at, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [...e, head.id, head.occurredAt, head.prevHash, auditHmac(key, head.message)],
  );
}

/** A message in the outbox, its recipient upserted first. */
async function outbox(
  c: PoolClient,
  email: string,
  o: { template: string; category: string; subject: string; text: string; entityId: string; establishmentId: string; at: Date },
) {
  await c.query(
    `INSERT INTO notification_recipients (channel, address, optout_token) VALUES ('EMAIL', $1, $2) ON CONFLICT (channel, address) DO NOTHING`,
    [email, reference() + reference().slice(0, 4)],
  );
  const recipient = (await one<{ id: string }>(
    c,
    `SELECT id, optout_token AS "optoutToken" FROM notification_recipients WHERE channel = 'EMAIL' AND address = $1`,
    [email],
  ))!;
  await c.query(
    `INSERT INTO notifications (recipient_id, channel, template, category, data, subject, body_text, body_html, entity_type, entity_id,
                                establishment_id, send_after, next_attempt_at)
     VALUES ($1, 'EMAIL', $2, $3, $4, $5, $6, $7, 'appointment', $8, $9, $10, $10) RETURNING id`,
    [
      recipient.id,
      o.template,
      o.category,
      JSON.stringify({ subject: o.subject }),
      o.subject,
      o.text,
      `<p>${o.text}</p>`,
      o.entityId,
      o.establishmentId,
      o.at,
    ],
  );
}

/** Books the visit of the form (`detaineeId`, `permitIds`, `slot` = template|day, `key`) for the family, as P2V does. */
export async function bookBaseline(c: PoolClient, key: Buffer, familyId: string, form: URLSearchParams): Promise<Answer> {
  const [templateId, day] = (form.get('slot') ?? '').split('|');
  const detaineeId = form.get('detaineeId') ?? '';
  const permitIds = form.getAll('permitIds');
  const idempotencyKey = form.get('key') ?? '';
  const account = await one<{ id: string; givenName: string; familyName: string; email: string | null }>(
    c,
    `SELECT id, fc_subject, given_name AS "givenName", family_name AS "familyName", birthdate, email, mobile_phone, created_at, last_sign_in_at
       FROM family_accounts WHERE id = $1 LIMIT 1`,
    [familyId],
  );
  if (!account) return { status: 401 };
  const again = await one<{ reference: string }>(
    c,
    `SELECT id, reference, lower(during) AS "startsAt" FROM visits WHERE family_account_id = $1 AND idempotency_key = $2`,
    [familyId, idempotencyKey],
  );
  if (again) return { status: 303, location: `/visites?reservee=${again.reference}` };
  await c.query('START TRANSACTION');
  try {
    const answer = await book(c, key, account, { templateId, day, detaineeId, permitIds, idempotencyKey });
    await c.query(answer.status === 303 ? 'COMMIT' : 'ROLLBACK');
    return answer;
  } catch (e) {
    await c.query('ROLLBACK');
    // Two families on the last place, or a detainee booked twice at once: what P2V answers too.
    if ((e as { code?: string }).code === '23P01' || (e as { code?: string }).code === '23505') return { status: 409 };
    throw e;
  }
}

async function book(
  c: PoolClient,
  key: Buffer,
  account: { id: string; givenName: string; familyName: string; email: string | null },
  f: { templateId: string; day: string; detaineeId: string; permitIds: string[]; idempotencyKey: string },
): Promise<Answer> {
  await c.query(
    `SELECT pg_advisory_xact_lock_shared(hashtextextended('calendar:' || r.establishment_id::text, 0))
       FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id WHERE t.id = $1`,
    [f.templateId],
  );
  const t = await one<{
    roomId: string;
    startTime: string;
    endTime: string;
    capacity: number;
    establishmentId: string;
    roomName: string;
    timeZone: string;
    establishmentName: string;
  }>(
    c,
    `SELECT t.id, t.room_id AS "roomId", t.day_of_week AS "dayOfWeek", t.start_time::text AS "startTime", t.end_time::text AS "endTime", t.capacity,
            to_char(t.valid_from, 'YYYY-MM-DD') AS "validFrom", to_char(t.valid_to, 'YYYY-MM-DD') AS "validTo", r.establishment_id AS "establishmentId",
            r.name AS "roomName", r.kind AS "roomKind", r.active AS "roomActive", e.time_zone AS "timeZone", e.holiday_zone AS "holidayZone",
            e.name AS "establishmentName"
       FROM slot_templates t JOIN visiting_rooms r ON r.id = t.room_id JOIN establishments e ON e.id = r.establishment_id WHERE t.id = $1`,
    [f.templateId],
  );
  if (!t) return { status: 400 };
  const settings = (await one<{ weeklyPrevenu: number; weeklyCondamne: number }>(
    c,
    `SELECT min_notice_hours AS "minNoticeHours", horizon_days AS "horizonDays", cancel_deadline_hours AS "cancelDeadlineHours",
            max_adults AS "maxAdults", max_children AS "maxChildren", weekly_prevenu AS "weeklyPrevenu", weekly_condamne AS "weeklyCondamne",
            online_booking AS "onlineBooking", open_on_holidays AS "openOnHolidays", waitlist_offer_hours AS "waitlistOfferHours"
       FROM visit_settings WHERE establishment_id = $1`,
    [t.establishmentId],
  ))!;
  const closed = await c.query(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, room_id AS "roomId", template_id AS "templateId", reason
       FROM closures WHERE establishment_id = $1 AND day = $2::date`,
    [t.establishmentId, f.day],
  );
  if (closed.rows.length) return { status: 409 };
  const detainee = await one<{ legalStatus: string }>(
    c,
    `SELECT id, legal_status AS "legalStatus", custody_status AS "custodyStatus", establishment_id AS "establishmentId" FROM detainees WHERE id = $1 FOR SHARE`,
    [f.detaineeId],
  );
  if (!detainee) return { status: 409 };
  const permits = await c.query<{ status: string; detaineeId: string; familyAccountId: string }>(
    `SELECT p.id, p.status, p.detainee_id AS "detaineeId", p.family_account_id AS "familyAccountId", to_char(p.visitor_birthdate, 'YYYY-MM-DD') AS birthdate,
            p.unaccompanied_consent_at IS NOT NULL AS "unaccompaniedConsent", to_char(p.valid_from, 'YYYY-MM-DD') AS "validFrom",
            to_char(p.valid_to, 'YYYY-MM-DD') AS "validTo", p.max_visits AS "maxVisits", p.room_condition AS "roomCondition",
            p.allowed_days::int[] AS "allowedDays", to_char(p.allowed_from, 'HH24:MI') AS "allowedFrom", to_char(p.allowed_to, 'HH24:MI') AS "allowedTo",
            p.conditions_note AS "conditionsNote",
            (SELECT count(*)::int FROM visit_visitors uv JOIN visits u ON u.id = uv.visit_id
              WHERE uv.permit_id = p.id AND u.status <> 'CANCELLED' AND u.id IS DISTINCT FROM $2::uuid) AS "visitsUsed"
       FROM permits p WHERE p.id = ANY($1::uuid[]) FOR SHARE OF p`,
    [f.permitIds, null],
  );
  const usable = permits.rows.filter((p) => p.status === 'ACTIVE' && p.detaineeId === f.detaineeId && p.familyAccountId === account.id);
  if (usable.length !== f.permitIds.length || usable.length === 0) return { status: 409 };
  await c.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`visits:${f.detaineeId}`]);
  const startsAt = zonedInstant(`${f.day} ${t.startTime.slice(0, 5)}`, t.timeZone);
  const endsAt = zonedInstant(`${f.day} ${t.endTime.slice(0, 5)}`, t.timeZone);
  const restricted = await c.query(
    `SELECT kind, starts_at AS "from", coalesce(ended_early_at, ends_at) AS "to" FROM visit_restrictions
      WHERE detainee_id = $1 AND starts_at < $3 AND coalesce(ended_early_at, ends_at) > $2`,
    [f.detaineeId, startsAt, endsAt],
  );
  if (restricted.rows.length) return { status: 409 };
  // The ISO week of the visit, on the establishment's clock: Monday 00:00 to the next Monday.
  const isoDay = Number(zonedFormat(startsAt, t.timeZone, 'i'));
  const monday = new Date(`${f.day}T12:00:00Z`);
  monday.setUTCDate(monday.getUTCDate() - (isoDay - 1));
  const weekStart = zonedInstant(`${monday.toISOString().slice(0, 10)} 00:00`, t.timeZone);
  const nextMonday = new Date(monday.getTime() + 7 * 86400_000);
  const weekEnd = zonedInstant(`${nextMonday.toISOString().slice(0, 10)} 00:00`, t.timeZone);
  const week = await c.query<{ startsAt: Date; endsAt: Date }>(
    `SELECT lower(during) AS "startsAt", upper(during) AS "endsAt", family_account_id AS "familyAccountId", status FROM visits
      WHERE detainee_id = $1 AND status <> 'CANCELLED' AND lower(during) >= $2 AND lower(during) < $3 AND id IS DISTINCT FROM $4::uuid ORDER BY lower(during)`,
    [f.detaineeId, weekStart, weekEnd, null],
  );
  const quota = detainee.legalStatus === 'PREVENU' ? settings.weeklyPrevenu : settings.weeklyCondamne;
  if (week.rows.length >= quota) return { status: 409 };
  if (week.rows.some((v) => v.startsAt < endsAt && v.endsAt > startsAt)) return { status: 409 };
  await c.query(
    `INSERT INTO visit_slots (room_id, template_id, starts_at, ends_at, capacity) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (room_id, starts_at) DO NOTHING`,
    [t.roomId, f.templateId, startsAt, endsAt, t.capacity],
  );
  const slot = (await one<{ id: string }>(c, `SELECT id FROM visit_slots WHERE room_id = $1 AND starts_at = $2`, [t.roomId, startsAt]))!;
  const locked = (await one<{ capacity: number; booked: number; held: number }>(
    c,
    `SELECT id, capacity, booked, held FROM visit_slots WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`,
    [[slot.id]],
  ))!;
  if (locked.booked + locked.held >= locked.capacity) return { status: 409 };
  await c.query(`UPDATE visit_slots SET booked = booked + $2 WHERE id = $1`, [slot.id, 1]);
  const ref = reference();
  const during = `[${startsAt.toISOString()},${endsAt.toISOString()})`;
  const visit = (await one<{ id: string }>(
    c,
    `INSERT INTO visits (establishment_id, slot_id, detainee_id, family_account_id, reference, channel, idempotency_key, during, booked_by_agent, import_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::tstzrange, $9, $10) RETURNING id`,
    [t.establishmentId, slot.id, f.detaineeId, account.id, ref, 'ONLINE', f.idempotencyKey, during, null, null],
  ))!;
  for (const permitId of f.permitIds)
    await c.query(`INSERT INTO visit_visitors (visit_id, permit_id, during) VALUES ($1, $2, $3::tstzrange)`, [visit.id, permitId, during]);
  const appointment = (await one<{ id: string }>(
    c,
    `INSERT INTO appointments (kind, establishment_id, family_account_id, contact_email, contact_phone, starts_at, ends_at, place, address, reference)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    ['VISIT', t.establishmentId, account.id, account.email, null, startsAt, endsAt, t.roomName, t.establishmentName, ref],
  ))!;
  await c.query(
    `SELECT a.id, a.kind, a.establishment_id AS "establishmentId", e.name AS "establishmentName", a.family_account_id AS "familyAccountId",
            a.contact_email AS "contactEmail", a.contact_phone AS "contactPhone", a.starts_at AS "startsAt", a.ends_at AS "endsAt", a.place, a.address,
            a.reference, a.status, e.time_zone AS "timeZone", e.code AS "establishmentCode", e.address AS "postalAddress",
            i.parloir_phone AS "parloirPhone", i.parloir_hours AS "parloirHours"
       FROM appointments a JOIN establishments e ON e.id = a.establishment_id LEFT JOIN establishment_info i ON i.establishment_id = e.id WHERE a.id = $1`,
    [appointment.id],
  );
  if (account.email) {
    const when = zonedFormat(startsAt, t.timeZone, 'dd/MM/yyyy HH:mm');
    const message = { entityId: appointment.id, establishmentId: t.establishmentId };
    await outbox(c, account.email, {
      ...message,
      template: 'appointment-confirmation',
      category: 'TRANSACTIONAL',
      subject: `Visite ${ref}`,
      text: `Visite le ${when}`,
      at: new Date(),
    });
    await outbox(c, account.email, {
      ...message,
      template: 'appointment-reminder',
      category: 'REMINDER',
      subject: `Rappel ${ref}`,
      text: `Visite le ${when}`,
      at: new Date(startsAt.getTime() - 2 * 86400_000),
    });
  }
  const actor = ['FAMILY', account.id, `${account.givenName} ${account.familyName}`];
  const after = { kind: 'VISIT', reference: ref, startsAt: startsAt.toISOString(), place: t.roomName };
  await audit(c, key, [...actor, 'APPOINTMENT_BOOKED', 'appointment', appointment.id, t.establishmentId, null, JSON.stringify(after)]);
  await c.query(`UPDATE visits SET appointment_id = $2 WHERE id = $1`, [visit.id, appointment.id]);
  const booked = { reference: ref, startsAt: startsAt.toISOString(), visitors: f.permitIds.length, channel: 'ONLINE' };
  await audit(c, key, [...actor, 'VISIT_BOOKED', 'visit', visit.id, t.establishmentId, null, JSON.stringify(booked)]);
  return { status: 303, location: `/visites?reservee=${ref}` };
}
