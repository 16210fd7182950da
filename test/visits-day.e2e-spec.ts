import { DataSource } from 'typeorm';
import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { type HtmlPage, page } from './helpers/html';
import { openDataSource, services } from './helpers/notifications';
import { signInAgent, type Agent } from './helpers/sign-in';
import { forgedToken } from './helpers/tokens';
import {
  insertAgent,
  grantRole,
  insertAgentElsewhere,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type AgentRow,
  type StaffRole,
} from './factories/people';
import { insertPermit } from './factories/permits';
import { at, dayIn, insertSlotTemplate, insertVisit, insertVisitingDay, weekdayOf } from './factories/visits';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { VisitBookingService } = require('../dist/src/visits/visit-booking.service') as typeof import('../src/visits/visit-booking.service');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
const { SignedTokens } = require('../dist/src/common/signed-tokens') as typeof import('../src/common/signed-tokens');
/* eslint-enable @typescript-eslint/no-require-imports */

/** The app's secret outside production when none is set (config.ts): the tests sign QR codes with it. */
const SECRET = 'development-only-session-secret-change-me-0000';
const TODAY = dayIn(0);

const suite = appForTests();
let ds: DataSource;
let agentRow: AgentRow;
let agent: Agent;
beforeAll(async () => {
  ds = await openDataSource(2);
  // The agent of the visiting rooms; each test gives them a role in its own establishment.
  agentRow = await insertAgentElsewhere('PARLOIR_AGENT', {
    givenName: 'Małgorzata',
    usualName: 'Wójcik',
  });
  agent = await signInAgent(suite.app.url, agentRow);
});
afterAll(async () => {
  await ds?.destroy();
});

/** A day at the visiting rooms of a new establishment where the agent works (see insertVisitingDay). */
async function today() {
  const day = await insertVisitingDay({ day: TODAY });
  await grantRole(agentRow.id, day.establishment.id, 'PARLOIR_AGENT');
  return { ...day, base: `/etablissements/${day.establishment.code}/parloir` };
}

/** The cells of the table rows marked `data-testid="<id>"`. */
function cells(p: HtmlPage, id: string): string[][] {
  return p
    .testId(id)
    .toArray()
    .map((row) =>
      p
        .$(row)
        .find('td')
        .toArray()
        .map((td) => p.$(td).text().replace(/\s+/g, ' ').trim()),
    );
}

/** One tap on the visit's page: a visitor arrived, absent, or refused (with the form's CSRF token). */
async function check(base: string, visitId: string, visitorId: string, fields: Record<string, string>) {
  const visitPage = page(await agent.get(`${base}/visites/${visitId}`).expect(200));
  return agent
    .post(`${base}/visites/${visitId}/visiteurs/${visitorId}`)
    .type('form')
    .send({ _csrf: visitPage.csrf(), ...fields });
}

describe('the day at the visiting rooms', () => {
  it('lists the day’s visits per slot with the detainee’s building, the visitors and their status', async () => {
    const { base, kaya } = await today();
    const day = page(await agent.get(base).expect(200));
    expect(day.text('day-summary')).toMatch(/^4 visite\(s\) — 0 visiteur\(s\) arrivé\(s\) sur 6\./);
    expect(day.texts('slot-heading')).toEqual([
      '14:00 – 15:00 — Parloir familles 1 (2 visite(s))',
      '15:30 – 16:30 — Parloir familles 1 (2 visite(s))',
    ]);
    const kayaItem = day.texts('day-visit').find((t) => t.includes('Yusuf KAYA'))!;
    expect(kayaItem).toContain(`Yusuf KAYA — écrou ${kaya.ecrou} — Bâtiment A, cellule 12`);
    expect(kayaItem).toContain('Ayşe KAYA');
    expect(kayaItem).toContain('Łucja KAYA');
    expect(day.texts('visit-status')).toEqual(['Attendue', 'Attendue', 'Attendue', 'Attendue']);
    const print = page(await agent.get(`${base}/imprimer?jour=${TODAY}`).expect(200));
    expect(print.text('print-caption')).toBe('4 visite(s)');
    expect(print.text('signature-column')).toBe('Émargement');
    const moves = page(await agent.get(`${base}/mouvements?jour=${TODAY}`).expect(200));
    expect(moves.text('movements-caption')).toBe('4 mouvement(s)');
    expect(cells(moves, 'movement')).toContainEqual([
      '14:00',
      '15:00',
      'Yusuf KAYA',
      kaya.ecrou,
      'Bâtiment A, cellule 12',
      'Parloir familles 1',
      'Attendue',
    ]);
    const later = page(await agent.get(`${base}?jour=2099-01-01`).expect(200));
    expect(later.text('empty-day')).toBe('Aucune visite ce jour-là.');
  });

  it('finds a visit by a visitor’s name, accents and case aside, and opens it directly', async () => {
    const { base, lemaire, nguyen } = await today();
    const found = await agent.get(`${base}?q=lemaîre`).expect(303);
    expect(found.headers.location).toBe(`${base}/visites/${lemaire.id}`);
    const byVietnameseName = await agent.get(`${base}?q=${encodeURIComponent('Nguyễn')}`).expect(303);
    expect(byVietnameseName.headers.location).toBe(`${base}/visites/${nguyen.id}`);
    const none = page(await agent.get(`${base}?q=Personne`).expect(200));
    expect(none.text('empty-day')).toBe('Aucune visite ne correspond à cette recherche ce jour-là.');
  });

  it('refuses a NUL character in the search box with a French page', async () => {
    const { base } = await today();
    const nul = page(await agent.get(`${base}?q=Lemaire%00`).expect(400));
    expect(nul.heading()).toBe('Requête incorrecte');
    expect(nul.mainText()).toContain('Votre saisie contient un caractère non autorisé');
  });

  it('checks in each visitor with one tap, refuses one with a required reason, and finishes the visit; every check is audited', async () => {
    const { base, kaya } = await today();
    const [ayse, lucja] = kaya.visitorIds;
    expect((await check(base, kaya.id, ayse, { status: 'ARRIVED' })).status).toBe(303);
    expect(await queryOne(`SELECT status, first_check_at IS NOT NULL AS checked FROM visits WHERE id = $1`, [kaya.id])).toEqual({
      status: 'IN_PROGRESS',
      checked: true,
    });

    const noReason = await check(base, kaya.id, lucja, { status: 'REFUSED' });
    expect(noReason.status).toBe(400);
    expect(page(noReason).fieldError(`reason-${lucja}`)).toBe('Indiquez le motif du refus.');
    expect((await check(base, kaya.id, lucja, { status: 'REFUSED', reason: 'NO_ID' })).status).toBe(303);
    const visitPage = page(await agent.get(`${base}/visites/${kaya.id}`).expect(200));
    expect(visitPage.texts('visitor-check')).toEqual([
      expect.stringMatching(/^Arrivé à /),
      expect.stringMatching(/^Refusé — Pas de pièce d’identité à /),
    ]);
    expect(visitPage.texts('visitor-name')).toEqual(['Ayşe KAYA', 'Łucja KAYA']);
    expect(visitPage.text('finish')).toBe('Terminer la visite');

    const audit = await query<{ agentId: string; label: string; after: unknown }>(
      `SELECT actor_id AS "agentId", actor_label AS label, after
         FROM audit_log WHERE action = 'VISITOR_CHECKED' AND entity_id = $1 ORDER BY id`,
      [kaya.id],
    );
    expect(audit.map((a) => [a.agentId, a.label])).toEqual([
      [agentRow.id, 'Małgorzata Wójcik'],
      [agentRow.id, 'Małgorzata Wójcik'],
    ]);
    expect(audit[1].after).toMatchObject({ visitor: lucja, check: 'REFUSED', reason: 'NO_ID', visit: 'IN_PROGRESS' });

    const finished = await agent.post(`${base}/visites/${kaya.id}/terminer`).type('form').send({ _csrf: visitPage.csrf() }).expect(303);
    expect(finished.headers.location).toBe(`${base}?jour=${TODAY}`);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [kaya.id])).toEqual([{ status: 'DONE' }]);
    const done = await agent
      .post(`${base}/visites/${kaya.id}/visiteurs/${ayse}`)
      .type('form')
      .send({ _csrf: visitPage.csrf(), status: 'ABSENT' })
      .expect(409);
    expect(page(done).errors()).toEqual(['Cette visite est terminée.']);
  });

  it('marks a visit “visiteur absent” when nobody came', async () => {
    const { base, nguyen } = await today();
    expect((await check(base, nguyen.id, nguyen.visitorIds[0], { status: 'ABSENT' })).status).toBe(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [nguyen.id])).toEqual([{ status: 'NO_SHOW' }]);
    const day = page(await agent.get(base).expect(200));
    expect(day.texts('visit-status')).toContain('Visiteur absent');
  });

  it('opens the visit of a convocation QR code (link or scanned text), and only for its establishment', async () => {
    const { establishment, room, base } = await today();
    // A visit booked two days ago for today, with a convocation (appointment) to scan.
    const template = await insertSlotTemplate(room.id, { dayOfWeek: weekdayOf(TODAY), start: '20:00', end: '21:00', capacity: 4 });
    const detainee = await insertDetainee(establishment.id);
    const family = await insertFamily({ givenName: 'Ines', familyName: 'Đorđević' });
    const permit = await insertPermit({ establishmentId: establishment.id, detaineeId: detainee.id, familyAccountId: family.id });
    const clock = new Clock();
    clock.set(new Date(Date.parse(`${TODAY}T12:00:00Z`) - 2 * 86400_000), { frozen: true });
    const booking = new VisitBookingService(ds, new AuditService(), services(ds).appointments, clock);
    const booked = await booking.book(
      { type: 'SYSTEM', label: 'test' },
      {
        familyAccountId: family.id,
        templateId: template.id,
        day: TODAY,
        detaineeId: detainee.id,
        permitIds: [permit.id],
        channel: 'PHONE',
        contact: { email: 'famille@example.org', phone: null },
      },
    );
    const { appointmentId } = await queryOne<{ appointmentId: string }>(
      `SELECT appointment_id AS "appointmentId" FROM visits WHERE id = $1`,
      [booked.id],
    );
    const token = new SignedTokens(SECRET, 'visit-qr-token', 'P2VV').sign(appointmentId);

    const camera = await agent.get(`/parloir/convocation/${token}`).expect(303);
    expect(camera.headers.location).toBe(`${base}/visites/${booked.id}`);
    const scanner = await agent.get(`${base}?q=${encodeURIComponent(`https://p2v.example/parloir/convocation/${token}`)}`).expect(303);
    expect(scanner.headers.location).toBe(`${base}/visites/${booked.id}`);
    const byReference = await agent.get(`${base}?q=${booked.reference.toLowerCase()}`).expect(303);
    expect(byReference.headers.location).toBe(`${base}/visites/${booked.id}`);

    const forged = forgedToken(token);
    const refused = page(await agent.get(`${base}?q=${forged}`).expect(404));
    expect(refused.text('scan-error')).toBe('Ce code QR ne correspond à aucune visite de cet établissement.');
    await agent.get(`/parloir/convocation/${forged}`).expect(404);
    const permitToken = new SignedTokens(SECRET, 'permit-qr-token', 'P2V1').sign(permit.id);
    await agent.get(`/parloir/convocation/${permitToken}`).expect(404);
    // The agent of another establishment scans it: nothing.
    const elsewhere = await insertAgentElsewhere('PARLOIR_AGENT');
    await (await signInAgent(suite.app.url, elsewhere)).get(`/parloir/convocation/${token}`).expect(404);
  });

  it('does not check arrivals ahead of the visit’s day', async () => {
    const { establishment, room, base } = await today();
    const detainee = await insertDetainee(establishment.id);
    const permit = await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'Ilse',
      visitorFamilyName: 'Groß',
    });
    const nextWeek = await insertVisit({
      establishmentId: establishment.id,
      roomId: room.id,
      detaineeId: detainee.id,
      permitIds: [permit.id],
      startsAt: at(dayIn(7), '14:00'),
    });
    const visitPage = page(await agent.get(`${base}/visites/${nextWeek.id}`).expect(200));
    expect(visitPage.text('not-checkable')).toContain('L’arrivée des visiteurs se vérifie le jour de la visite');
    expect(visitPage.$('input[name="status"][value="ARRIVED"]')).toHaveLength(0);
    const early = await agent
      .post(`${base}/visites/${nextWeek.id}/visiteurs/${nextWeek.visitorIds[0]}`)
      .type('form')
      .send({ _csrf: visitPage.csrf(), status: 'ARRIVED' });
    expect(early.status).toBe(409);
    expect(page(early).errors()).toEqual(['L’arrivée des visiteurs se vérifie le jour de la visite.']);
  });

  it('shows the statistics: booked, held, no-shows, refusals by reason, median check time', async () => {
    const { establishment, base, kaya, nguyen } = await today();
    await check(base, kaya.id, kaya.visitorIds[0], { status: 'ARRIVED' });
    await check(base, kaya.id, kaya.visitorIds[1], { status: 'REFUSED', reason: 'NO_ID' });
    await check(base, nguyen.id, nguyen.visitorIds[0], { status: 'ABSENT' });
    const stats = page(await agent.get(`${base}/statistiques?du=${TODAY}&au=${TODAY}`).expect(200));
    expect(stats.text('total-booked')).toBe('4');
    expect(stats.text('total-held')).toBe('1');
    expect(stats.text('total-no-shows')).toBe('1');
    expect(cells(stats, 'refusal')).toEqual([['Pas de pièce d’identité', '1']]);
    expect(stats.text('median')).toMatch(/^[\d,.]+ min$/);
    expect(stats.text('checked-visits')).toBe('(1 visite(s) de plusieurs visiteurs)');
    const head = await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }]);
    await (await signInAgent(suite.app.url, head)).get(`${base}/statistiques`).expect(200);
  });

  it('does not let in a visitor whose permit is suspended: the refusal with that reason is offered instead', async () => {
    const { base, diallo } = await today();
    const [visitor] = diallo.visitorIds;
    await query(`UPDATE permits SET status = 'SUSPENDED', status_reason = 'Incident au parloir' WHERE id = $1`, [diallo.permitIds[0]]);
    const visitPage = page(await agent.get(`${base}/visites/${diallo.id}`).expect(200));
    expect(visitPage.text('visitor-warning')).toBe('Permis suspendu : la visite n’est pas possible.');
    expect(visitPage.$(`#reason-${visitor} option[selected]`).attr('value')).toBe('PERMIT_SUSPENDED');
    const letIn = await check(base, diallo.id, visitor, { status: 'ARRIVED' });
    expect(letIn.status).toBe(409);
    expect(page(letIn).errors()).toEqual([
      'Le permis de ce visiteur n’est plus valable : refusez l’accès avec le motif « permis suspendu ».',
    ]);
    expect((await check(base, diallo.id, visitor, { status: 'REFUSED', reason: 'PERMIT_SUSPENDED' })).status).toBe(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [diallo.id])).toEqual([{ status: 'REFUSED' }]);
  });

  it('is for the visiting-room agents of the establishment only', async () => {
    const { establishment, base, diallo } = await today();
    // The establishment's other staff (greffe, administrator, SPIP) do not hold the visiting room's role.
    const roles: StaffRole[] = ['PERMITS_OFFICER', 'ADMIN', 'SPIP_COUNSELLOR'];
    const other = await signInAgent(suite.app.url, await insertAgent(roles.map((role) => ({ establishmentId: establishment.id, role }))));
    await other.get(base).expect(403);
    await other.get(`${base}/visites/${diallo.id}`).expect(403);
    const visitPage = page(await agent.get(`${base}/visites/${diallo.id}`).expect(200));
    expect(visitPage.csrf()).toBeTruthy();
    // No CSRF token: refused.
    await agent.post(`${base}/visites/${diallo.id}/visiteurs/${diallo.visitorIds[0]}`).type('form').send({ status: 'ARRIVED' }).expect(403);
    const elsewhere = await insertEstablishment();
    await agent.get(`/etablissements/${elsewhere.code}/parloir/visites/${diallo.id}`).expect(403);
  });
});
