import { formatInTimeZone } from 'date-fns-tz';
import { DataSource } from 'typeorm';
import { query } from './helpers/db';
import { startTestApp, TestApp } from './helpers/app';
import { openDataSource, services } from './helpers/notifications';
import { csrfOf, signIn, STAFF, type Agent } from './helpers/sign-in';

/* eslint-disable @typescript-eslint/no-require-imports */
const { VisitsService } = require('../dist/src/visits/visits.service');
const { AuditService } = require('../dist/src/common/audit.service');
const { SignedTokens } = require('../dist/src/common/signed-tokens');
/* eslint-enable @typescript-eslint/no-require-imports */

const SECRET = 'a-test-session-secret-of-at-least-32-characters';
const TODAY = formatInTimeZone(new Date(), 'Europe/Paris', 'yyyy-MM-dd');
const BASE = '/etablissements/CPNORD/parloir';

let app: TestApp;
let ds: DataSource;
let agent: Agent;

beforeAll(async () => {
  app = await startTestApp({ SESSION_SECRET: SECRET });
  ds = await openDataSource(2);
  agent = (await signIn(app.url, STAFF.parloirNord)).agent;
});
afterAll(async () => {
  await ds?.destroy();
  await app?.stop();
});

async function visitOf(familyName: string) {
  const [v] = await query(
    `SELECT v.id, v.status, d.ecrou_number FROM visits v JOIN visit_visitors vv ON vv.visit_id = v.id JOIN permits p ON p.id = vv.permit_id JOIN detainees d ON d.id = v.detainee_id
      WHERE p.visitor_family_name = $1 AND v.reference LIKE 'DEMO%' LIMIT 1`, // today's demo visits
    [familyName],
  );
  return v as { id: string; status: string; ecrou_number: string };
}

async function visitors(visitId: string) {
  return (await query(
    `SELECT vv.id, p.visitor_given_name AS name FROM visit_visitors vv JOIN permits p ON p.id = vv.permit_id WHERE vv.visit_id = $1 ORDER BY p.visitor_given_name`,
    [visitId],
  )) as { id: string; name: string }[];
}

/** The session's CSRF token, from the last page that had a form (a finished visit's page has none). */
let token = '';
function csrf(page: { text: string }) {
  const found = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (found) token = found;
  return token;
}

async function check(visitId: string, visitorId: string, fields: Record<string, string>) {
  const page = await agent.get(`${BASE}/visites/${visitId}`).expect(200);
  return agent
    .post(`${BASE}/visites/${visitId}/visiteurs/${visitorId}`)
    .type('form')
    .send({ _csrf: csrf(page), ...fields });
}

describe('the day at the visiting rooms', () => {
  it('lists the day’s visits per slot with the detainee’s building, the visitors and their status', async () => {
    const day = await agent.get(BASE).expect(200);
    expect(day.text).toContain('4 visite(s)');
    expect(day.text).toContain('0 visiteur(s) arrivé(s) sur 6');
    expect(day.text).toMatch(/14:00 – 15:00 — Parloir familles 1/);
    expect(day.text).toMatch(/15:30 – 16:30 — Parloir familles 1/);
    expect(day.text).toContain('Amina BENALI');
    expect(day.text).toMatch(/Bâtiment [ABC], cellule \d+/);
    const print = await agent.get(`${BASE}/imprimer?jour=${TODAY}`).expect(200);
    expect(print.text).toContain('<caption>4 visite(s)</caption>');
    expect(print.text).toContain('Émargement');
    const moves = await agent.get(`${BASE}/mouvements?jour=${TODAY}`).expect(200);
    expect(moves.text).toContain('<caption>4 mouvement(s)</caption>');
    expect(moves.text).toMatch(/<td>14:00<\/td><td>15:00<\/td><td>[^<]+<\/td><td>\d+<\/td><td>Bâtiment [ABC], cellule \d+<\/td>/);
    const tomorrow = await agent.get(`${BASE}?jour=2099-01-01`).expect(200);
    expect(tomorrow.text).toContain('Aucune visite ce jour-là.');
  });

  it('finds a visit by a visitor’s name, accents and case aside, and opens it directly', async () => {
    const v = await visitOf('Lemaire');
    const found = await agent.get(`${BASE}?q=lemaîre`).expect(303);
    expect(found.headers.location).toBe(`${BASE}/visites/${v.id}`);
    const none = await agent.get(`${BASE}?q=Personne`).expect(200);
    expect(none.text).toContain('Aucune visite ne correspond à cette recherche ce jour-là.');
  });

  it('checks in each visitor with one tap, refuses one with a required reason, and finishes the visit; every check is audited', async () => {
    const v = await visitOf('Benali');
    const [amina, yasmine] = await visitors(v.id);
    expect((await check(v.id, amina.id, { status: 'ARRIVED' })).status).toBe(303);
    expect(await query(`SELECT status, first_check_at IS NOT NULL AS checked FROM visits WHERE id = $1`, [v.id])).toEqual([
      { status: 'IN_PROGRESS', checked: true },
    ]);

    const noReason = await check(v.id, yasmine.id, { status: 'REFUSED' });
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain('Indiquez le motif du refus.');
    expect((await check(v.id, yasmine.id, { status: 'REFUSED', reason: 'NO_ID' })).status).toBe(303);
    const page = await agent.get(`${BASE}/visites/${v.id}`).expect(200);
    expect(page.text).toContain('<strong>Refusé</strong> — Pas de pièce d’identité');
    expect(page.text).toContain('Terminer la visite');

    const audit = await query(`SELECT actor_id, after FROM audit_log WHERE action = 'VISITOR_CHECKED' AND entity_id = $1 ORDER BY id`, [
      v.id,
    ]);
    const [agentRow] = await query(`SELECT id FROM agents WHERE email = 'sophie.moreau@justice.gouv.fr'`);
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => a.actor_id)).toEqual([agentRow.id, agentRow.id]);
    expect(audit[1].after).toMatchObject({ visitor: yasmine.id, check: 'REFUSED', reason: 'NO_ID', visit: 'IN_PROGRESS' });

    await agent
      .post(`${BASE}/visites/${v.id}/terminer`)
      .type('form')
      .send({ _csrf: csrf(page) })
      .expect(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [v.id])).toEqual([{ status: 'DONE' }]);
    const done = await check(v.id, amina.id, { status: 'ABSENT' });
    expect(done.status).toBe(409);
    expect(done.text).toContain('Cette visite est terminée.');
  });

  it('marks a visit “visiteur absent” when nobody came', async () => {
    const v = await visitOf('Martin');
    const [pierre] = await visitors(v.id);
    expect((await check(v.id, pierre.id, { status: 'ABSENT' })).status).toBe(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [v.id])).toEqual([{ status: 'NO_SHOW' }]);
    const day = await agent.get(BASE).expect(200);
    expect(day.text).toContain('Visiteur absent');
  });

  it('opens the visit of a convocation QR code (link or scanned text), and only for its establishment', async () => {
    // A visit booked two days ago for today, with a convocation (appointment) to scan.
    const dow = ((new Date(`${TODAY}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
    const [room] = await query(
      `SELECT r.id, r.establishment_id FROM visiting_rooms r JOIN establishments e ON e.id = r.establishment_id WHERE e.code = 'CPNORD' AND r.name = 'Parloir avec séparation'`,
    );
    const [t] = await query(
      `INSERT INTO slot_templates (room_id, day_of_week, start_time, end_time, capacity, valid_from) VALUES ($1, $2, '20:00', '21:00', 4, '2026-01-01') RETURNING id`,
      [room.id, dow],
    );
    const [permit] = await query(
      `SELECT p.id, p.detainee_id, p.family_account_id FROM permits p WHERE p.family_account_id IS NOT NULL AND p.status = 'ACTIVE' LIMIT 1`,
    );
    await query(
      `INSERT INTO visit_settings (establishment_id, weekly_condamne, weekly_prevenu) VALUES ($1, 7, 7) ON CONFLICT (establishment_id) DO UPDATE SET weekly_condamne = 7, weekly_prevenu = 7`,
      [room.establishment_id],
    );
    const { appointments } = services(ds);
    const booked = await new VisitsService(ds, new AuditService(ds), appointments).book(
      { type: 'SYSTEM', label: 'test' },
      {
        familyAccountId: permit.family_account_id,
        templateId: t.id,
        day: TODAY,
        detaineeId: permit.detainee_id,
        permitIds: [permit.id],
        channel: 'PHONE',
        contact: { email: 'famille@example.org', phone: null },
      },
      new Date(Date.parse(`${TODAY}T12:00:00Z`) - 2 * 86400_000),
    );
    const [{ appointment_id: appointmentId }] = await query(`SELECT appointment_id FROM visits WHERE id = $1`, [booked.id]);
    const token = new SignedTokens(SECRET, 'visit-qr-token', 'P2VV').sign(appointmentId);

    const camera = await agent.get(`/parloir/convocation/${token}`).expect(303);
    expect(camera.headers.location).toBe(`${BASE}/visites/${booked.id}`);
    const scanner = await agent.get(`${BASE}?q=${encodeURIComponent(`https://p2v.example/parloir/convocation/${token}`)}`).expect(303);
    expect(scanner.headers.location).toBe(`${BASE}/visites/${booked.id}`);
    const byReference = await agent.get(`${BASE}?q=${booked.reference.toLowerCase()}`).expect(303);
    expect(byReference.headers.location).toBe(`${BASE}/visites/${booked.id}`);

    const forged = `${token.slice(0, -3)}AAA`;
    const refused = await agent.get(`${BASE}?q=${forged}`).expect(404);
    expect(refused.text).toContain('Ce code QR ne correspond à aucune visite de cet établissement.');
    await agent.get(`/parloir/convocation/${forged}`).expect(404);
    const permitToken = new SignedTokens(SECRET, 'permit-qr-token', 'P2V1').sign(permit.id);
    await agent.get(`/parloir/convocation/${permitToken}`).expect(404);
  });

  it('does not check arrivals ahead of the visit’s day', async () => {
    // One of today's demo visits moved to next week.
    const v = await visitOf('Lemaire');
    await query(
      `UPDATE visits SET during = tstzrange(lower(during) + interval '7 days', upper(during) + interval '7 days') WHERE id = $1`,
      [v.id],
    );
    await query(
      `UPDATE visit_visitors SET during = tstzrange(lower(during) + interval '7 days', upper(during) + interval '7 days') WHERE visit_id = $1`,
      [v.id],
    );
    const [visitor] = await visitors(v.id);
    const page = await agent.get(`${BASE}/visites/${v.id}`).expect(200);
    expect(page.text).toContain('L’arrivée des visiteurs se vérifie le jour de la visite');
    expect(page.text).not.toContain('value="ARRIVED"');
    const early = await agent
      .post(`${BASE}/visites/${v.id}/visiteurs/${visitor.id}`)
      .type('form')
      .send({ _csrf: csrf(page), status: 'ARRIVED' });
    expect(early.status).toBe(409);
    expect(early.text).toContain('L’arrivée des visiteurs se vérifie le jour de la visite.');
  });

  it('shows the statistics: booked, held, no-shows, refusals by reason, median check time', async () => {
    const stats = await agent.get(`${BASE}/statistiques?du=${TODAY}&au=${TODAY}`).expect(200);
    expect(stats.text).toMatch(/Visites tenues : <strong>1<\/strong>/);
    expect(stats.text).toMatch(/Visiteurs absents : <strong>1<\/strong>/);
    expect(stats.text).toMatch(/<td>Pas de pièce d’identité<\/td><td>1<\/td>/);
    expect(stats.text).toMatch(/<strong id="median">[\d,.]+ min<\/strong> \(1 visite\(s\) de plusieurs visiteurs\)/);
    const head = (await signIn(app.url, STAFF.headNord)).agent;
    await head.get(`${BASE}/statistiques`).expect(200);
  });

  it('does not let in a visitor whose permit is suspended: the refusal with that reason is offered instead', async () => {
    const v = await visitOf('Diallo');
    const [fatou] = await visitors(v.id);
    await query(`UPDATE permits SET status = 'SUSPENDED' WHERE visitor_family_name = 'Diallo'`);
    const page = await agent.get(`${BASE}/visites/${v.id}`).expect(200);
    expect(page.text).toContain('Permis suspendu : la visite n’est pas possible.');
    expect(page.text).toMatch(/<option value="PERMIT_SUSPENDED" selected>/);
    const letIn = await check(v.id, fatou.id, { status: 'ARRIVED' });
    expect(letIn.status).toBe(409);
    expect(letIn.text).toContain('refusez l’accès avec le motif « permis suspendu »');
    expect((await check(v.id, fatou.id, { status: 'REFUSED', reason: 'PERMIT_SUSPENDED' })).status).toBe(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [v.id])).toEqual([{ status: 'REFUSED' }]);
  });

  it('is for the visiting-room agents of the establishment only', async () => {
    const v = await visitOf('Diallo');
    for (const who of [STAFF.permitsNord, STAFF.permitsSud, STAFF.admin]) {
      const other = (await signIn(app.url, who)).agent;
      await other.get(BASE).expect(403);
      await other.get(`${BASE}/visites/${v.id}`).expect(403);
    }
    const [visitor] = await visitors(v.id);
    const page = await agent.get(`${BASE}/visites/${v.id}`).expect(200);
    await agent.post(`${BASE}/visites/${v.id}/visiteurs/${visitor.id}`).type('form').send({ status: 'ARRIVED' }).expect(403); // no CSRF token
    expect(csrfOf(page)).toBeTruthy();
    await agent.get(`/etablissements/MASUD/parloir/visites/${v.id}`).expect(403);
  });
});
