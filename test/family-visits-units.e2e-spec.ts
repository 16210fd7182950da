import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { page } from './helpers/html';
import { type Agent, signInAgent } from './helpers/sign-in';
import { type AgentRow, grantRole, insertAgentElsewhere, insertEstablishment } from './factories/people';
import { insertAuthorisedCase, insertUnit } from './factories/family-visits-units';
import { openDataSource, services, testConfig } from './helpers/notifications';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { UnitsService } = require('../dist/src/family-visits/units.service') as typeof import('../src/family-visits/units.service');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
const { DomainError } = require('../dist/src/common/domain-error') as typeof import('../src/common/domain-error');
/* eslint-enable @typescript-eslint/no-require-imports */

const suite = appForTests();

/** Bookings are made on Tuesday 1 December 2026, 09:00 in Paris; stays in the following days. */
const NOW = '2026-12-01T08:00:00.000Z';

let adminRow: AgentRow, headRow: AgentRow, agentRow: AgentRow;
let admin: Agent, head: Agent, agent: Agent;
beforeAll(async () => {
  adminRow = await insertAgentElsewhere('ADMIN', { givenName: 'Oğuz', usualName: 'Çelik' });
  headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Hélène', usualName: 'Ước' });
  agentRow = await insertAgentElsewhere('PARLOIR_AGENT', { givenName: 'Zofia', usualName: 'Kowalczyk' });
  admin = await signInAgent(suite.app.url, adminRow);
  head = await signInAgent(suite.app.url, headRow);
  agent = await signInAgent(suite.app.url, agentRow);
  // The worker’s shared app puts its clock back on the system time when it resets for the next file.
  await suite.app.setClock(NOW, { frozen: true });
});

/** A new establishment where the file's admin, head and parloir agent work. */
async function establishment() {
  const e = await insertEstablishment();
  await grantRole(adminRow.id, e.id, 'ADMIN');
  await grantRole(headRow.id, e.id, 'HEAD_OF_ESTABLISHMENT');
  await grantRole(agentRow.id, e.id, 'PARLOIR_AGENT');
  return { ...e, base: `/etablissements/${e.code}/uvf` };
}

/** Posts a form as the browser would, with the CSRF token of the page `from`. */
async function post(who: Agent, from: string, action: string, fields: Record<string, string>) {
  const csrf = page(await who.get(from).expect(200)).csrf();
  return who
    .post(action)
    .type('form')
    .send({ _csrf: csrf, ...fields });
}

function book(base: string, caseId: string, fields: { unitId: string; day: string; time: string; outsideWish?: string }, who = agent) {
  return post(who, `${base}/reserver/${caseId}`, `${base}/reserver/${caseId}`, fields);
}

function errorsOf(res: { text: string }): string {
  return page(res).testId('error-summary').text().replace(/\s+/g, ' ');
}

describe('UVF and PF units (administration)', () => {
  it('the admin creates, edits and deactivates units; the head reads; a missing accessible unit is warned about; all audited', async () => {
    const e = await establishment();
    const units = `${e.base}/unites`;
    const landing = page(await admin.get(units).expect(200));
    expect(landing.$('nav a[href$="/uvf/unites"]').length).toBeGreaterThan(0);
    expect(landing.testId('accessibility-warning').length).toBe(0);

    expect((await post(admin, units, units, { kind: 'UVF', name: 'UVF Łąka', capacity: '3' })).status).toBe(303);
    let p = page(await admin.get(units).expect(200));
    expect(p.testId('unit').text()).toContain('UVF Łąka');
    expect(p.testId('accessibility-warning').text()).toContain('Aucun logement actif n’est accessible aux personnes à mobilité réduite');

    const refused = await post(admin, units, units, { kind: 'PF', name: 'PF 1', capacity: '25' });
    expect(refused.status).toBe(400);
    expect(errorsOf(refused)).toContain('La capacité est un nombre de visiteurs de 1 à 20.');
    const twice = await post(admin, units, units, { kind: 'PF', name: 'uvf łąka', capacity: '2' });
    expect(errorsOf(twice)).toContain('Un logement porte déjà ce nom.');

    const { id } = await queryOne<{ id: string }>(`SELECT id FROM family_units WHERE establishment_id = $1`, [e.id]);
    expect((await post(admin, units, `${units}/${id}`, { name: 'UVF Łąka', capacity: '4', accessible: 'oui', active: 'oui' })).status).toBe(
      303,
    );
    p = page(await admin.get(units).expect(200));
    expect(p.testId('accessibility-warning').length).toBe(0);
    // An accessible unit that is deactivated no longer counts.
    await post(admin, units, units, { kind: 'PF', name: 'PF Ağaç', capacity: '2' });
    expect((await post(admin, units, `${units}/${id}`, { name: 'UVF Łąka', capacity: '4', accessible: 'oui' })).status).toBe(303);
    p = page(await head.get(units).expect(200));
    expect(p.testId('accessibility-warning').length).toBe(1);
    expect(p.$(`form[action="${units}"]`).length).toBe(0);
    expect(await query(`SELECT capacity, accessible, active FROM family_units WHERE id = $1`, [id])).toEqual([
      { capacity: 4, accessible: true, active: false },
    ]);

    // The head reads but does not change; a parloir agent does not see the page.
    const c = await insertAuthorisedCase(e.id);
    await head
      .post(units)
      .type('form')
      .send({ _csrf: page(await head.get(`${e.base}/reserver/${c.caseId}`).expect(200)).csrf(), kind: 'UVF', name: 'X', capacity: '2' })
      .expect(403);
    await agent.get(units).expect(403);
    expect(
      await query(`SELECT action FROM audit_log WHERE entity_type = 'family_unit' AND establishment_id = $1 ORDER BY id`, [e.id]),
    ).toEqual([
      { action: 'FAMILY_UNIT_CREATED' },
      { action: 'FAMILY_UNIT_CHANGED' },
      { action: 'FAMILY_UNIT_CREATED' },
      { action: 'FAMILY_UNIT_CHANGED' },
    ]);
  });
});

describe('booking an authorised visit into a unit', () => {
  it('books the granted hours and visitors at a local time, and the planning shows the stay', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF Ğ1', capacity: 4 });
    const c = await insertAuthorisedCase(e.id, { hours: 24, visitors: 3, firstName: 'محمد', lastName: 'Al-Łukasz' });
    const form = page(await agent.get(`${e.base}/reserver/${c.caseId}`).expect(200));
    expect(form.mainText()).toContain('24 heures');
    const res = await book(e.base, c.caseId, { unitId: unit.id, day: '05/12/2026', time: '10:00' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`${e.base}/planning?semaine=2026-12-05`);
    expect(
      await query(`SELECT lower(during) AS "from", upper(during) AS "to", visitors, status FROM family_visit_stays WHERE case_id = $1`, [
        c.caseId,
      ]),
    ).toEqual([{ from: new Date('2026-12-05T09:00:00Z'), to: new Date('2026-12-06T09:00:00Z'), visitors: 3, status: 'BOOKED' }]);
    const planning = page(await head.get(`${e.base}/planning?semaine=2026-12-05`).expect(200));
    const stays = planning
      .testId('planning-stay')
      .toArray()
      .map((a) => planning.$(a).text());
    // Saturday and Sunday, on the establishment's clock.
    expect(stays).toEqual([
      'محمد AL-ŁUKASZ — 3 visiteur(s), 05/12 10:00 → 06/12 10:00',
      'محمد AL-ŁUKASZ — 3 visiteur(s), 05/12 10:00 → 06/12 10:00',
    ]);
    // One authorisation, one visit.
    const again = await book(e.base, c.caseId, { unitId: unit.id, day: '12/12/2026', time: '10:00' });
    expect(again.status).toBe(409);
    expect(errorsOf(again)).toContain('une autorisation vaut pour une seule visite');
    expect(await query(`SELECT action FROM audit_log WHERE action = 'FAMILY_STAY_BOOKED' AND establishment_id = $1`, [e.id])).toHaveLength(
      1,
    );
  });

  it('shows the period the family wished, and books a start outside it only once the agent ticks « Date convenue avec la famille »', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF Ŵ', capacity: 4 });
    const c = await insertAuthorisedCase(e.id, { hours: 24, visitors: 1, firstName: 'Şebnem', lastName: 'Đỗ' });
    await query(`UPDATE family_visit_requests SET wished_from = '2026-12-01', wished_to = '2026-12-10' WHERE case_id = $1`, [c.caseId]);
    const form = page(await agent.get(`${e.base}/reserver/${c.caseId}`).expect(200));
    expect(form.text('book-wish')).toBe('Période souhaitée par la famille : du 01/12/2026 au 10/12/2026.');
    const outside = await book(e.base, c.caseId, { unitId: unit.id, day: '19/12/2026', time: '10:00' });
    expect(outside.status).toBe(400);
    expect(page(outside).fieldError('outsideWish')).toBe(
      'La famille a souhaité une visite du 01/12/2026 au 10/12/2026 : cochez « Date convenue avec la famille » pour réserver en dehors de cette période.',
    );
    expect(page(outside).$('#day').val()).toBe('19/12/2026');
    expect(await query(`SELECT 1 FROM family_visit_stays WHERE case_id = $1`, [c.caseId])).toEqual([]);
    const agreed = await book(e.base, c.caseId, { unitId: unit.id, day: '19/12/2026', time: '10:00', outsideWish: 'oui' });
    expect(agreed.status).toBe(303);
    expect(await query(`SELECT status FROM family_visit_stays WHERE case_id = $1`, [c.caseId])).toEqual([{ status: 'BOOKED' }]);
  });

  it('refuses in French an overlapping stay in the unit and more visitors than its capacity (never a 500)', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF Ş2', capacity: 2 });
    const first = await insertAuthorisedCase(e.id, { hours: 48, visitors: 2 });
    const second = await insertAuthorisedCase(e.id, { hours: 6, visitors: 1, lastName: 'Şahin' });
    const crowd = await insertAuthorisedCase(e.id, { hours: 6, visitors: 3, lastName: 'Ngô' });
    expect((await book(e.base, first.caseId, { unitId: unit.id, day: '07/12/2026', time: '14:00' })).status).toBe(303);

    const overlap = await book(e.base, second.caseId, { unitId: unit.id, day: '08/12/2026', time: '09:00' });
    expect(overlap.status).toBe(409);
    expect(errorsOf(overlap)).toContain('Ce logement est déjà occupé sur cette période.');
    // Right after the first stay ends (ranges are half-open): accepted.
    expect((await book(e.base, second.caseId, { unitId: unit.id, day: '09/12/2026', time: '14:00' })).status).toBe(303);

    const tooMany = await book(e.base, crowd.caseId, { unitId: unit.id, day: '15/12/2026', time: '09:00' });
    expect(tooMany.status).toBe(409);
    expect(errorsOf(tooMany)).toContain('Ce logement accueille au plus 2 visiteur(s) : la visite en compte 3.');

    const pf = await insertUnit(e.id, { kind: 'PF', name: 'PF 1' });
    const wrongKind = await book(e.base, crowd.caseId, { unitId: pf.id, day: '15/12/2026', time: '09:00' });
    expect(errorsOf(wrongKind)).toContain('Choisissez un logement actif de type UVF');
    const badDay = await book(e.base, crowd.caseId, { unitId: unit.id, day: '31/02/2026', time: '25:00' });
    expect(badDay.status).toBe(400);
    expect(errorsOf(badDay)).toContain('Indiquez le jour d’arrivée au format JJ/MM/AAAA.');
    expect(await query(`SELECT count(*)::int AS n FROM family_visit_stays WHERE unit_id = $1`, [unit.id])).toEqual([{ n: 2 }]);
    // Nor may the unit shrink below a stay already booked.
    const units = `${e.base}/unites`;
    const shrink = await post(admin, units, `${units}/${unit.id}`, { name: 'UVF Ş2', capacity: '1', accessible: 'oui', active: 'oui' });
    expect(shrink.status).toBe(400);
    expect(errorsOf(shrink)).toContain('Une visite prévue dans ce logement compte 2 visiteurs');
  });

  it('20 parallel bookings of one unit on overlapping ranges: exactly one succeeds, the others are told in French', async () => {
    // As in test/visits-booking.e2e-spec.ts: the service as the app builds it, on several pools, so the
    // transactions really race in the database.
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF Ż', capacity: 6 });
    const cases = [];
    for (let i = 0; i < 20; i++) cases.push(await insertAuthorisedCase(e.id, { hours: 24, visitors: 1, lastName: `Kowalski${i}` }));
    const pools = await Promise.all(Array.from({ length: 4 }, () => openDataSource(5)));
    const clock = new Clock();
    clock.set(new Date(NOW), { frozen: true });
    const actor = { type: 'AGENT' as const, id: agentRow.id, label: 'Zofia Kowalczyk' };
    try {
      const results = await Promise.allSettled(
        cases.map((c, i) =>
          new UnitsService(
            pools[i % pools.length],
            new AuditService(),
            clock,
            services(pools[i % pools.length], testConfig(), clock).notifications,
          ).book(actor, e, c.caseId, {
            unitId: unit.id,
            day: '2026-12-10',
            time: `${String(8 + (i % 10)).padStart(2, '0')}:${i < 10 ? '00' : '30'}`,
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused).toHaveLength(19);
      for (const r of refused) {
        expect(r.reason).toBeInstanceOf(DomainError);
        expect((r.reason as Error).message).toBe('Ce logement est déjà occupé sur cette période.');
      }
    } finally {
      await Promise.all(pools.map((p) => p.destroy()));
    }
    expect(await query(`SELECT count(*)::int AS n FROM family_visit_stays WHERE unit_id = $1`, [unit.id])).toEqual([{ n: 1 }]);
    expect(
      await query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'FAMILY_STAY_BOOKED' AND establishment_id = $1`, [e.id]),
    ).toEqual([{ n: 1 }]);
  });

  it('the planning lists the authorised cases still to place, detainees without leave and far PF families first', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF 1' });
    const past = await insertAuthorisedCase(e.id, { lastName: 'Ancien', firstName: 'Ödön' });
    // Their last stay ended in November: they come after those never received.
    await query(
      `INSERT INTO family_visit_stays (case_id, unit_id, during, visitors, status)
       VALUES ($1, $2, tstzrange('2026-11-10T09:00Z', '2026-11-11T09:00Z', '[)'), 2, 'ENDED')`,
      [past.caseId, unit.id],
    );
    await insertAuthorisedCase(e.id, { detaineeId: past.detaineeId, lastName: 'Ancien', firstName: 'Ödön' });
    await insertAuthorisedCase(e.id, { lastName: 'Jamais', firstName: 'Ýr' });
    await insertAuthorisedCase(e.id, { lastName: 'Libre', firstName: 'Ñuño', noLeavePossible: true });
    await insertAuthorisedCase(e.id, { kind: 'PF', lastName: 'Loin', firstName: 'Ảnh', distanceKm: 600 });
    const p = page(await agent.get(`${e.base}/planning`).expect(200));
    const rows = p
      .testId('waiting')
      .toArray()
      .map((li) => p.$(li).text().replace(/\s+/g, ' ').trim());
    expect(rows.map((r) => r.split(' — ')[0])).toEqual(['Ñuño LIBRE', 'Ảnh LOIN', 'Ýr JAMAIS', 'Ödön ANCIEN']);
    expect(rows[0]).toContain('prioritaire : sans permission de sortir');
    expect(rows[1]).toContain('famille éloignée (600 km)');
    expect(rows[3]).toContain('dernière visite le 11 novembre 2026');
  });
});

describe('during the stay', () => {
  it('records the registers with the agent and time, starts, ends early for security, and an exit is final; all audited', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF Ł3' });
    const c = await insertAuthorisedCase(e.id, { hours: 6, firstName: 'Łucja', lastName: 'عبد الله' });
    await book(e.base, c.caseId, { unitId: unit.id, day: '02/12/2026', time: '09:00' });
    const { id } = await queryOne<{ id: string }>(`SELECT id FROM family_visit_stays WHERE case_id = $1`, [c.caseId]);
    const stay = `${e.base}/sejours/${id}`;
    expect((await post(agent, stay, `${stay}/debut`, {})).status).toBe(303);
    for (const [kind, notes] of [
      ['ENTRY_INVENTORY', 'Logement propre, vaisselle complète, vu avec M. عبد الله'],
      ['BELONGINGS', 'Deux téléphones au casier 4'],
      ['PRESENCE_CHECK', 'Trois personnes présentes'],
      ['ROUND', 'Ronde de 10 h, rien à signaler'],
    ])
      expect((await post(agent, stay, `${stay}/registre`, { kind, notes })).status).toBe(303);
    const empty = await post(agent, stay, `${stay}/registre`, { kind: 'INCIDENT', notes: ' ' });
    expect(empty.status).toBe(400);
    expect(errorsOf(empty)).toContain('Décrivez ce que vous avez constaté');

    // The early end asks for confirmation first.
    const ask = await post(agent, stay, `${stay}/fin-anticipee`, { cause: 'SECURITY', reason: 'Dispute violente signalée' });
    expect(ask.status).toBe(200);
    expect(page(ask).testId('confirm-early-end').text()).toContain('Toute sortie est définitive');
    expect(await queryOne(`SELECT status FROM family_visit_stays WHERE id = $1`, [id])).toEqual({ status: 'IN_PROGRESS' });
    const ended = await post(agent, stay, `${stay}/fin-anticipee`, {
      cause: 'SECURITY',
      reason: 'Dispute violente signalée',
      confirm: 'oui',
    });
    expect(ended.status).toBe(303);
    expect(await queryOne(`SELECT status, end_reason AS "endReason" FROM family_visit_stays WHERE id = $1`, [id])).toEqual({
      status: 'ENDED_EARLY',
      endReason: 'Pour raison de sécurité : Dispute violente signalée',
    });

    const restart = await post(agent, stay, `${stay}/debut`, {});
    expect(restart.status).toBe(409);
    expect(errorsOf(restart)).toContain('Cette visite ne peut plus commencer : toute sortie est définitive.');
    const round = await post(agent, stay, `${stay}/registre`, { kind: 'ROUND', notes: 'Ronde après la fin' });
    expect(errorsOf(round)).toContain('Cette visite est terminée.');
    expect((await post(head, stay, `${stay}/registre`, { kind: 'EXIT_INVENTORY', notes: 'Une chaise cassée' })).status).toBe(303);

    const p = page(await agent.get(stay).expect(200));
    expect(p.testId('stay-status').text()).toContain('Terminé avant l’heure');
    const events = p
      .testId('stay-event')
      .toArray()
      .map((r) =>
        p
          .$(r)
          .find('td')
          .toArray()
          .map((td) => p.$(td).text().trim()),
      );
    expect(events.map((row) => [row[1], row[2]])).toEqual([
      ['État des lieux d’entrée (avec la personne détenue)', 'Zofia Kowalczyk'],
      ['Inventaire des effets des visiteurs et casiers', 'Zofia Kowalczyk'],
      ['Contrôle de présence', 'Zofia Kowalczyk'],
      ['Ronde', 'Zofia Kowalczyk'],
      ['Fin anticipée', 'Zofia Kowalczyk'],
      ['État des lieux de sortie (avec la personne détenue)', 'Hélène Ước'],
    ]);
    expect(events[0][0]).toBe('01/12/2026 à 09:00');
    expect(
      (await query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`, [id])).map((r) => r.action),
    ).toEqual([
      'FAMILY_STAY_BOOKED',
      'FAMILY_STAY_STARTED',
      'FAMILY_STAY_ENTRY_INVENTORY',
      'FAMILY_STAY_BELONGINGS',
      'FAMILY_STAY_PRESENCE_CHECK',
      'FAMILY_STAY_ROUND',
      'FAMILY_STAY_ENDED_EARLY',
      'FAMILY_STAY_EXIT_INVENTORY',
    ]);
  });

  it('flags « fin dans 15 minutes » on the agents’ list of today’s stays (test clock)', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { kind: 'PF', name: 'PF Ż' });
    const c = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 4, lastName: 'Żółć' });
    await book(e.base, c.caseId, { unitId: unit.id, day: '03/12/2026', time: '13:00' });
    const { id } = await queryOne<{ id: string }>(`SELECT id FROM family_visit_stays WHERE case_id = $1`, [c.caseId]);
    try {
      await suite.app.setClock('2026-12-03T12:05:00Z', { frozen: true }); // 13:05 in Paris
      await post(agent, `${e.base}/sejours/${id}`, `${e.base}/sejours/${id}/debut`, {});
      let today = page(await agent.get(`${e.base}/sejours`).expect(200));
      expect(today.testId('today-stay').text()).toContain('Łukasz ŻÓŁĆ');
      expect(today.testId('ends-soon').length).toBe(0);
      await suite.app.setClock('2026-12-03T15:46:00Z', { frozen: true }); // 16:46, the end is at 17:00
      today = page(await agent.get(`${e.base}/sejours`).expect(200));
      expect(today.testId('ends-soon').text()).toContain('Fin dans 15 minutes');
    } finally {
      await suite.app.setClock(NOW, { frozen: true });
    }
  });
});

describe('navigation', () => {
  it('the parloir agent and the head reach the planning and today’s stays from the menu', async () => {
    const e = await establishment();
    for (const who of [agent, head]) {
      const home = page(await who.get('/agents').expect(200));
      const menu = (href: string) =>
        home
          .$(`a[href="${href}"]`)
          .toArray()
          .map((a) => home.$(a).text().trim());
      expect(menu(`/etablissements/${e.code}/uvf/planning`)).toEqual([`Planning UVF et PF (${e.code})`]);
      expect(menu(`/etablissements/${e.code}/uvf/sejours`)).toEqual([`Séjours du jour (${e.code})`]);
    }
  });
});
