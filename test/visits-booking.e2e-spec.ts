import { DataSource } from 'typeorm';
import { query, resetDatabase } from './helpers/db';
import { openDataSource, services } from './helpers/notifications';

/* eslint-disable @typescript-eslint/no-require-imports */
const { VisitsService } = require('../dist/src/visits/visits.service');
const { AuditService } = require('../dist/src/common/audit.service');
const { DomainError } = require('../dist/src/common/domain-error');
/* eslint-enable @typescript-eslint/no-require-imports */

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
let establishmentId: string;
let templateId: string;
let overlappingTemplateId: string;
let detainees: { id: string }[];
let families: { id: string }[];
let permits: { id: string }[];

function visits(dataSource = ds) {
  const { appointments } = services(dataSource);
  return new VisitsService(dataSource, new AuditService(dataSource), appointments);
}

beforeAll(async () => {
  await resetDatabase();
  ds = await openDataSource();
  await ds.runMigrations({ transaction: 'each' });
  [{ id: establishmentId }] = await ds.query(
    `INSERT INTO establishments (code, name, kind) VALUES ('TEST', 'Maison d’arrêt de Test', 'MAISON_ARRET') RETURNING id`,
  );
  const [{ id: room }] = await ds.query(
    `INSERT INTO visiting_rooms (establishment_id, name, kind, cabins) VALUES ($1, 'Parloir A', 'ORDINARY', 10) RETURNING id`,
    [establishmentId],
  );
  const [{ id: room2 }] = await ds.query(
    `INSERT INTO visiting_rooms (establishment_id, name, kind, cabins) VALUES ($1, 'Parloir B', 'SEPARATION', 4) RETURNING id`,
    [establishmentId],
  );
  [{ id: templateId }] = await ds.query(
    `INSERT INTO slot_templates (room_id, day_of_week, start_time, end_time, capacity, valid_from) VALUES ($1, 3, '14:00', '15:00', 10, '2026-01-01') RETURNING id`,
    [room],
  );
  [{ id: overlappingTemplateId }] = await ds.query(
    `INSERT INTO slot_templates (room_id, day_of_week, start_time, end_time, capacity, valid_from) VALUES ($1, 3, '14:30', '15:30', 4, '2026-01-01') RETURNING id`,
    [room2],
  );
  detainees = await ds.query(
    `INSERT INTO detainees (establishment_id, ecrou_number, last_name, first_name, birth_date, legal_status)
     SELECT $1, (1000 + g)::text, 'Nom' || g, 'Prénom', '1980-01-01', 'CONDAMNE' FROM generate_series(1, 200) g RETURNING id`,
    [establishmentId],
  );
  families = await ds.query(
    `INSERT INTO family_accounts (fc_subject, given_name, family_name) SELECT 'fc-' || g, 'P', 'F' || g FROM generate_series(1, 200) g RETURNING id`,
  );
  permits = [];
  for (let i = 0; i < 200; i++) {
    const [p] = await ds.query(
      `INSERT INTO permits (establishment_id, detainee_id, family_account_id, visitor_given_name, visitor_family_name, visitor_birthdate, relationship, valid_from, origin)
       VALUES ($1, $2, $3, 'Vis', 'Iteur', '1985-01-01', 'SPOUSE', '2026-01-01', 'PAPER') RETURNING id`,
      [establishmentId, detainees[i].id, families[i].id],
    );
    permits.push(p);
  }
});
afterAll(async () => {
  await ds?.destroy();
});

const input = (i: number, over: Record<string, unknown> = {}) => ({
  familyAccountId: families[i].id,
  templateId,
  day: DAY,
  detaineeId: detainees[i].id,
  permitIds: [permits[i].id],
  channel: 'ONLINE',
  idempotencyKey: `key-${i}`,
  ...over,
});

describe('booking a visit: capacity and double bookings are guaranteed by the database', () => {
  it(`${PARALLEL} parallel requests for a slot with 10 places make exactly 10 bookings; the others are told it is full`, async () => {
    const pools = await Promise.all(
      Array.from({ length: process.env.DATABASE_URL ? 4 : 1 }, () => openDataSource(process.env.DATABASE_URL ? 5 : 1)),
    );
    try {
      const results = await Promise.allSettled(
        detainees.slice(0, PARALLEL).map((_, i) => visits(pools[i % pools.length]).book(STAFF, input(i), NOW)),
      );
      const booked = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(booked).toHaveLength(10);
      expect(refused).toHaveLength(PARALLEL - 10);
      for (const r of refused) {
        expect(r.reason).toBeInstanceOf(DomainError);
        expect(r.reason.message).toBe('Ce créneau est complet. Choisissez un autre créneau ou inscrivez-vous sur la liste d’attente.');
      }
    } finally {
      await Promise.all(pools.map((p) => p.destroy()));
    }
    expect(await query(`SELECT capacity, booked FROM visit_slots WHERE template_id = $1`, [templateId])).toEqual([
      { capacity: 10, booked: 10 },
    ]);
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE family_account_id IS NOT NULL`)).toEqual([{ n: 10 }]);
  });

  it('a retried submission returns the existing booking', async () => {
    const [v] = await query(
      `SELECT v.id, v.reference, f.id AS family, v.idempotency_key, v.detainee_id FROM visits v JOIN family_accounts f ON f.id = v.family_account_id LIMIT 1`,
    );
    const i = families.findIndex((f) => f.id === v.family);
    const again = await visits().book(STAFF, input(i), NOW);
    expect(again).toMatchObject({ id: v.id, reference: v.reference, existing: true });
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE family_account_id IS NOT NULL`)).toEqual([{ n: 10 }]);
  });

  it('never books a detainee twice at overlapping times, nor a visitor', async () => {
    const [v] = await query(
      `SELECT v.detainee_id, vv.permit_id, v.family_account_id FROM visits v JOIN visit_visitors vv ON vv.visit_id = v.id WHERE v.family_account_id IS NOT NULL LIMIT 1`,
    );
    const i = detainees.findIndex((d) => d.id === v.detainee_id);
    await expect(visits().book(STAFF, input(i, { templateId: overlappingTemplateId, idempotencyKey: 'other' }), NOW)).rejects.toMatchObject(
      { code: 'ENTITLEMENT_USED' },
    );
    // With a higher entitlement, the overlap itself is refused by the exclusion constraint.
    await ds.query(`INSERT INTO visit_settings (establishment_id, weekly_condamne) VALUES ($1, 5)`, [establishmentId]);
    await expect(visits().book(STAFF, input(i, { templateId: overlappingTemplateId, idempotencyKey: 'other' }), NOW)).rejects.toMatchObject(
      {
        code: 'DETAINEE_BUSY',
        message: 'La personne détenue a déjà une visite à ce moment-là.',
      },
    );
    await ds.query(`DELETE FROM visit_settings`);
  });

  it('says why in plain French: outside the window, closed day, holiday, suspended permit, minor alone', async () => {
    const free = detainees.length - 1;
    await expect(visits().book(STAFF, input(free, { day: '2026-12-02' }), new Date('2026-12-02T06:00:00Z'))).rejects.toMatchObject({
      code: 'TOO_SOON',
    });
    await expect(visits().book(STAFF, input(free, { day: '2027-01-13' }), NOW)).rejects.toMatchObject({
      code: 'TOO_FAR',
      message: 'Les visites se réservent au plus 28 jours à l’avance.',
    });
    await expect(visits().book(STAFF, input(free, { day: '2026-12-10' }), NOW)).rejects.toMatchObject({ code: 'WRONG_DAY' });
    await expect(visits().book(STAFF, input(free, { day: '2026-12-16' }), new Date('2026-12-10T08:00:00Z'))).resolves.toMatchObject({
      existing: false,
    });
    await ds.query(`INSERT INTO closures (establishment_id, day, reason) VALUES ($1, '2026-12-23', 'grève des transports')`, [
      establishmentId,
    ]);
    await expect(visits().book(STAFF, input(free - 1, { day: '2026-12-23' }), new Date('2026-12-10T08:00:00Z'))).rejects.toMatchObject({
      message: 'Parloir fermé ce jour-là : grève des transports',
    });
    await expect(visits().book(STAFF, input(free - 1, { day: '2026-12-30' }), new Date('2026-12-10T08:00:00Z'))).resolves.toMatchObject({
      existing: false,
    });
    await ds.query(`UPDATE permits SET status = 'SUSPENDED', status_reason = 'incident' WHERE id = $1`, [permits[free - 2].id]);
    await expect(visits().book(STAFF, input(free - 2), NOW)).rejects.toMatchObject({
      code: 'PERMIT_SUSPENDED',
      message: 'Un des permis est suspendu.',
    });
    await ds.query(`UPDATE permits SET visitor_birthdate = '2015-06-01' WHERE id = $1`, [permits[free - 3].id]);
    await expect(visits().book(STAFF, input(free - 3), NOW)).rejects.toMatchObject({ code: 'MINOR_ALONE' });
    // A family cannot book with someone else's permit.
    await expect(visits().book(STAFF, input(free - 4, { permitIds: [permits[free - 5].id] }), NOW)).rejects.toMatchObject({
      code: 'NO_PERMIT',
    });
  });
});
