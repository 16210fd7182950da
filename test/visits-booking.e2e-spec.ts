import { DataSource } from 'typeorm';
import { freshDatabase, query, queryOne } from './helpers/db';
import { openDataSource, services } from './helpers/notifications';
import { insertDetainee, insertEstablishment, insertFamily, unique } from './factories/people';
import { insertPermit } from './factories/permits';
import { insertRoom, insertSlotTemplate, setVisitSettings } from './factories/visits';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { VisitBookingService } = require('../dist/src/visits/visit-booking.service') as typeof import('../src/visits/visit-booking.service');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
const { DomainError } = require('../dist/src/common/domain-error') as typeof import('../src/common/domain-error');
/* eslint-enable @typescript-eslint/no-require-imports */
type BookVisitInput = import('../src/visits/visit-booking.service').BookVisitInput;

const STAFF = { type: 'SYSTEM' as const, label: 'test' };
/**
 * 200 against a real PostgreSQL server (DATABASE_URL, as in CI). The embedded PGlite server runs one
 * transaction at a time and was seen to stall when many transactions from several connections
 * queue at once (pglite-socket, to investigate); there the requests go through one connection,
 * which checks the rules under load but not the database's concurrency guarantees: CI does.
 */
const PARALLEL = process.env.DATABASE_URL ? 200 : 100;
const NOW = new Date('2026-12-01T08:00:00Z'); // a Tuesday
const DAY = '2026-12-09'; // Wednesday of the next week

let ds: DataSource;
beforeAll(async () => {
  await freshDatabase();
  ds = await openDataSource();
});
afterAll(async () => {
  await ds?.destroy();
});

/** The booking commands as the app builds them, on a clock stopped at `now`. */
function booking(dataSource = ds, now = NOW) {
  const clock = new Clock();
  clock.set(now, { frozen: true });
  const { appointments } = services(dataSource);
  return new VisitBookingService(dataSource, new AuditService(), appointments, clock);
}

/** An establishment with a room of 10 cabins and its Wednesday 14:00–15:00 slot of 10 places. */
async function calendar() {
  const establishment = await insertEstablishment();
  const room = await insertRoom(establishment.id, { name: 'Parloir A', cabins: 10 });
  const template = await insertSlotTemplate(room.id, { dayOfWeek: 3, start: '14:00', end: '15:00', capacity: 10 });
  return { establishment, room, template };
}

/** `n` condamnés of the establishment, each visited by one family holding one permit for them. */
async function bookers(establishmentId: string, n: number) {
  const tag = unique('B');
  return query<{ detaineeId: string; familyId: string; permitId: string }>(
    `WITH d AS (
       INSERT INTO detainees (establishment_id, ecrou_number, last_name, first_name, birth_date, legal_status)
       SELECT $1, right($2 || g, 20), 'Nom' || g, 'Prénom', '1980-01-01', 'CONDAMNE' FROM generate_series(1, $3::int) g
       RETURNING id, last_name
     ), f AS (
       INSERT INTO family_accounts (fc_subject, given_name, family_name)
       SELECT 'fc-' || lower($2) || '-' || g, 'Łucja', 'Nguyễn-Şahin' || g FROM generate_series(1, $3::int) g RETURNING id, family_name
     )
     INSERT INTO permits (establishment_id, detainee_id, family_account_id, visitor_given_name, visitor_family_name, visitor_birthdate,
                          relationship, valid_from, origin)
     SELECT $1, d.id, f.id, 'Łucja', f.family_name, '1985-01-01', 'SPOUSE', '2026-01-01', 'PAPER'
       FROM d JOIN f ON substring(d.last_name from 4) = substring(f.family_name from 13)
     RETURNING detainee_id AS "detaineeId", family_account_id AS "familyId", id AS "permitId"`,
    [establishmentId, tag, n],
  );
}

/** A family's booking of the Wednesday slot for its detainee, with its permit. */
function input(b: { detaineeId: string; familyId: string; permitId: string }, templateId: string, over: Partial<BookVisitInput> = {}) {
  return {
    familyAccountId: b.familyId,
    templateId,
    day: DAY,
    detaineeId: b.detaineeId,
    permitIds: [b.permitId],
    channel: 'ONLINE' as const,
    idempotencyKey: `key-${b.familyId}`,
    ...over,
  };
}

/** A family with one permit for a new condamné of the establishment. */
async function oneBooker(establishmentId: string, visitor: { birthdate?: string; status?: 'ACTIVE' | 'SUSPENDED' } = {}) {
  const detainee = await insertDetainee(establishmentId);
  const family = await insertFamily({ givenName: 'Ştefan', familyName: 'Popescu' });
  const permit = await insertPermit({
    establishmentId,
    detaineeId: detainee.id,
    familyAccountId: family.id,
    visitorGivenName: 'Ştefan',
    visitorFamilyName: 'Popescu',
    visitorBirthdate: visitor.birthdate ?? '1985-01-01',
    status: visitor.status,
  });
  return { detaineeId: detainee.id, familyId: family.id, permitId: permit.id };
}

describe('booking a visit: capacity and double bookings are guaranteed by the database', () => {
  it(`${PARALLEL} parallel requests for a slot with 10 places make exactly 10 bookings; the others are told it is full`, async () => {
    const { establishment, template } = await calendar();
    const all = await bookers(establishment.id, PARALLEL);
    expect(all).toHaveLength(PARALLEL);
    const pools = await Promise.all(
      Array.from({ length: process.env.DATABASE_URL ? 4 : 1 }, () => openDataSource(process.env.DATABASE_URL ? 5 : 1)),
    );
    try {
      const results = await Promise.allSettled(all.map((b, i) => booking(pools[i % pools.length]).book(STAFF, input(b, template.id))));
      const booked = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(booked).toHaveLength(10);
      expect(refused).toHaveLength(PARALLEL - 10);
      for (const r of refused) {
        expect(r.reason).toBeInstanceOf(DomainError);
        expect((r.reason as Error).message).toBe(
          'Ce créneau est complet. Choisissez un autre créneau ou inscrivez-vous sur la liste d’attente.',
        );
      }
    } finally {
      await Promise.all(pools.map((p) => p.destroy()));
    }
    expect(await query(`SELECT capacity, booked FROM visit_slots WHERE template_id = $1`, [template.id])).toEqual([
      { capacity: 10, booked: 10 },
    ]);
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual([{ n: 10 }]);
  });

  it('a retried submission returns the existing booking', async () => {
    const { establishment, template } = await calendar();
    const b = await oneBooker(establishment.id);
    const first = await booking().book(STAFF, input(b, template.id));
    expect(first.existing).toBe(false);
    const again = await booking().book(STAFF, input(b, template.id));
    expect(again).toMatchObject({ id: first.id, reference: first.reference, existing: true });
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE family_account_id = $1`, [b.familyId])).toEqual([{ n: 1 }]);
  });

  it('never books a detainee twice at overlapping times, nor a visitor', async () => {
    const { establishment, template } = await calendar();
    const room2 = await insertRoom(establishment.id, { name: 'Parloir B', kind: 'SEPARATION', cabins: 4 });
    const overlapping = await insertSlotTemplate(room2.id, { dayOfWeek: 3, start: '14:30', end: '15:30', capacity: 4 });
    const b = await oneBooker(establishment.id);
    await booking().book(STAFF, input(b, template.id));
    await expect(booking().book(STAFF, input(b, overlapping.id, { idempotencyKey: 'other' }))).rejects.toMatchObject({
      code: 'ENTITLEMENT_USED',
    });
    // With a higher entitlement, the overlap itself is refused by the exclusion constraint.
    await setVisitSettings(establishment.id, { weeklyCondamne: 5 });
    await expect(booking().book(STAFF, input(b, overlapping.id, { idempotencyKey: 'other' }))).rejects.toMatchObject({
      code: 'DETAINEE_BUSY',
      message: 'La personne détenue a déjà une visite à ce moment-là. Choisissez un autre créneau.',
    });
  });

  it('a move by the visiting room into a week whose visits are used says which visit and where to go (no over-cap on a move)', async () => {
    const { establishment, template } = await calendar();
    const b = await oneBooker(establishment.id);
    await booking().book(STAFF, input(b, template.id));
    const later = await booking().book(STAFF, input(b, template.id, { day: '2026-12-16', idempotencyKey: 'later' }));
    await expect(
      booking().move(STAFF, { establishmentId: establishment.id }, later.id, { templateId: template.id, day: DAY }),
    ).rejects.toMatchObject({
      code: 'ENTITLEMENT_USED',
      message:
        'Visite déjà réservée cette semaine-là : mercredi 9 décembre 2026 à 14 h 00. La personne détenue a droit à 1 visite par semaine. Choisissez un créneau d’une autre semaine.',
    });
    // The family moving its own visit reads the same rule in its words.
    await expect(booking().move(STAFF, { familyId: b.familyId }, later.id, { templateId: template.id, day: DAY })).rejects.toMatchObject({
      code: 'ENTITLEMENT_USED',
      message:
        'Vous avez déjà une visite cette semaine-là : mercredi 9 décembre 2026 à 14 h 00. La personne détenue a droit à 1 visite par semaine. Choisissez un créneau d’une autre semaine.',
    });
  });

  it('says why in plain French: outside the window, closed day, holiday, suspended permit, minor alone', async () => {
    const { establishment, template } = await calendar();
    const b = await oneBooker(establishment.id);
    await expect(
      booking(ds, new Date('2026-12-02T06:00:00Z')).book(STAFF, input(b, template.id, { day: '2026-12-02' })),
    ).rejects.toMatchObject({
      code: 'TOO_SOON',
    });
    await expect(booking().book(STAFF, input(b, template.id, { day: '2027-01-13' }))).rejects.toMatchObject({
      code: 'TOO_FAR',
      message: 'Les visites se réservent au plus 28 jours à l’avance. Choisissez un créneau plus proche.',
    });
    await expect(booking().book(STAFF, input(b, template.id, { day: '2026-12-10' }))).rejects.toMatchObject({ code: 'WRONG_DAY' });
    const later = new Date('2026-12-10T08:00:00Z');
    await expect(booking(ds, later).book(STAFF, input(b, template.id, { day: '2026-12-16' }))).resolves.toMatchObject({ existing: false });
    await query(`INSERT INTO closures (establishment_id, day, reason) VALUES ($1, '2026-12-23', 'grève des transports')`, [
      establishment.id,
    ]);
    const other = await oneBooker(establishment.id);
    await expect(booking(ds, later).book(STAFF, input(other, template.id, { day: '2026-12-23' }))).rejects.toMatchObject({
      message: 'Parloir fermé ce jour-là (grève des transports). Choisissez un autre jour.',
    });
    // Christmas, a public holiday, on a Friday slot.
    const friday = await insertSlotTemplate((await insertRoom(establishment.id)).id, { dayOfWeek: 5 });
    await expect(booking(ds, later).book(STAFF, input(other, friday.id, { day: '2026-12-25' }))).rejects.toMatchObject({
      code: 'HOLIDAY',
      message: 'Les parloirs sont fermés ce jour férié (Noël). Choisissez un autre jour.',
    });
    await expect(booking(ds, later).book(STAFF, input(other, template.id, { day: '2026-12-30' }))).resolves.toMatchObject({
      existing: false,
    });
    // A suspended permit: the family is told what to do, the visiting room (booking by phone) where to look.
    const suspended = await oneBooker(establishment.id, { status: 'SUSPENDED' });
    await expect(booking().book(STAFF, input(suspended, template.id))).rejects.toMatchObject({
      code: 'PERMIT_SUSPENDED',
      message:
        'Un des permis est suspendu : son titulaire ne peut pas venir pour l’instant. La lettre de l’établissement dit pourquoi et jusqu’à quand. Pour une question, appelez le parloir.',
    });
    await expect(booking().book(STAFF, input(suspended, template.id, { channel: 'PHONE' }))).rejects.toMatchObject({
      code: 'PERMIT_SUSPENDED',
      message:
        'Un des permis est suspendu : son titulaire ne peut pas venir pendant la suspension. La mesure et sa durée sont sur la fiche du permis.',
    });
    const minor = await oneBooker(establishment.id, { birthdate: '2015-06-01' });
    await expect(booking().book(STAFF, input(minor, template.id))).rejects.toMatchObject({ code: 'MINOR_ALONE' });
    // A family cannot book with someone else's permit.
    const someoneElse = await oneBooker(establishment.id);
    const withTheirPermit = input(b, template.id, { permitIds: [someoneElse.permitId], idempotencyKey: 'their-permit' });
    await expect(booking().book(STAFF, withTheirPermit)).rejects.toMatchObject({
      code: 'NO_PERMIT',
    });
    expect(await queryOne(`SELECT count(*)::int AS n FROM visits WHERE establishment_id = $1`, [establishment.id])).toEqual({ n: 2 });
  });
});
