import { query, queryOne } from './helpers/db';
import { importGenesis } from './helpers/genesis-import';
import { appForTests } from './helpers/app';
import { page } from './helpers/html';
import { type Agent, signInAgent } from './helpers/sign-in';
import { genesisCsv, genesisLine, insertTransferProposal } from './factories/detainees';
import { type AgentRow, grantRole, insertAgentElsewhere, insertDetainee, insertEstablishment } from './factories/people';
import { insertAuthorisedCase, insertUnit } from './factories/family-visits-units';
import { insertPermit } from './factories/permits';
import { insertRoom, insertSlotTemplate } from './factories/visits';
import { photoPng } from './helpers/files';
import { openDataSource, services, testConfig } from './helpers/notifications';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { UnitsService } = require('../dist/src/family-visits/units.service') as typeof import('../src/family-visits/units.service');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
const { DomainError } = require('../dist/src/common/domain-error') as typeof import('../src/common/domain-error');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The stays at the door (issue 11, audit gaps 1, 2, 3, 4 and 14): one detainee in one place, who may
 * enter (names, relationship, permit photo, minors and their adult, a child's exit time), a permit no
 * longer valid or a detainee who left, an intervention decided by the head or a delegate, a PF within
 * the visiting hours.
 */
const suite = appForTests();

/** Tuesday 1 December 2026, 09:00 in Paris; stays in the following days. */
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

function book(base: string, caseId: string, fields: { unitId: string; day: string; time: string; exceptionalHours?: string }, who = agent) {
  return post(who, `${base}/reserver/${caseId}`, `${base}/reserver/${caseId}`, fields);
}

/** A visitor's request GRANTED in the case, for this permit (a minor: the adult's request, exit time and carer). */
async function addVisitor(
  caseId: string,
  permitId: string,
  o: { accompaniedBy?: string; childExitTime?: string; childCarer?: string } = {},
): Promise<string> {
  const row = await queryOne<{ id: string }>(
    `INSERT INTO family_visit_requests (case_id, applicant, permit_id, channel, received_at, status, decided_at, granted_hours,
                                        accompanied_by, child_exit_time, child_carer)
     SELECT $1, 'VISITOR', $2, 'LETTER', '2026-09-01T10:00:00Z', 'GRANTED', '2026-10-01T10:00:00Z', granted_hours, $3, $4, $5
       FROM family_visit_requests WHERE case_id = $1 AND applicant = 'DETAINEE' RETURNING id`,
    [caseId, permitId, o.accompaniedBy ?? null, o.childExitTime ?? null, o.childCarer ?? null],
  );
  return row.id;
}

/** The first visitor's request of the case (the factory's « ليلى NGUYỄN 0 »). */
async function firstVisitorRequest(caseId: string): Promise<{ id: string; permitId: string }> {
  return queryOne(
    `SELECT r.id, r.permit_id AS "permitId" FROM family_visit_requests r JOIN permits p ON p.id = r.permit_id
      WHERE r.case_id = $1 AND p.visitor_family_name = 'Nguyễn 0'`,
    [caseId],
  );
}

/** Records a paper permit with its photo through the permits' own form, as the greffe (here the head) does; returns its id. */
async function recordPermit(
  e: { code: string },
  detaineeId: string,
  visitor: { givenName: string; familyName: string; birthdate: string; relationship: string },
) {
  const permits = `/etablissements/${e.code}/permis`;
  const { ecrou } = await queryOne<{ ecrou: string }>(`SELECT ecrou_number AS ecrou FROM detainees WHERE id = $1`, [detaineeId]);
  const csrf = page(await head.get(`${permits}/enregistrer`).expect(200)).csrf();
  let req = head.post(`${permits}/enregistrer`).field('_csrf', csrf);
  for (const [k, v] of Object.entries({ ecrou, ...visitor, origin: 'PAPER', validFrom: '01/01/2026', validTo: '' })) req = req.field(k, v);
  const res = await req.attach('fichier', await photoPng(), 'photo.png').expect(303);
  return res.headers.location.split('/').pop()!;
}

async function stayOfCase(caseId: string): Promise<string> {
  return (await queryOne<{ id: string }>(`SELECT id FROM family_visit_stays WHERE case_id = $1 AND status <> 'CANCELLED'`, [caseId])).id;
}

describe('one detainee in one place', () => {
  it('a PF during the detainee’s UVF in another unit is refused in French naming the UVF, as is a move onto it, and the database refuses it too', async () => {
    const e = await establishment();
    const uvf = await insertUnit(e.id, { name: 'UVF Ą' });
    const pf = await insertUnit(e.id, { kind: 'PF', name: 'PF Ḃ' });
    const long = await insertAuthorisedCase(e.id, { hours: 48, firstName: 'Łukasz', lastName: 'Wiśniewski' });
    const short = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 4, detaineeId: long.detaineeId });
    expect((await book(e.base, long.caseId, { unitId: uvf.id, day: '05/12/2026', time: '10:00' })).status).toBe(303);

    const refused = await book(e.base, short.caseId, { unitId: pf.id, day: '06/12/2026', time: '11:00' });
    expect(refused.status).toBe(409);
    expect(page(refused).errors()).toEqual([
      'Cette personne détenue a déjà une visite en UVF ou en parloir familial sur cette période (UVF Ą, du 05/12/2026 à 10:00 au 07/12/2026 à 10:00) : elle ne peut pas être dans deux logements à la fois.',
    ]);
    expect(page(refused).fieldError('day')).toContain('Cette personne détenue a déjà une visite');
    expect(page(refused).value('day')).toBe('06/12/2026');
    // Right after the UVF (ranges are half-open): accepted.
    expect((await book(e.base, short.caseId, { unitId: pf.id, day: '07/12/2026', time: '10:00' })).status).toBe(303);
    const pfStay = await stayOfCase(short.caseId);
    const move = `${e.base}/sejours/${pfStay}/deplacer`;
    const onto = await post(agent, move, move, { unitId: pf.id, day: '06/12/2026', time: '09:00' });
    expect(onto.status).toBe(409);
    expect(page(onto).errors()[0]).toContain('(UVF Ą, du 05/12/2026 à 10:00 au 07/12/2026 à 10:00)');
    expect(await queryOne(`SELECT lower(during) AS "from" FROM family_visit_stays WHERE id = $1`, [pfStay])).toEqual({
      from: new Date('2026-12-07T09:00:00Z'),
    });

    // The database: the stay's detainee is the case's, whatever a writer says, and two stays of one detainee never meet.
    const uvfStay = await stayOfCase(long.caseId);
    const other = await insertAuthorisedCase(e.id, { lastName: 'Autre' });
    await query(`UPDATE family_visit_stays SET detainee_id = $2 WHERE id = $1`, [uvfStay, other.detaineeId]);
    expect(await queryOne(`SELECT detainee_id AS "detaineeId" FROM family_visit_stays WHERE id = $1`, [uvfStay])).toEqual({
      detaineeId: long.detaineeId,
    });
    await expect(
      query(`UPDATE family_visit_stays SET during = tstzrange('2026-12-06T09:00Z', '2026-12-06T13:00Z', '[)') WHERE id = $1`, [pfStay]),
    ).rejects.toThrow(/family_visit_stays_detainee_no_overlap/);
    // A cancelled stay holds nothing.
    await query(`UPDATE family_visit_stays SET status = 'CANCELLED', end_reason = 'Annulée pour le test' WHERE id = $1`, [uvfStay]);
    const moved = await post(agent, move, move, { unitId: pf.id, day: '06/12/2026', time: '09:00' });
    expect(moved.status).toBe(303);
  });

  it('6 parallel bookings of one detainee’s UVF and PF cases in six units on overlapping times: exactly one stay, the others are told in French', async () => {
    const e = await establishment();
    const first = await insertAuthorisedCase(e.id, { hours: 24, visitors: 1, lastName: 'Nguyễn' });
    const cases = [first];
    for (let i = 1; i < 6; i++)
      cases.push(
        await insertAuthorisedCase(e.id, { kind: i % 2 ? 'PF' : 'UVF', hours: i % 2 ? 6 : 24, visitors: 1, detaineeId: first.detaineeId }),
      );
    const units: { id: string }[] = [];
    for (let i = 0; i < 6; i++) units.push(await insertUnit(e.id, { kind: i % 2 ? 'PF' : 'UVF', name: `Logement ${i} Ż` }));
    const pools = await Promise.all(Array.from({ length: 3 }, () => openDataSource(3)));
    const clock = new Clock();
    clock.set(new Date(NOW), { frozen: true });
    const actor = { type: 'AGENT' as const, id: agentRow.id, label: 'Zofia Kowalczyk' };
    try {
      const results = await Promise.allSettled(
        cases.map((c, i) => {
          const pool = pools[i % pools.length];
          return new UnitsService(pool, new AuditService(), clock, services(pool, testConfig(), clock).notifications).book(
            actor,
            e,
            c.caseId,
            { unitId: units[i].id, day: '2026-12-10', time: `${String(9 + i).padStart(2, '0')}:00` },
          );
        }),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(refused).toHaveLength(5);
      for (const r of refused) {
        expect(r.reason).toBeInstanceOf(DomainError);
        expect((r.reason as Error).message).toMatch(
          /^Cette personne détenue a déjà une visite en UVF ou en parloir familial sur cette période.* : elle ne peut pas être dans deux logements à la fois\.$/,
        );
      }
    } finally {
      await Promise.all(pools.map((p) => p.destroy()));
    }
    expect(
      await query(`SELECT count(*)::int AS n FROM family_visit_stays WHERE detainee_id = $1 AND status <> 'CANCELLED'`, [first.detaineeId]),
    ).toEqual([{ n: 1 }]);
    expect(
      await query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'FAMILY_STAY_BOOKED' AND establishment_id = $1`, [e.id]),
    ).toEqual([{ n: 1 }]);
  });
});

describe('who may enter', () => {
  it('the agent’s stay page shows each granted visitor with the permit photo, name and relationship, a minor with the accompanying adult, the UVF child’s exit time and carer', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF Ż' });
    const c = await insertAuthorisedCase(e.id, { hours: 24, visitors: 1, firstName: 'محمد', lastName: 'Wiśniewski' });
    const mother = await firstVisitorRequest(c.caseId);
    const uncle = await recordPermit(e, c.detaineeId, {
      givenName: 'Łukasz',
      familyName: 'Nguyễn',
      birthdate: '03/04/1988',
      relationship: 'SIBLING',
    });
    await addVisitor(c.caseId, uncle);
    const child = await insertPermit({
      establishmentId: e.id,
      detaineeId: c.detaineeId,
      visitorGivenName: 'مريم',
      visitorFamilyName: 'Wiśniewska',
      visitorBirthdate: '2019-06-01',
      relationship: 'DESCENDANT',
    });
    await addVisitor(c.caseId, child.id, { accompaniedBy: mother.id, childExitTime: '14:30', childCarer: 'Łukasz NGUYỄN, son oncle' });
    await query(`UPDATE family_units SET capacity = 4 WHERE id = $1`, [unit.id]);
    expect((await book(e.base, c.caseId, { unitId: unit.id, day: '05/12/2026', time: '10:00' })).status).toBe(303);
    const stay = `${e.base}/sejours/${await stayOfCase(c.caseId)}`;

    const photos: string[] = [];
    for (const who of [agent, head]) {
      const p = page(await who.get(stay).expect(200));
      const people = p.testId('door-visitor').toArray();
      const read = (i: number, id: string) => p.$(people[i]).find(`[data-testid="${id}"]`);
      expect(people.map((_, i) => read(i, 'door-name').text())).toEqual(['ليلى NGUYỄN 0', 'Łukasz NGUYỄN', 'مريم WIŚNIEWSKA']);
      expect(people.map((_, i) => read(i, 'door-relationship').text())).toEqual([
        'Époux ou épouse',
        'Frère ou sœur',
        'Enfant ou petit-enfant',
      ]);
      // The photo of the recorded permit, served by the permits' own route to the agents at the door.
      const photo = read(1, 'door-photo');
      expect(photo.attr('alt')).toBe('Photo du permis de Łukasz NGUYỄN');
      expect(read(0, 'door-no-photo').text()).toContain('vérifiez le permis papier');
      expect(read(1, 'door-minor').length + read(0, 'door-minor').length).toBe(0);
      expect(read(2, 'door-minor').text()).toBe('Mineur (7 ans), accompagné(e) par ليلى NGUYỄN 0');
      expect(read(2, 'door-child-exit').text()).toBe(
        'Sortie de l’enfant à 14 h 30 (en journée), puis gardé(e) par Łukasz NGUYỄN, son oncle',
      );
      expect(p.has('door-permit')).toBe(false);
      expect(p.has('stay-review')).toBe(false);
      await who.get(photo.attr('src')!).expect(200).expect('Content-Type', 'image/jpeg');
      photos.push(photo.attr('src')!);
    }

    // Today's stays, compactly: the same people on one line each, the photo as a thumbnail.
    try {
      await suite.app.setClock('2026-12-05T08:30:00Z', { frozen: true });
      const today = page(await agent.get(`${e.base}/sejours`).expect(200));
      expect(today.texts('today-visitor')).toEqual([
        'sans photo ليلى NGUYỄN 0 (Époux ou épouse)',
        'Łukasz NGUYỄN (Frère ou sœur)',
        'sans photo مريم WIŚNIEWSKA (Enfant ou petit-enfant) — Mineur (7 ans), avec ليلى NGUYỄN 0 — sortie à 14 h 30, gardé(e) par Łukasz NGUYỄN, son oncle',
      ]);
      expect(today.$('[data-testid="today-visitor"] img').attr('src')).toBe(photos[0]);
    } finally {
      await suite.app.setClock(NOW, { frozen: true });
    }
  });
});

describe('a detainee who has left', () => {
  it('released by the GENESIS import or transferred: his stays to come are « à revoir » on the planning, today’s list and the stay page, and no stay is booked or moved for him', async () => {
    const e = await establishment();
    const uvf = await insertUnit(e.id, { name: 'UVF Ş' });
    const pf = await insertUnit(e.id, { kind: 'PF', name: 'PF Ş' });
    const released = await insertAuthorisedCase(e.id, { hours: 24, firstName: 'Łukasz', lastName: 'Wiśniewski' });
    const waiting = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 4, detaineeId: released.detaineeId });
    const moved = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 4, firstName: 'عمر', lastName: 'Nguyễn' });
    expect((await book(e.base, released.caseId, { unitId: uvf.id, day: '01/12/2026', time: '14:00' })).status).toBe(303);
    expect((await book(e.base, moved.caseId, { unitId: pf.id, day: '02/12/2026', time: '14:00' })).status).toBe(303);
    const releasedStay = `${e.base}/sejours/${await stayOfCase(released.caseId)}`;
    const movedStay = `${e.base}/sejours/${await stayOfCase(moved.caseId)}`;

    // The establishment's GENESIS export no longer lists Łukasz: released. Another establishment takes عمر.
    const stayer = await insertDetainee(e.id, { firstName: 'Zoë', lastName: 'Présent' });
    expect((await importGenesis(admin, e.code, genesisCsv([genesisLine(stayer)]), { confirmMassRelease: true })).status).toBe(200);
    const elsewhere = await insertEstablishment();
    const proposal = await insertTransferProposal({ detaineeId: moved.detaineeId, toEstablishmentId: elsewhere.id });
    const confirm = `/etablissements/${e.code}/detenus/transferts/${proposal.id}/confirmation`;
    expect((await post(admin, confirm, confirm, {})).status).toBe(303);
    expect(
      await query(`SELECT custody_status AS "custody" FROM detainees WHERE id = ANY($1) ORDER BY custody_status`, [
        [released.detaineeId, moved.detaineeId],
      ]),
    ).toEqual([{ custody: 'LIBERE' }, { custody: 'TRANSFERE' }]);

    // Flagged wherever the agents read the stays to come, computed when shown.
    const planning = page(await agent.get(`${e.base}/planning?semaine=2026-12-01`).expect(200));
    // The PF unit's row first, then the UVF's (a stay over two days is in both days' cells).
    expect(planning.texts('planning-review')).toEqual([
      'À revoir : personne détenue transférée',
      'À revoir : personne détenue libérée',
      'À revoir : personne détenue libérée',
    ]);
    expect(page(await agent.get(releasedStay).expect(200)).text('stay-review')).toBe('À revoir : personne détenue libérée.');
    expect(page(await head.get(movedStay).expect(200)).text('stay-review')).toBe('À revoir : personne détenue transférée.');
    expect(page(await agent.get(`${e.base}/sejours`).expect(200)).texts('stay-review')).toEqual(['À revoir : personne détenue libérée']);

    // His authorised case stays on the waiting list, marked, without a booking link; booking and moving are refused in French.
    const waitingRow = planning.testId('waiting').filter((_, li) => planning.$(li).text().includes('Łukasz WIŚNIEWSKI'));
    expect(waitingRow.find('[data-testid="waiting-gone"]').text()).toBe(
      'La personne détenue a été libérée : la visite ne peut pas être réservée.',
    );
    expect(waitingRow.find(`a[href="${e.base}/reserver/${waiting.caseId}"]`).length).toBe(0);
    expect(page(await agent.get(`${e.base}/reserver/${waiting.caseId}`).expect(200)).text('booking-gone')).toBe(
      'La personne détenue a été libérée : la visite ne peut pas être réservée.',
    );
    const refused = await book(e.base, waiting.caseId, { unitId: pf.id, day: '10/12/2026', time: '10:00' });
    expect(refused.status).toBe(409);
    expect(page(refused).errors()).toEqual(['La personne détenue a été libérée : la visite ne peut pas être réservée.']);
    const move = await post(agent, `${movedStay}/deplacer`, `${movedStay}/deplacer`, { unitId: pf.id, day: '10/12/2026', time: '10:00' });
    expect(move.status).toBe(409);
    expect(page(move).errors()).toEqual([
      'La personne détenue a été transférée dans un autre établissement : la visite ne peut pas être déplacée.',
    ]);
    expect(await query(`SELECT count(*)::int AS n FROM family_visit_stays WHERE case_id = $1`, [waiting.caseId])).toEqual([{ n: 0 }]);
    // Nor is his stay started at the door.
    const start = await post(agent, releasedStay, `${releasedStay}/debut`, {});
    expect(start.status).toBe(409);
    expect(page(start).errors()).toEqual(['La personne détenue a été libérée : la visite ne peut pas commencer.']);
    expect(page(await agent.get(releasedStay).expect(200)).text('stay-status')).toMatch(/^Prévu/);
    // Cancelling remains the way out, and a cancelled stay is no longer flagged.
    expect((await post(agent, `${movedStay}/annuler`, `${movedStay}/annuler`, { reason: 'Personne détenue transférée' })).status).toBe(303);
    expect(page(await agent.get(movedStay).expect(200)).has('stay-review')).toBe(false);
  });
});

describe('a visit permit no longer valid', () => {
  /** The head suspends or withdraws a permit at once (urgency), through the permits' own measure form. */
  async function measure(e: { code: string }, permitId: string, kind: 'SUSPENSION' | 'WITHDRAWAL') {
    const url = `/etablissements/${e.code}/permis/${permitId}/mesures/envisager`;
    const res = await post(head, url, url, {
      kind,
      grounds: 'Tentative de remise de stupéfiants au parloir.',
      urgent: 'oui',
      urgencyJustification: 'Visite en UVF prévue dans les jours qui viennent.',
      confirm: 'oui',
    });
    expect(res.status).toBe(303);
  }

  it('a visitor whose permit is suspended, withdrawn or expired is not booked nor moved (refused in French naming the visitor), and a stay booked before is flagged « permis suspendu / retiré »', async () => {
    const e = await establishment();
    const uvf = await insertUnit(e.id, { name: 'UVF Ł' });
    const suspended = await insertAuthorisedCase(e.id, { hours: 24, firstName: 'Łukasz', lastName: 'Wiśniewski' });
    const booked = await insertAuthorisedCase(e.id, { hours: 24, firstName: 'Şükrü', lastName: 'Đặng' });
    expect((await book(e.base, booked.caseId, { unitId: uvf.id, day: '08/12/2026', time: '10:00' })).status).toBe(303);
    const stay = `${e.base}/sejours/${await stayOfCase(booked.caseId)}`;

    await measure(e, (await firstVisitorRequest(suspended.caseId)).permitId, 'SUSPENSION');
    const refused = await book(e.base, suspended.caseId, { unitId: uvf.id, day: '05/12/2026', time: '10:00' });
    expect(refused.status).toBe(409);
    expect(page(refused).errors()).toEqual([
      'Le permis de visite de ليلى NGUYỄN 0 est suspendu : la visite ne peut pas être réservée. L’accès à l’UVF ou au parloir familial demande un permis de visite valable.',
    ]);
    expect(await query(`SELECT 1 FROM family_visit_stays WHERE case_id = $1`, [suspended.caseId])).toEqual([]);

    // A withdrawal after the booking: the stay is flagged when shown, and the visitor marked at the door.
    await measure(e, (await firstVisitorRequest(booked.caseId)).permitId, 'WITHDRAWAL');
    const p = page(await agent.get(stay).expect(200));
    expect(p.text('stay-review')).toBe('À revoir : permis retiré (ليلى NGUYỄN 0).');
    expect(p.texts('door-permit')).toEqual(['Permis retiré : ne pas faire entrer']);
    expect(page(await agent.get(`${e.base}/planning?semaine=2026-12-08`).expect(200)).texts('planning-review')).toEqual([
      'À revoir : permis retiré (ليلى NGUYỄN 0)',
      'À revoir : permis retiré (ليلى NGUYỄN 0)',
    ]);
    const move = await post(agent, `${stay}/deplacer`, `${stay}/deplacer`, { unitId: uvf.id, day: '09/12/2026', time: '10:00' });
    expect(move.status).toBe(409);
    expect(page(move).errors()[0]).toBe(
      'Le permis de visite de ليلى NGUYỄN 0 est retiré : la visite ne peut pas être déplacée. L’accès à l’UVF ou au parloir familial demande un permis de visite valable.',
    );
    const start = await post(agent, stay, `${stay}/debut`, {});
    expect(start.status).toBe(409);
    expect(page(start).errors()).toEqual([
      'Le permis de visite de ليلى NGUYỄN 0 est retiré : la visite ne peut pas commencer. L’accès à l’UVF ou au parloir familial demande un permis de visite valable.',
    ]);

    // A permit ending during the stay does not cover it.
    const expiring = await insertAuthorisedCase(e.id, { hours: 48, visitors: 1, lastName: 'Ảnh' });
    await query(`UPDATE permits SET valid_to = '2026-12-15' WHERE id = $1`, [(await firstVisitorRequest(expiring.caseId)).permitId]);
    const late = await book(e.base, expiring.caseId, { unitId: uvf.id, day: '14/12/2026', time: '10:00' });
    expect(page(late).errors()[0]).toContain('Le permis de visite de ليلى NGUYỄN 0 n’est valable que jusqu’au 15/12/2026');
    expect((await book(e.base, expiring.caseId, { unitId: uvf.id, day: '13/12/2026', time: '10:00' })).status).toBe(303);
  });
});

describe('an intervention during a stay', () => {
  it('on an incident or a suspicion it is decided by the head or a signature delegate: an agent without that authority records it only by naming them, at the occupants’ call no decision is needed, audited', async () => {
    const e = await establishment();
    const delegateRow = await insertAgentElsewhere('PERMITS_OFFICER', { givenName: 'Ștefan', usualName: 'Popescu' });
    await grantRole(delegateRow.id, e.id, 'PERMITS_OFFICER');
    await query(
      `INSERT INTO signature_delegations (establishment_id, agent_id, valid_from, created_by) VALUES ($1, $2, '2026-11-01', $3)`,
      [e.id, delegateRow.id, headRow.id],
    );
    const unit = await insertUnit(e.id, { name: 'UVF Ğ' });
    const c = await insertAuthorisedCase(e.id, { hours: 6, firstName: 'Łukasz', lastName: 'عبد الله' });
    await book(e.base, c.caseId, { unitId: unit.id, day: '01/12/2026', time: '10:00' });
    const id = await stayOfCase(c.caseId);
    const stay = `${e.base}/sejours/${id}`;
    expect((await post(agent, stay, `${stay}/debut`, {})).status).toBe(303);

    const form = page(await agent.get(stay).expect(200));
    expect(
      form
        .$('#decidedBy option')
        .toArray()
        .map((o) => form.$(o).text()),
    ).toEqual(['Moi-même (chef d’établissement ou délégataire)', 'Hélène ƯỚC, chef d’établissement', 'Ștefan POPESCU, par délégation']);
    const notes = 'Bruit de dispute entendu lors de la ronde, porte ouverte par deux agents.';
    const alone = await post(agent, stay, `${stay}/registre`, {
      kind: 'INTERVENTION',
      notes,
      interventionCause: 'INCIDENT',
      decidedBy: '',
    });
    expect(alone.status).toBe(400);
    expect(page(alone).fieldError('decidedBy')).toBe(
      'Une intervention sur incident ou suspicion d’incident n’a lieu que sur décision du chef d’établissement ou d’un agent ayant délégation : indiquez qui l’a décidée (ou, si les occupants ont appelé, choisissez « À l’appel des occupants »).',
    );
    expect(page(alone).value('notes')).toBe(notes);
    const notAuthority = await post(agent, stay, `${stay}/registre`, {
      kind: 'INTERVENTION',
      notes,
      interventionCause: 'INCIDENT',
      decidedBy: agentRow.id,
    });
    expect(page(notAuthority).errors()).toEqual([
      'La personne indiquée n’est ni chef d’établissement ni titulaire d’une délégation de signature en cours : choisissez qui a décidé l’intervention.',
    ]);
    const byDelegate = { kind: 'INTERVENTION', notes, interventionCause: 'INCIDENT', decidedBy: delegateRow.id };
    expect((await post(agent, stay, `${stay}/registre`, byDelegate)).status).toBe(303);
    const call = { kind: 'INTERVENTION', notes: 'Appel à l’interphone : malaise de la visiteuse.', interventionCause: 'CALL' };
    expect((await post(agent, stay, `${stay}/registre`, call)).status).toBe(303);
    // The head records one he decided himself.
    expect(
      (await post(head, stay, `${stay}/registre`, { kind: 'INTERVENTION', notes: 'Intervention décidée après un appel au poste.' })).status,
    ).toBe(303);

    const p = page(await agent.get(stay).expect(200));
    const rows = p
      .testId('stay-event')
      .toArray()
      .map((r) =>
        p
          .$(r)
          .find('td')
          .toArray()
          .map((td) => p.$(td).text().trim()),
      );
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      ['Compte-rendu d’intervention — sur incident, décidée par Ștefan POPESCU', 'Zofia Kowalczyk'],
      ['Compte-rendu d’intervention — à l’appel des occupants', 'Zofia Kowalczyk'],
      ['Compte-rendu d’intervention — sur incident, décidée par Hélène ƯỚC', 'Hélène Ước'],
    ]);
    const audited = await query<{ after: { interventionCause: string; decidedBy: string | null } }>(
      `SELECT after FROM audit_log WHERE entity_id = $1 AND action = 'FAMILY_STAY_INTERVENTION' ORDER BY id`,
      [id],
    );
    expect(audited.map((a) => [a.after.interventionCause, a.after.decidedBy])).toEqual([
      ['INCIDENT', delegateRow.id],
      ['CALL', null],
      ['INCIDENT', headRow.id],
    ]);
    // The database: an intervention on incident names who decided it, and only an intervention has a cause.
    const insert = (kind: string, cause: string | null, decidedBy: string | null) =>
      query(
        `INSERT INTO family_visit_stay_events (stay_id, kind, agent_id, notes, intervention_cause, decided_by) VALUES ($1, $2, $3, 'x', $4, $5)`,
        [id, kind, agentRow.id, cause, decidedBy],
      );
    await expect(insert('INTERVENTION', 'INCIDENT', null)).rejects.toThrow(/family_visit_stay_events_intervention/);
    await expect(insert('INTERVENTION', 'CALL', headRow.id)).rejects.toThrow(/family_visit_stay_events_intervention/);
    await expect(insert('ROUND', 'CALL', null)).rejects.toThrow(/family_visit_stay_events_intervention/);
  });
});

describe('a family parlour during the detention day', () => {
  it('is refused in French outside the visiting rooms’ opening that day, or outside 07:00–20:00 when the establishment models no visiting slot, at booking and when moved', async () => {
    // No visiting slot modelled: the detention day, 07:00 to 20:00.
    const e = await establishment();
    const pf = await insertUnit(e.id, { kind: 'PF', name: 'PF Ą' });
    const c = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 6, firstName: 'Nguyễn', lastName: 'Văn' });
    const early = await book(e.base, c.caseId, { unitId: pf.id, day: '05/12/2026', time: '06:30' });
    expect(early.status).toBe(409);
    expect(page(early).fieldError('time')).toBe(
      'Un parloir familial a lieu au cours de la journée de détention, de 07:00 à 20:00 : choisissez un horaire dans cette plage.',
    );
    const night = await book(e.base, c.caseId, { unitId: pf.id, day: '05/12/2026', time: '23:00' });
    expect(page(night).errors()).toEqual([
      'Un parloir familial a lieu au cours de la journée de détention, de 07:00 à 20:00 : choisissez un horaire dans cette plage.',
    ]);
    expect((await book(e.base, c.caseId, { unitId: pf.id, day: '05/12/2026', time: '14:00' })).status).toBe(303);

    // Visiting rooms open on Saturdays from 08:30 to 17:00 (two slots of two rooms), closed on Sundays.
    const other = await establishment();
    const room = await insertRoom(other.id);
    const room2 = await insertRoom(other.id);
    await insertSlotTemplate(room.id, { dayOfWeek: 6, start: '08:30', end: '11:30' });
    await insertSlotTemplate(room2.id, { dayOfWeek: 6, start: '14:00', end: '17:00' });
    await insertSlotTemplate(room.id, { dayOfWeek: 3, start: '07:00', end: '21:00', validTo: '2026-06-30' });
    const unit = await insertUnit(other.id, { kind: 'PF', name: 'PF Ż' });
    const d = await insertAuthorisedCase(other.id, { kind: 'PF', hours: 4, lastName: 'Wiśniewski' });
    const late = await book(other.base, d.caseId, { unitId: unit.id, day: '05/12/2026', time: '14:00' });
    expect(page(late).errors()).toEqual([
      'Un parloir familial a lieu pendant les heures d’ouverture des parloirs, de 08:30 à 17:00 ce jour-là : choisissez un horaire dans cette plage.',
    ]);
    const sunday = await book(other.base, d.caseId, { unitId: unit.id, day: '06/12/2026', time: '10:00' });
    expect(page(sunday).errors()).toEqual([
      'Les parloirs ne sont pas ouverts ce jour-là : un parloir familial a lieu pendant les heures d’ouverture des parloirs. Choisissez un autre jour.',
    ]);
    // A Wednesday: the slot of the first half of the year no longer holds; no other slot on Wednesdays.
    expect(page(await book(other.base, d.caseId, { unitId: unit.id, day: '09/12/2026', time: '10:00' })).errors()[0]).toContain(
      'Les parloirs ne sont pas ouverts ce jour-là',
    );
    expect((await book(other.base, d.caseId, { unitId: unit.id, day: '05/12/2026', time: '09:00' })).status).toBe(303);
    const stay = `${other.base}/sejours/${await stayOfCase(d.caseId)}`;
    const moved = await post(agent, `${stay}/deplacer`, `${stay}/deplacer`, { unitId: unit.id, day: '05/12/2026', time: '13:30' });
    expect(moved.status).toBe(409);
    expect(page(moved).fieldError('time')).toContain('de 08:30 à 17:00 ce jour-là');
    // A UVF is not concerned: it runs day and night.
    const uvf = await insertUnit(other.id, { name: 'UVF Ż' });
    const u = await insertAuthorisedCase(other.id, { hours: 24, lastName: 'Ngô' });
    expect((await book(other.base, u.caseId, { unitId: uvf.id, day: '06/12/2026', time: '18:00' })).status).toBe(303);
  });

  it('outside the usual hours only with « Autorisation exceptionnelle du chef d’établissement », ticked by the head or a signature delegate, never past midnight, at booking and when moved, audited', async () => {
    const e = await establishment();
    const pf = await insertUnit(e.id, { kind: 'PF', name: 'PF Ő' });
    const c = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 2, firstName: 'Şükrü', lastName: 'Nguyễn' });
    const form = page(await agent.get(`${e.base}/reserver/${c.caseId}`).expect(200));
    expect(form.$('label[for="exceptionalHours"]').text()).toContain('Autorisation exceptionnelle du chef d’établissement');
    const evening = { unitId: pf.id, day: '05/12/2026', time: '21:00' };

    // The parloir agent, without a delegation, may not tick it.
    const byAgent = await book(e.base, c.caseId, { ...evening, exceptionalHours: 'oui' });
    expect(byAgent.status).toBe(409);
    expect(page(byAgent).fieldError('exceptionalHours')).toBe(
      'Seul le chef d’établissement, ou un agent titulaire d’une délégation de signature en cours, peut autoriser un parloir familial en dehors des heures habituelles : décochez « Autorisation exceptionnelle du chef d’établissement » ou demandez-lui de réserver.',
    );
    expect(page(byAgent).$('#exceptionalHours').attr('checked')).toBeDefined();
    // Even the head's permission ends with the day.
    const pastMidnight = await book(e.base, c.caseId, { ...evening, time: '22:30', exceptionalHours: 'oui' }, head);
    expect(pastMidnight.status).toBe(409);
    expect(page(pastMidnight).fieldError('time')).toBe(
      'Même à titre exceptionnel, un parloir familial a lieu dans la journée : il doit finir à minuit au plus tard.',
    );
    expect(await query(`SELECT 1 FROM family_visit_stays WHERE case_id = $1`, [c.caseId])).toEqual([]);
    // The head ticks it: booked from 21:00 to 23:00, and the audit names him.
    expect((await book(e.base, c.caseId, { ...evening, exceptionalHours: 'oui' }, head)).status).toBe(303);
    const id = await stayOfCase(c.caseId);
    const booked = await queryOne<{ by: string }>(
      `SELECT after->>'exceptionalHoursBy' AS by FROM audit_log WHERE entity_id = $1 AND action = 'FAMILY_STAY_BOOKED'`,
      [id],
    );
    expect(booked.by).toMatch(/^Hélène ƯỚC, /);

    // Moved to another evening: the agent alone cannot; an agent holding a signature delegation can.
    const stay = `${e.base}/sejours/${id}`;
    const later = { unitId: pf.id, day: '06/12/2026', time: '20:30' };
    expect(page(await agent.get(`${stay}/deplacer`).expect(200)).has('exceptional-hours')).toBe(true);
    const alone = await post(agent, `${stay}/deplacer`, `${stay}/deplacer`, later);
    expect(alone.status).toBe(409);
    expect(page(alone).fieldError('time')).toContain('de 07:00 à 20:00');
    const delegateRow = await insertAgentElsewhere('PARLOIR_AGENT', { givenName: 'Ștefan', usualName: 'Popescu' });
    await grantRole(delegateRow.id, e.id, 'PARLOIR_AGENT');
    await query(
      `INSERT INTO signature_delegations (establishment_id, agent_id, valid_from, created_by) VALUES ($1, $2, '2026-11-01', $3)`,
      [e.id, delegateRow.id, headRow.id],
    );
    const delegate = await signInAgent(suite.app.url, delegateRow);
    expect((await post(delegate, `${stay}/deplacer`, `${stay}/deplacer`, { ...later, exceptionalHours: 'oui' })).status).toBe(303);
    const moved = await queryOne<{ by: string }>(
      `SELECT after->>'exceptionalHoursBy' AS by FROM audit_log WHERE entity_id = $1 AND action = 'FAMILY_STAY_MOVED'`,
      [id],
    );
    expect(moved.by).toMatch(/^Ștefan POPESCU, .*par délégation du chef d’établissement$/);
    // A UVF form has no such box.
    const uvf = await insertAuthorisedCase(e.id, { hours: 24, lastName: 'Đặng' });
    expect(page(await agent.get(`${e.base}/reserver/${uvf.caseId}`).expect(200)).has('exceptional-hours')).toBe(false);
  });
});
