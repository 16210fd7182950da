import { randomUUID } from 'node:crypto';
import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { page } from './helpers/html';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';
import { type AgentRow, grantRole, insertAgentElsewhere, insertEstablishment, insertFamily } from './factories/people';
import { insertAuthorisedCase, insertUnit } from './factories/family-visits-units';
import { uniquePhone } from './factories/appointments';
import { insertTransferProposal } from './factories/detainees';
import { openDataSource, services, testConfig } from './helpers/notifications';

/* The built modules, as the app runs them. */
/* eslint-disable @typescript-eslint/no-require-imports */
const { UnitsService } = require('../dist/src/family-visits/units.service') as typeof import('../src/family-visits/units.service');
const { AuditService } = require('../dist/src/common/audit.service') as typeof import('../src/common/audit.service');
const { Clock } = require('../dist/src/common/clock') as typeof import('../src/common/clock');
const { DomainError } = require('../dist/src/common/domain-error') as typeof import('../src/common/domain-error');
const { smsLength } = require('../dist/src/notifications/notification.rules') as typeof import('../src/notifications/notification.rules');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Changes to booked UVF / PF stays (cancel, move), the waiting list's priority data, the units' own
 * rules and the family's page of its booked stay (issue 11).
 */
const suite = appForTests();

/** Tuesday 1 December 2026, 09:00 in Paris; stays in the following days. */
const NOW = '2026-12-01T08:00:00.000Z';

let adminRow: AgentRow, headRow: AgentRow, agentRow: AgentRow, spipRow: AgentRow;
let admin: Agent, head: Agent, agent: Agent, spip: Agent;
beforeAll(async () => {
  adminRow = await insertAgentElsewhere('ADMIN', { givenName: 'Oğuz', usualName: 'Çelik' });
  headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Hélène', usualName: 'Ước' });
  agentRow = await insertAgentElsewhere('PARLOIR_AGENT', { givenName: 'Zofia', usualName: 'Kowalczyk' });
  spipRow = await insertAgentElsewhere('SPIP_COUNSELLOR', { givenName: 'Şule', usualName: 'Yılmaz' });
  admin = await signInAgent(suite.app.url, adminRow);
  head = await signInAgent(suite.app.url, headRow);
  agent = await signInAgent(suite.app.url, agentRow);
  spip = await signInAgent(suite.app.url, spipRow);
  await suite.app.setClock(NOW, { frozen: true });
});

/** A new establishment where the file's admin, head, parloir agent and SPIP counsellor work. */
async function establishment(o: { timeZone?: string } = {}) {
  const e = await insertEstablishment({ timeZone: o.timeZone });
  await grantRole(adminRow.id, e.id, 'ADMIN');
  await grantRole(headRow.id, e.id, 'HEAD_OF_ESTABLISHMENT');
  await grantRole(agentRow.id, e.id, 'PARLOIR_AGENT');
  await grantRole(spipRow.id, e.id, 'SPIP_COUNSELLOR');
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

/** Books a case through the booking page (for a PF in two slots, with `firstDuration` and `secondTime`); returns the stay's id. */
async function book(
  base: string,
  caseId: string,
  fields: { unitId: string; day: string; time: string; firstDuration?: string; secondTime?: string },
): Promise<string> {
  const res = await post(agent, `${base}/reserver/${caseId}`, `${base}/reserver/${caseId}`, fields);
  expect(res.status).toBe(303);
  return (await queryOne<{ id: string }>(`SELECT id FROM family_visit_stays WHERE case_id = $1 AND status <> 'CANCELLED'`, [caseId])).id;
}

function slotOf(id: string) {
  return queryOne<{ unitId: string; from: Date; to: Date; status: string }>(
    `SELECT unit_id AS "unitId", lower(during) AS "from", upper(during) AS "to", status FROM family_visit_stays WHERE id = $1`,
    [id],
  );
}

async function referenceOf(caseId: string): Promise<string> {
  return (await queryOne<{ reference: string }>(`SELECT reference FROM family_visit_cases WHERE id = $1`, [caseId])).reference;
}

function waitingNames(html: { text: string }): string[] {
  const p = page(html);
  return p.texts('waiting').map((t) => t.split(' — ')[0]);
}

describe('cancelling a booked stay', () => {
  it('asks for confirmation and a reason, frees the unit, puts the case back on the waiting list; history and audit', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF Ğül' });
    const c = await insertAuthorisedCase(e.id, { hours: 24, firstName: 'Şükrü', lastName: 'Đặng' });
    const id = await book(e.base, c.caseId, { unitId: unit.id, day: '05/12/2026', time: '10:00' });
    const stay = `${e.base}/sejours/${id}`;
    expect(waitingNames(await agent.get(`${e.base}/planning`).expect(200))).not.toContain('Şükrü ĐẶNG');

    const stayPage = page(await agent.get(stay).expect(200));
    expect(stayPage.testId('cancel-stay').attr('href')).toBe(`${stay}/annuler`);
    const confirm = page(await agent.get(`${stay}/annuler`).expect(200));
    expect(confirm.heading()).toBe('Annuler la visite de Şükrü ĐẶNG ?');
    expect(confirm.text('cancel-summary')).toContain('UVF Ğül — du 05/12/2026 à 10:00 au 06/12/2026 à 10:00');

    const noReason = await post(agent, `${stay}/annuler`, `${stay}/annuler`, { reason: '  ' });
    expect(noReason.status).toBe(400);
    expect(page(noReason).errors()).toEqual(['Indiquez le motif de l’annulation (5 à 2 000 caractères).']);
    expect((await slotOf(id)).status).toBe('BOOKED');

    const done = await post(agent, `${stay}/annuler`, `${stay}/annuler`, { reason: 'Logement indisponible : fuite d’eau' });
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(stay);
    expect(await queryOne(`SELECT status, end_reason AS "reason" FROM family_visit_stays WHERE id = $1`, [id])).toEqual({
      status: 'CANCELLED',
      reason: 'Logement indisponible : fuite d’eau',
    });
    const after = page(await agent.get(stay).expect(200));
    expect(after.text('stay-status')).toContain('Annulé');
    expect(after.text('stay-status')).toContain('Motif de l’annulation : Logement indisponible : fuite d’eau');
    expect(after.has('cancel-stay')).toBe(false);

    // Back on the waiting list, and the planning no longer shows the stay.
    const planning = await agent.get(`${e.base}/planning?semaine=2026-12-05`).expect(200);
    expect(waitingNames(planning)).toContain('Şükrü ĐẶNG');
    expect(page(planning).has('planning-stay')).toBe(false);
    // The unit is free: another case takes the same slot; the case itself can be booked again.
    const other = await insertAuthorisedCase(e.id, { hours: 24, lastName: 'Ngô' });
    await book(e.base, other.caseId, { unitId: unit.id, day: '05/12/2026', time: '10:00' });
    await book(e.base, c.caseId, { unitId: unit.id, day: '08/12/2026', time: '10:00' });

    // Only once.
    const again = page(await agent.get(`${stay}/annuler`).expect(200));
    expect(again.text('cannot-change')).toBe('Cette visite est déjà annulée.');
    const twice = await post(agent, `${e.base}/reserver/${other.caseId}`, `${stay}/annuler`, { reason: 'Deuxième annulation' });
    expect(twice.status).toBe(409);
    expect(page(twice).errors()).toEqual(['Cette visite est déjà annulée.']);

    expect(await query(`SELECT kind, message, actor_id AS "actorId" FROM family_visit_events WHERE case_id = $1`, [c.caseId])).toEqual([
      {
        kind: 'STAY_CANCELLED',
        message:
          'Visite du 05/12/2026 à 10:00 en UVF Ğül annulée : Logement indisponible : fuite d’eau. La visite est à placer de nouveau.',
        actorId: agentRow.id,
      },
    ]);
    expect(
      await query(
        `SELECT action, before->>'status' AS "before", after->>'reason' AS "reason" FROM audit_log WHERE entity_id = $1 AND action = 'FAMILY_STAY_CANCELLED'`,
        [id],
      ),
    ).toEqual([{ action: 'FAMILY_STAY_CANCELLED', before: 'BOOKED', reason: 'Logement indisponible : fuite d’eau' }]);
  });

  it('only a booked stay is cancelled: not one in progress; the SPIP counsellor cannot cancel', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { kind: 'PF', name: 'PF Ł' });
    const c = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 4, lastName: 'Łęcki' });
    const id = await book(e.base, c.caseId, { unitId: unit.id, day: '01/12/2026', time: '10:00' });
    const stay = `${e.base}/sejours/${id}`;
    await spip.get(`${stay}/annuler`).expect(403);
    expect((await post(agent, stay, `${stay}/debut`, {})).status).toBe(303);
    expect(page(await agent.get(`${stay}/annuler`).expect(200)).text('cannot-change')).toBe(
      'Seule une visite prévue, pas encore commencée, peut être annulée.',
    );
    const refused = await post(head, stay, `${stay}/annuler`, { reason: 'Annulation trop tardive' });
    expect(refused.status).toBe(409);
    expect(page(refused).errors()).toEqual(['Seule une visite prévue, pas encore commencée, peut être annulée.']);
    expect((await slotOf(id)).status).toBe('IN_PROGRESS');
  });
});

describe('moving a booked stay', () => {
  it('moves to another unit of the same kind for the granted duration; a taken or too small unit is refused in French and the old booking stays', async () => {
    const e = await establishment();
    const a = await insertUnit(e.id, { name: 'UVF Ą', capacity: 4 });
    const b = await insertUnit(e.id, { name: 'UVF Ḃ', capacity: 4 });
    const small = await insertUnit(e.id, { name: 'UVF Ç', capacity: 1 });
    const pf = await insertUnit(e.id, { kind: 'PF', name: 'PF Đ' });
    const x = await insertAuthorisedCase(e.id, { hours: 24, visitors: 2, firstName: 'Ирина', lastName: 'Ševčík' });
    const y = await insertAuthorisedCase(e.id, { hours: 24, visitors: 1, lastName: 'Ýmir' });
    const id = await book(e.base, x.caseId, { unitId: a.id, day: '07/12/2026', time: '14:00' });
    await book(e.base, y.caseId, { unitId: b.id, day: '10/12/2026', time: '09:00' });
    const stay = `${e.base}/sejours/${id}`;
    const moveUrl = `${stay}/deplacer`;
    const old = { unitId: a.id, from: new Date('2026-12-07T13:00:00Z'), to: new Date('2026-12-08T13:00:00Z'), status: 'BOOKED' };

    const form = page(await agent.get(moveUrl).expect(200));
    expect(form.heading()).toBe('Déplacer la visite — Ирина ŠEVČÍK');
    expect(form.text('move-summary')).toContain('Durée accordée : 24 heures');
    // Only active units of the stay's kind are offered.
    expect(
      form
        .$('#unitId option')
        .toArray()
        .map((o) => form.$(o).text().split(' — ')[0])
        .sort(),
    ).toEqual(['UVF Ą', 'UVF Ç', 'UVF Ḃ'].sort());

    const move = (fields: Record<string, string>) => post(agent, moveUrl, moveUrl, fields);
    const taken = await move({ unitId: b.id, day: '10/12/2026', time: '20:00' });
    expect(taken.status).toBe(409);
    expect(page(taken).errors()).toEqual(['Ce logement est déjà occupé sur cette période.']);
    expect(await slotOf(id)).toEqual(old);
    const tooSmall = await move({ unitId: small.id, day: '14/12/2026', time: '10:00' });
    expect(tooSmall.status).toBe(409);
    expect(page(tooSmall).errors()).toEqual([
      'Ce logement accueille au plus 1 visiteur(s) : la visite en compte 2. Choisissez un logement plus grand.',
    ]);
    expect(await slotOf(id)).toEqual(old);
    expect(page(await move({ unitId: pf.id, day: '14/12/2026', time: '10:00' })).errors()).toEqual([
      'Choisissez un logement actif de type UVF de l’établissement.',
    ]);
    expect(page(await move({ unitId: b.id, day: '30/11/2026', time: '10:00' })).errors()).toEqual([
      'Le début de la visite est déjà passé.',
    ]);
    expect(page(await move({ unitId: a.id, day: '07/12/2026', time: '14:00' })).errors()).toEqual([
      'La visite est déjà prévue dans ce logement à cette heure : choisissez un autre logement ou un autre horaire.',
    ]);
    const badTime = await move({ unitId: b.id, day: '12/12/2026', time: '25:00' });
    expect(badTime.status).toBe(400);
    expect(page(badTime).errors()).toEqual(['Indiquez l’heure d’arrivée au format HH:MM.']);
    expect(await slotOf(id)).toEqual(old);

    const moved = await move({ unitId: b.id, day: '12/12/2026', time: '10:00' });
    expect(moved.status).toBe(303);
    expect(moved.headers.location).toBe(stay);
    expect(await slotOf(id)).toEqual({
      unitId: b.id,
      from: new Date('2026-12-12T09:00:00Z'),
      to: new Date('2026-12-13T09:00:00Z'),
      status: 'BOOKED',
    });
    // Within its own unit, over its own former hours: only other stays count.
    expect((await move({ unitId: b.id, day: '12/12/2026', time: '16:00' })).status).toBe(303);
    expect((await slotOf(id)).from).toEqual(new Date('2026-12-12T15:00:00Z'));
    // The old unit is free again.
    const z = await insertAuthorisedCase(e.id, { hours: 24, lastName: 'Żak' });
    await book(e.base, z.caseId, { unitId: a.id, day: '07/12/2026', time: '14:00' });

    const planning = page(await head.get(`${e.base}/planning?semaine=2026-12-12`).expect(200));
    expect(planning.texts('planning-stay')).toContain('Ирина ŠEVČÍK — 2 visiteur(s), 12/12 16:00 → 13/12 16:00');
    expect(
      (await query<{ message: string }>(`SELECT message FROM family_visit_events WHERE case_id = $1 ORDER BY at, ctid`, [x.caseId])).map(
        (r) => r.message,
      ),
    ).toEqual([
      'Visite déplacée du 07/12/2026 à 14:00 en UVF Ą au 12/12/2026 à 10:00 en UVF Ḃ.',
      'Visite déplacée du 12/12/2026 à 10:00 en UVF Ḃ au 12/12/2026 à 16:00 en UVF Ḃ.',
    ]);
    expect(
      await query(
        `SELECT action, before->>'unitId' AS "from", after->>'unitId' AS "to" FROM audit_log WHERE entity_id = $1 AND action = 'FAMILY_STAY_MOVED' ORDER BY id`,
        [id],
      ),
    ).toEqual([
      { action: 'FAMILY_STAY_MOVED', from: a.id, to: b.id },
      { action: 'FAMILY_STAY_MOVED', from: b.id, to: b.id },
    ]);

    // A stay that has begun is not moved.
    expect((await post(agent, stay, `${stay}/debut`, {})).status).toBe(303);
    expect(page(await agent.get(moveUrl).expect(200)).text('cannot-change')).toBe(
      'Seule une visite prévue, pas encore commencée, peut être déplacée.',
    );
    const begun = await post(agent, stay, moveUrl, { unitId: a.id, day: '20/12/2026', time: '10:00' });
    expect(begun.status).toBe(409);
    expect(page(begun).errors()).toEqual(['Seule une visite prévue, pas encore commencée, peut être déplacée.']);
    expect((await slotOf(id)).unitId).toBe(b.id);
  });

  it('moves a stay to a day outside the period the family wished only once the agent ticks « Date convenue avec la famille », as at booking, audited', async () => {
    const e = await establishment();
    const a = await insertUnit(e.id, { name: 'UVF Ŵą' });
    const b = await insertUnit(e.id, { name: 'UVF Ŵę' });
    const c = await insertAuthorisedCase(e.id, { hours: 24, visitors: 1, firstName: 'Şebnem', lastName: 'Đỗ' });
    await query(`UPDATE family_visit_requests SET wished_from = '2026-12-01', wished_to = '2026-12-10' WHERE case_id = $1`, [c.caseId]);
    const id = await book(e.base, c.caseId, { unitId: a.id, day: '05/12/2026', time: '10:00' });
    const moveUrl = `${e.base}/sejours/${id}/deplacer`;
    const form = page(await agent.get(moveUrl).expect(200));
    expect(form.text('move-wish')).toBe('Période souhaitée par la famille : du 01/12/2026 au 10/12/2026.');
    expect(form.$('label[for="outsideWish"]').text()).toContain('Date convenue avec la famille');

    const outside = await post(agent, moveUrl, moveUrl, { unitId: b.id, day: '19/12/2026', time: '10:00' });
    expect(outside.status).toBe(400);
    expect(page(outside).fieldError('outsideWish')).toBe(
      'La famille a souhaité une visite du 01/12/2026 au 10/12/2026 : cochez « Date convenue avec la famille » pour déplacer la visite en dehors de cette période.',
    );
    expect(page(outside).$('#day').val()).toBe('19/12/2026');
    expect(await slotOf(id)).toMatchObject({ unitId: a.id, from: new Date('2026-12-05T09:00:00Z') });

    expect((await post(agent, moveUrl, moveUrl, { unitId: b.id, day: '19/12/2026', time: '10:00', outsideWish: 'oui' })).status).toBe(303);
    expect(await slotOf(id)).toMatchObject({ unitId: b.id, from: new Date('2026-12-19T09:00:00Z') });
    // The day agreed stays agreed: another unit or hour that day needs no new tick.
    expect((await post(agent, moveUrl, moveUrl, { unitId: a.id, day: '19/12/2026', time: '14:00' })).status).toBe(303);
    expect(
      await query(
        `SELECT after->>'outsideWish' AS "outsideWish" FROM audit_log WHERE entity_id = $1 AND action = 'FAMILY_STAY_MOVED' ORDER BY id`,
        [id],
      ),
    ).toEqual([{ outsideWish: 'true' }, { outsideWish: 'false' }]);
  });

  it('20 parallel moves and bookings into one slot of one unit: exactly one succeeds, the others are told in French and keep their slot', async () => {
    const e = await establishment();
    const target = await insertUnit(e.id, { name: 'UVF Ŧ', capacity: 6 });
    const source = await insertUnit(e.id, { name: 'UVF Ŝ', capacity: 6 });
    const pools = await Promise.all(Array.from({ length: 4 }, () => openDataSource(5)));
    const clock = new Clock();
    clock.set(new Date(NOW), { frozen: true });
    const actor = { type: 'AGENT' as const, id: agentRow.id, label: 'Zofia Kowalczyk' };
    const service = (i: number) => {
      const pool = pools[i % pools.length];
      return new UnitsService(pool, new AuditService(), clock, services(pool, testConfig(), clock).notifications);
    };
    // 10 stays booked one after the other in the source unit, 10 cases still to place.
    const booked: { id: string; from: Date }[] = [];
    for (let i = 0; i < 10; i++) {
      const c = await insertAuthorisedCase(e.id, { hours: 24, visitors: 1, lastName: `Kowalski${i}` });
      const id = await service(0).book(actor, e, c.caseId, {
        unitId: source.id,
        day: `2026-12-${String(10 + i).padStart(2, '0')}`,
        time: '08:00',
      });
      booked.push({ id, from: (await slotOf(id)).from });
    }
    const waiting = [];
    for (let i = 0; i < 10; i++) waiting.push(await insertAuthorisedCase(e.id, { hours: 24, visitors: 1, lastName: `Nowak${i}` }));
    try {
      const time = (i: number) => `${String(8 + i).padStart(2, '0')}:00`;
      const results = await Promise.allSettled([
        ...booked.map((s, i) => service(i).moveStay(actor, e, s.id, { unitId: target.id, day: '2026-12-25', time: time(i) })),
        ...waiting.map((c, i) => service(i + 1).book(actor, e, c.caseId, { unitId: target.id, day: '2026-12-25', time: time(i) })),
      ]);
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
    expect(await query(`SELECT count(*)::int AS n FROM family_visit_stays WHERE unit_id = $1 AND status = 'BOOKED'`, [target.id])).toEqual([
      { n: 1 },
    ]);
    // Every stay that did not move is where it was.
    const stayed = await query<{ id: string; unitId: string; from: Date }>(
      `SELECT id, unit_id AS "unitId", lower(during) AS "from" FROM family_visit_stays WHERE id = ANY($1)`,
      [booked.map((b) => b.id)],
    );
    const unmoved = stayed.filter((s) => s.unitId === source.id);
    expect(unmoved.length).toBeGreaterThanOrEqual(9);
    for (const s of unmoved) expect(s.from).toEqual(booked.find((b) => b.id === s.id)!.from);
  });
});

describe('telling the family of a moved or cancelled stay', () => {
  /** The case's visitors' requests with their permits, in the factory's order (Nguyễn 0, 1, 2…). */
  function visitorRequests(caseId: string) {
    return query<{ id: string; permitId: string }>(
      `SELECT r.id, r.permit_id AS "permitId" FROM family_visit_requests r JOIN permits p ON p.id = r.permit_id
        WHERE r.case_id = $1 ORDER BY p.visitor_family_name`,
      [caseId],
    );
  }
  function mailsAbout(stayId: string) {
    return query<{ to: string; template: string; subject: string; body: string; html: string }>(
      `SELECT nr.address AS "to", n.template, n.subject, n.body_text AS body, n.body_html AS html
         FROM notifications n JOIN notification_recipients nr ON nr.id = n.recipient_id
        WHERE n.entity_type = 'family_visit_stay' AND n.entity_id = $1`,
      [stayId],
    );
  }

  it('each family holding a granted request of the case gets an e-mail and reads on its request page the new unit and dates on the establishment’s clock, or the cancellation and its reason; not a family whose request is refused', async () => {
    const e = await establishment({ timeZone: 'America/Cayenne' });
    const a = await insertUnit(e.id, { name: 'UVF Ą' });
    const b = await insertUnit(e.id, { name: 'UVF Ḃ' });
    const filer = await insertFamily({ givenName: 'Ayşe', familyName: 'Öztürk' });
    const holder = await insertFamily({ givenName: 'Łucja', familyName: 'Wójcik' });
    const refused = await insertFamily({ givenName: 'Thị', familyName: 'Lê' });
    const told = [filer.email, holder.email].sort();
    const c = await insertAuthorisedCase(e.id, { hours: 24, visitors: 3, familyAccountId: filer.id, firstName: 'محمد', lastName: 'Đặng' });
    const [filed, held, refusedRequest] = await visitorRequests(c.caseId);
    // The second visitor's permit is held by another account (the request was posted); the third request is refused.
    await query(`UPDATE permits SET family_account_id = $2 WHERE id = $1`, [held.permitId, holder.id]);
    await query(`UPDATE permits SET family_account_id = $2 WHERE id = $1`, [refusedRequest.permitId, refused.id]);
    await query(`UPDATE family_visit_requests SET status = 'REFUSED', granted_hours = NULL WHERE id = $1`, [refusedRequest.id]);
    const id = await book(e.base, c.caseId, { unitId: a.id, day: '05/12/2026', time: '10:00' });
    expect(await mailsAbout(id)).toEqual([]);

    const moveUrl = `${e.base}/sejours/${id}/deplacer`;
    expect((await post(agent, moveUrl, moveUrl, { unitId: b.id, day: '12/12/2026', time: '14:00' })).status).toBe(303);
    const movedLine =
      'Votre visite est déplacée : elle aura lieu du samedi 12 décembre 2026 à 14 h 00 au dimanche 13 décembre 2026 à 14 h 00 (heure locale), en UVF Ḃ. ' +
      'L’ancienne date (samedi 5 décembre 2026 à 10 h 00) n’est plus valable.';
    const moved = await mailsAbout(id);
    expect(moved.map((m) => [m.to, m.template]).sort()).toEqual(told.map((to) => [to, 'family-visit-stay-moved']));
    for (const m of moved) {
      expect(m.subject).toBe(
        `Votre visite en unité de vie familiale est déplacée au samedi 12 décembre 2026 à 14 h 00 (dossier ${await referenceOf(c.caseId)})`,
      );
      expect(m.body).toContain('auprès de محمد ĐẶNG');
      expect(m.body).toContain(
        'Nouvelle date : du samedi 12 décembre 2026 à 14 h 00 au dimanche 13 décembre 2026 à 14 h 00 (heure locale).',
      );
      expect(m.body).toContain('Logement : UVF Ḃ.');
      expect(m.body).toContain('L’ancienne date (samedi 5 décembre 2026 à 10 h 00) n’est plus valable.');
      expect(m.body).toContain(`/uvf/sejours/${id}`);
      expect(m.html).toContain('UVF Ḃ');
    }

    // An hour later (the history is newest first).
    await suite.app.setClock('2026-12-01T09:00:00.000Z', { frozen: true });
    const cancelUrl = `${e.base}/sejours/${id}/annuler`;
    expect(
      page(await agent.get(cancelUrl).expect(200))
        .$('label[for="reason"]')
        .text(),
    ).toContain('Il est communiqué à la famille');
    expect((await post(agent, cancelUrl, cancelUrl, { reason: 'Travaux urgents dans le logement.' })).status).toBe(303);
    const cancelledLine =
      'Votre visite du samedi 12 décembre 2026 à 14 h 00 (heure locale) en UVF Ḃ est annulée : Travaux urgents dans le logement. ' +
      'L’établissement vous proposera une autre date.';
    await suite.app.setClock(NOW, { frozen: true });
    const cancelled = (await mailsAbout(id)).filter((m) => m.template === 'family-visit-stay-cancelled');
    expect(cancelled.map((m) => m.to).sort()).toEqual(told);
    for (const m of cancelled) {
      expect(m.subject).toBe(
        `Votre visite en unité de vie familiale du samedi 12 décembre 2026 à 14 h 00 est annulée (dossier ${await referenceOf(c.caseId)})`,
      );
      expect(m.body).toContain('prévue le samedi 12 décembre 2026 à 14 h 00 (heure locale) en UVF Ḃ, est annulée.');
      expect(m.body).toContain('Motif : Travaux urgents dans le logement.');
    }
    expect(cancelled.find((m) => m.to === filer.email)!.body).toContain(`/uvf/demandes/${filed.id}`);
    expect(cancelled.find((m) => m.to === holder.email)!.body).toContain(`/uvf/demandes/${held.id}`);

    // On each family's request page, newest first; the refused family reads neither.
    for (const [family, requestId] of [
      [filer, filed.id],
      [holder, held.id],
    ] as const) {
      const history = page(await (await signInFamily(suite.app.url, family)).get(`/uvf/demandes/${requestId}`).expect(200)).text('history');
      expect(history).toContain(movedLine);
      expect(history).toContain(cancelledLine);
      expect(history.indexOf(cancelledLine)).toBeLessThan(history.indexOf(movedLine));
    }
    const other = page(await (await signInFamily(suite.app.url, refused)).get(`/uvf/demandes/${refusedRequest.id}`).expect(200));
    expect(other.mainText()).not.toContain('Votre visite est déplacée');
    expect(other.mainText()).not.toContain('Travaux urgents');
    expect(
      await query(
        `SELECT request_id AS "requestId", kind, actor_id AS "actorId" FROM family_visit_events WHERE case_id = $1 AND visible_to_family ORDER BY at, kind, request_id`,
        [c.caseId],
      ),
    ).toEqual(
      ['STAY_MOVED', 'STAY_CANCELLED'].flatMap((kind) =>
        [filed.id, held.id].sort().map((requestId) => ({ requestId, kind, actorId: agentRow.id })),
      ),
    );
  });

  it('a stay cancelled after the detainee’s transfer promises no other date: the SMS, the e-mail and the family’s history say so', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF Żółw' });
    const phone = uniquePhone();
    const family = await insertFamily({ givenName: 'Nguyễn Văn', familyName: 'Ðức', mobilePhone: phone.e164 });
    const c = await insertAuthorisedCase(e.id, { hours: 24, familyAccountId: family.id, firstName: 'Şükrü', lastName: 'Kowalczyk' });
    const [filed] = await visitorRequests(c.caseId);
    const id = await book(e.base, c.caseId, { unitId: unit.id, day: '05/12/2026', time: '10:00' });

    // Another establishment takes him: the stay is cancelled, and no stay may be booked for him any more.
    const elsewhere = await insertEstablishment();
    const proposal = await insertTransferProposal({ detaineeId: c.detaineeId, toEstablishmentId: elsewhere.id });
    const confirm = `/etablissements/${e.code}/detenus/transferts/${proposal.id}/confirmation`;
    expect((await post(admin, confirm, confirm, {})).status).toBe(303);
    const cancelUrl = `${e.base}/sejours/${id}/annuler`;
    expect((await post(agent, cancelUrl, cancelUrl, { reason: 'Personne détenue transférée' })).status).toBe(303);

    const sent = await query<{ channel: string; body: string; html: string | null }>(
      `SELECT n.channel, n.body_text AS body, n.body_html AS html FROM notifications n
        WHERE n.entity_id = $1 AND n.template = 'family-visit-stay-cancelled' ORDER BY n.channel`,
      [id],
    );
    expect(sent.map((m) => m.channel)).toEqual(['EMAIL', 'SMS']);
    const [mail, sms] = sent;
    expect(mail.body).toContain('Aucune nouvelle date ne pourra être proposée au titre de ce dossier.');
    expect(mail.html).toContain('Aucune nouvelle date ne pourra être proposée au titre de ce dossier.');
    expect(mail.body).not.toContain('autre date');
    expect(sms.body).toBe(
      `P2V Justice : votre visite en unité de vie familiale du 05/12 à 10h00 est annulée. Aucune autre date possible pour ce dossier. Détails : ${suite.app.url}/uvf`,
    );
    expect(smsLength(sms.body)).toMatchObject({ encoding: 'GSM-7' });
    expect(smsLength(sms.body).segments).toBeLessThanOrEqual(2);
    const history = page(await (await signInFamily(suite.app.url, family)).get(`/uvf/demandes/${filed.id}`).expect(200)).text('history');
    expect(history).toContain(
      'Votre visite du samedi 5 décembre 2026 à 10 h 00 (heure de Paris) en UVF Żółw est annulée : Personne détenue transférée. Aucune nouvelle date ne pourra être proposée au titre de ce dossier.',
    );
    expect(history).not.toContain('vous proposera une autre date');
    expect(
      await queryOne(`SELECT after->>'rebook' AS rebook FROM audit_log WHERE entity_id = $1 AND action = 'FAMILY_STAY_CANCELLED'`, [id]),
    ).toEqual({ rebook: 'false' });
  });

  it('a family parlour granted in two cumulated slots: the family’s stay page says « en deux créneaux, pause du déjeuner à l’extérieur » and does not say that any exit is final', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { kind: 'PF', name: 'PF Ŵ' });
    const family = await insertFamily({ givenName: 'Şeyma', familyName: 'Ünal' });
    const two = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 6, slots: 2, familyAccountId: family.id, lastName: 'Ŵojcik' });
    const one = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 6, slots: 1, familyAccountId: family.id, lastName: 'Ŷlmaz' });
    const twoStay = await book(e.base, two.caseId, {
      unitId: unit.id,
      day: '03/12/2026',
      time: '09:00',
      firstDuration: '3',
      secondTime: '13:00',
    });
    const oneStay = await book(e.base, one.caseId, { unitId: unit.id, day: '04/12/2026', time: '09:00' });
    const mine = await signInFamily(suite.app.url, family);

    const p = page(await mine.get(`/uvf/sejours/${twoStay}`).expect(200));
    expect(p.heading()).toBe('Votre visite en parloir familial');
    expect(p.text('stay-slots')).toBe('Visite en deux créneaux, pause du déjeuner à l’extérieur');
    expect(p.text('guide-course')).toContain('pause pour déjeuner à l’extérieur de l’établissement');
    expect(p.text('guide-course')).toContain('En dehors de la pause du déjeuner, toute sortie avant la fin est définitive.');
    expect(p.text('guide-course')).not.toContain('. Toute sortie avant la fin est définitive.');

    const q = page(await mine.get(`/uvf/sejours/${oneStay}`).expect(200));
    expect(q.has('stay-slots')).toBe(false);
    expect(q.text('guide-course')).toContain('Toute sortie avant la fin est définitive.');
    expect(q.text('guide-course')).not.toContain('déjeuner');
  });
});

describe('priority data of the waiting list', () => {
  it('the parloir agent, the head and the SPIP counsellor set « sans permission de sortir » and the family’s distance; a wrong distance is refused in French; audited; the waiting list follows', async () => {
    const e = await establishment();
    await insertUnit(e.id, { name: 'UVF 1' });
    const first = await insertAuthorisedCase(e.id, { firstName: 'Ödön', lastName: 'Ancien', decidedAt: new Date('2026-09-01T10:00:00Z') });
    const far = await insertAuthorisedCase(e.id, {
      kind: 'PF',
      firstName: 'Ảnh',
      lastName: 'Loin',
      decidedAt: new Date('2026-09-15T10:00:00Z'),
    });
    const noLeave = await insertAuthorisedCase(e.id, { firstName: 'Ñuño', lastName: 'Libre', decidedAt: new Date('2026-10-01T10:00:00Z') });
    expect(waitingNames(await agent.get(`${e.base}/planning`).expect(200))).toEqual(['Ödön ANCIEN', 'Ảnh LOIN', 'Ñuño LIBRE']);

    // From the planning's waiting list, by the SPIP counsellor too.
    const planning = page(await agent.get(`${e.base}/planning`).expect(200));
    const priorityUrl = `${e.base}/priorite/${noLeave.caseId}`;
    expect(
      planning
        .testId('priority-link')
        .toArray()
        .map((a) => planning.$(a).attr('href')),
    ).toContain(priorityUrl);
    const form = page(await spip.get(priorityUrl).expect(200));
    expect(form.heading()).toBe('Priorité sur la liste d’attente — Ñuño LIBRE');
    expect(form.$('label[for="noLeavePossible-oui"]').text()).toBe('La personne détenue ne peut pas bénéficier de permission de sortir');
    expect(form.$('label[for="distanceKm"]').text()).toContain('Distance du domicile de la famille (km)');
    for (const bad of ['20001', '-3', '12,5', 'loin'])
      expect(page(await post(spip, priorityUrl, priorityUrl, { noLeavePossible: 'oui', distanceKm: bad })).errors()).toEqual([
        'La distance est un nombre entier de kilomètres, de 0 à 20 000.',
      ]);
    const saved = await post(spip, priorityUrl, priorityUrl, { noLeavePossible: 'oui', distanceKm: '' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${priorityUrl}?fait=oui`);
    const again = page(await spip.get(`${priorityUrl}?fait=oui`).expect(200));
    expect(again.has('done')).toBe(true);
    expect(again.$('#noLeavePossible-oui').attr('checked')).toBeDefined();

    // On the booking page, by the parloir agent: the answer comes back to the booking page.
    const bookUrl = `${e.base}/reserver/${far.caseId}`;
    const wrong = await post(agent, bookUrl, `${e.base}/priorite/${far.caseId}`, { distanceKm: '25000', retour: 'reserver' });
    expect(wrong.status).toBe(400);
    expect(page(wrong).heading()).toBe('Réserver un logement — Ảnh LOIN');
    expect(page(wrong).errors()).toEqual(['La distance est un nombre entier de kilomètres, de 0 à 20 000.']);
    const fromBooking = await post(agent, bookUrl, `${e.base}/priorite/${far.caseId}`, { distanceKm: ' 600 ', retour: 'reserver' });
    expect(fromBooking.status).toBe(303);
    expect(fromBooking.headers.location).toBe(`${bookUrl}?priorite=oui`);
    expect(
      page(await agent.get(`${bookUrl}?priorite=oui`).expect(200))
        .$('#distanceKm')
        .attr('value'),
    ).toBe('600');
    // The head may too; others may not.
    expect((await post(head, `${e.base}/priorite/${first.caseId}`, `${e.base}/priorite/${first.caseId}`, { distanceKm: '0' })).status).toBe(
      303,
    );
    await admin.get(`${e.base}/priorite/${first.caseId}`).expect(403);
    await spip.get(`${e.base}/priorite/${randomUUID()}`).expect(404);

    expect(
      await query(
        `SELECT reference IS NOT NULL AS ok, no_leave_possible AS "noLeave", distance_km AS "km" FROM family_visit_cases
          WHERE id = ANY($1) ORDER BY array_position($1::uuid[], id)`,
        [[first.caseId, far.caseId, noLeave.caseId]],
      ),
    ).toEqual([
      { ok: true, noLeave: false, km: 0 },
      { ok: true, noLeave: false, km: 600 },
      { ok: true, noLeave: true, km: null },
    ]);
    const rows = page(await agent.get(`${e.base}/planning`).expect(200)).texts('waiting');
    expect(rows.map((r) => r.split(' — ')[0])).toEqual(['Ñuño LIBRE', 'Ảnh LOIN', 'Ödön ANCIEN']);
    expect(rows[0]).toContain('prioritaire : sans permission de sortir');
    expect(rows[1]).toContain('famille éloignée (600 km)');
    expect(
      await query(
        `SELECT entity_id AS "caseId", after FROM audit_log WHERE action = 'FAMILY_CASE_PRIORITY_CHANGED' AND establishment_id = $1 ORDER BY id`,
        [e.id],
      ),
    ).toEqual([
      { caseId: noLeave.caseId, after: { noLeavePossible: true, distanceKm: null } },
      { caseId: far.caseId, after: { noLeavePossible: false, distanceKm: 600 } },
      { caseId: first.caseId, after: { noLeavePossible: false, distanceKm: 0 } },
    ]);
  });
});

describe('the family’s page of its booked stay', () => {
  it('the admin writes a unit’s rules (4 000 characters at most), and the family holding a granted request reads its stay: times on the establishment’s clock, address, what to bring and what is forbidden, the unit’s rules', async () => {
    const e = await establishment({ timeZone: 'America/Cayenne' });
    await query(`UPDATE establishments SET address = $2, phone = $3 WHERE id = $1`, [
      e.id,
      '1 route de Rémire, 97354 Rémire-Montjoly',
      '05 94 00 00 00',
    ]);
    const units = `${e.base}/unites`;
    expect(
      (await post(admin, units, units, { kind: 'UVF', name: 'UVF Ħ', capacity: '4', accessible: 'oui', houseRules: ' ' })).status,
    ).toBe(303);
    const unit = await queryOne<{ id: string; houseRules: string | null }>(
      `SELECT id, house_rules AS "houseRules" FROM family_units WHERE establishment_id = $1`,
      [e.id],
    );
    expect(unit.houseRules).toBeNull();
    const tooLong = await post(admin, units, `${units}/${unit.id}`, {
      name: 'UVF Ħ',
      capacity: '4',
      accessible: 'oui',
      active: 'oui',
      houseRules: 'x'.repeat(4001),
    });
    expect(tooLong.status).toBe(400);
    expect(page(tooLong).errors()).toEqual(['Le règlement du logement fait au plus 4 000 caractères.']);
    const rules = 'Pas de verre ni d’alcool.\r\nLes visiteurs arrivent à 9 h 30 au plus tard.\r\n\r\nApportez vos draps de bébé.';
    expect(
      (
        await post(admin, units, `${units}/${unit.id}`, {
          name: 'UVF Ħ',
          capacity: '4',
          accessible: 'oui',
          active: 'oui',
          houseRules: rules,
        })
      ).status,
    ).toBe(303);
    const adminPage = page(await head.get(units).expect(200));
    expect(adminPage.text('unit-rules')).toBe('Renseigné');
    expect(
      await query(`SELECT after->>'houseRules' AS "rules" FROM audit_log WHERE entity_id = $1 AND action = 'FAMILY_UNIT_CHANGED'`, [
        unit.id,
      ]),
    ).toEqual([{ rules: 'Pas de verre ni d’alcool.\nLes visiteurs arrivent à 9 h 30 au plus tard.\n\nApportez vos draps de bébé.' }]);

    const family = await insertFamily({ givenName: 'Ayşe', familyName: 'Öztürk' });
    const c = await insertAuthorisedCase(e.id, { hours: 24, familyAccountId: family.id, firstName: 'محمد', lastName: 'Nguyễn' });
    const id = await book(e.base, c.caseId, { unitId: unit.id, day: '05/12/2026', time: '10:00' });
    expect((await slotOf(id)).from).toEqual(new Date('2026-12-05T13:00:00Z')); // 10:00 in Cayenne (UTC−3)

    const mine = await signInFamily(suite.app.url, family);
    const p = page(await mine.get(`/uvf/sejours/${id}`).expect(200));
    expect(p.heading()).toBe('Votre visite en unité de vie familiale');
    expect(p.text('stay-from')).toBe('samedi 5 décembre 2026 à 10 h 00');
    expect(p.text('stay-to')).toBe('dimanche 6 décembre 2026 à 10 h 00');
    expect(p.text('stay-unit')).toBe('UVF Ħ — Unité de vie familiale (UVF), accessible aux personnes à mobilité réduite');
    expect(p.text('stay-place')).toContain('1 route de Rémire, 97354 Rémire-Montjoly');
    expect(p.mainText()).toContain('محمد NGUYỄN');
    expect(p.text('guide-bring')).toContain('Une pièce d’identité en cours de validité pour chaque visiteur');
    expect(p.text('guide-bring')).toContain('dans leur emballage d’origine et non entamés');
    expect(p.text('guide-forbidden')).toContain('Aucun produit alimentaire');
    expect(p.text('guide-forbidden')).toContain('casier');
    expect(p.text('guide-course')).toContain('Arrivez en avance');
    expect(p.text('guide-course')).toContain('inventaire détaillé de vos affaires');
    expect(
      p
        .testId('house-rules')
        .find('p')
        .toArray()
        .map((l) => p.$(l).text()),
    ).toEqual(['Pas de verre ni d’alcool.', 'Les visiteurs arrivent à 9 h 30 au plus tard.', 'Apportez vos draps de bébé.']);
    // A phone-sized page: no table to scroll sideways.
    expect(p.$('main table').length).toBe(0);

    // After a cancellation the family is told, without the details.
    await post(agent, `${e.base}/sejours/${id}/annuler`, `${e.base}/sejours/${id}/annuler`, { reason: 'Travaux urgents dans le logement' });
    const cancelled = page(await mine.get(`/uvf/sejours/${id}`).expect(200));
    expect(cancelled.text('stay-cancelled')).toContain('Cette visite est annulée');
    expect(cancelled.mainText()).not.toContain('Travaux urgents');
    expect(cancelled.has('guide-bring')).toBe(false);
  });

  it('anyone but a family holding a granted request of the case gets 404; staff get 403', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF Ŋ' });
    const holder = await insertFamily({ givenName: 'Łucja', familyName: 'Wójcik' });
    const pending = await insertFamily({ givenName: 'Thị', familyName: 'Lê' });
    const stranger = await insertFamily({ givenName: 'Ελένη', familyName: 'Παπαδοπούλου' });
    const granted = await insertAuthorisedCase(e.id, { familyAccountId: holder.id, lastName: 'Ğ' });
    const notYet = await insertAuthorisedCase(e.id, { familyAccountId: pending.id, firstVisitorStatus: 'RECEIVED', lastName: 'Ş' });
    const ownStay = await book(e.base, granted.caseId, { unitId: unit.id, day: '03/12/2026', time: '10:00' });
    const otherStay = await book(e.base, notYet.caseId, { unitId: unit.id, day: '10/12/2026', time: '10:00' });

    const asHolder = await signInFamily(suite.app.url, holder);
    await asHolder.get(`/uvf/sejours/${ownStay}`).expect(200);
    await asHolder.get(`/uvf/sejours/${otherStay}`).expect(404);
    await asHolder.get(`/uvf/sejours/${randomUUID()}`).expect(404);
    await asHolder.get(`/uvf/sejours/pas-un-identifiant`).expect(404);
    // Their own request not granted (yet), though others of the case are.
    await (await signInFamily(suite.app.url, pending)).get(`/uvf/sejours/${otherStay}`).expect(404);
    await (await signInFamily(suite.app.url, stranger)).get(`/uvf/sejours/${ownStay}`).expect(404);
    await agent.get(`/uvf/sejours/${ownStay}`).expect(403);
  });
});

describe('a family parlour in two cumulated slots', () => {
  /** The stay's span and break, as stored. */
  function timesOf(id: string) {
    return queryOne<{ unitId: string; from: Date; to: Date; breakFrom: Date | null; breakTo: Date | null }>(
      `SELECT unit_id AS "unitId", lower(during) AS "from", upper(during) AS "to", break_from AS "breakFrom", break_to AS "breakTo"
         FROM family_visit_stays WHERE id = $1`,
      [id],
    );
  }

  it('books a PF granted in two slots as two slots the same day with the break inside one span: the form asks for both slots and refuses in French keeping the values, the break is on the planning, the agents’ page, the family’s stay page and request page, audited', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { kind: 'PF', name: 'PF Ŵ' });
    const family = await insertFamily({ givenName: 'Şeyma', familyName: 'Ünal' });
    const c = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 6, slots: 2, familyAccountId: family.id, lastName: 'Ŵojcik' });
    const one = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 4, slots: 1, lastName: 'Ŷlmaz' });
    const url = `${e.base}/reserver/${c.caseId}`;

    const waiting = page(await agent.get(`${e.base}/planning`).expect(200)).texts('waiting');
    expect(waiting.find((w) => w.startsWith('Łukasz ŴOJCIK'))).toContain('Parloir familial (PF), 6 h en deux créneaux, 2 visiteur(s)');
    expect(waiting.find((w) => w.startsWith('Łukasz ŶLMAZ'))).toContain('Parloir familial (PF), 4 h, 2 visiteur(s)');
    const form = page(await agent.get(url).expect(200));
    expect(form.text('book-summary')).toContain('Durée accordée : 6 heures en deux créneaux cumulés');
    expect(form.text('two-slots')).toContain('Deux créneaux le même jour, 6 heures en tout');
    expect(['day', 'time', 'firstDuration', 'secondTime'].map((f) => squashLabel(form, f))).toEqual([
      'Jour de la visite — JJ/MM/AAAA',
      'Début du premier créneau — HH:MM, heure de l’établissement',
      'Durée du premier créneau — En heures, par exemple 3 h ou 2 h 30',
      'Début du second créneau — HH:MM ; il dure le reste des 6 heures',
    ]);
    // A PF in one slot keeps the form of a start time.
    const oneForm = page(await agent.get(`${e.base}/reserver/${one.caseId}`).expect(200));
    expect(oneForm.has('two-slots')).toBe(false);
    expect(oneForm.$('#firstDuration').length).toBe(0);

    const send = (fields: Record<string, string>) =>
      post(agent, url, url, { unitId: unit.id, day: '03/12/2026', time: '09:00', ...fields });
    const missing = await send({});
    expect(missing.status).toBe(400);
    expect(page(missing).errors()).toEqual([
      'Indiquez la durée du premier créneau, par exemple 3 h ou 2 h 30.',
      'Indiquez l’heure de début du second créneau au format HH:MM.',
    ]);
    expect(page(missing).value('day')).toBe('03/12/2026');
    const tooLong = await send({ firstDuration: '5 h 30', secondTime: '15:00' });
    expect(tooLong.status).toBe(400);
    expect(page(tooLong).fieldError('firstDuration')).toBe(
      'Le second créneau dure au moins 1 heure : sur les 6 h accordées, le premier créneau dure au plus 5 h.',
    );
    expect([page(tooLong).value('firstDuration'), page(tooLong).value('secondTime')]).toEqual(['5 h 30', '15:00']);
    const shortBreak = await send({ firstDuration: '3 h', secondTime: '12:15' });
    expect(shortBreak.status).toBe(400);
    expect(page(shortBreak).fieldError('secondTime')).toBe(
      'La pause entre les deux créneaux dure au moins 30 minutes : le premier créneau finit à 12:00, le second commence à 12:30 au plus tôt.',
    );
    expect(page(shortBreak).value('secondTime')).toBe('12:15');
    const longBreak = await send({ firstDuration: '2h', secondTime: '14:30' });
    expect(page(longBreak).errors()).toEqual([
      'La pause entre les deux créneaux dure au plus 3 heures : le premier créneau finit à 11:00, le second commence à 14:00 au plus tard.',
    ]);
    expect(await query(`SELECT id FROM family_visit_stays WHERE case_id = $1`, [c.caseId])).toEqual([]);

    const id = await book(e.base, c.caseId, {
      unitId: unit.id,
      day: '03/12/2026',
      time: '09:00',
      firstDuration: '3 h',
      secondTime: '13:30',
    });
    // 09:00–12:00, then 13:30–16:30 in Paris: one span in the unit, the break inside.
    expect(await timesOf(id)).toEqual({
      unitId: unit.id,
      from: new Date('2026-12-03T08:00:00Z'),
      to: new Date('2026-12-03T15:30:00Z'),
      breakFrom: new Date('2026-12-03T11:00:00Z'),
      breakTo: new Date('2026-12-03T12:30:00Z'),
    });
    expect(
      await queryOne(`SELECT after->>'breakFrom' AS "breakFrom", after->>'breakTo' AS "breakTo" FROM audit_log WHERE entity_id = $1`, [id]),
    ).toEqual({ breakFrom: '2026-12-03T11:00:00.000Z', breakTo: '2026-12-03T12:30:00.000Z' });

    const planning = page(await head.get(`${e.base}/planning?semaine=2026-12-03`).expect(200));
    expect(planning.texts('planning-stay')).toEqual([
      'Łukasz ŴOJCIK — 2 visiteur(s), 03/12 09:00 → 03/12 16:30 (pause : visiteurs sortis de 12:00 à 13:30)',
    ]);
    const stayPage = page(await agent.get(`${e.base}/sejours/${id}`).expect(200));
    expect(stayPage.text('stay-break')).toBe(
      'Deux créneaux — pause : visiteurs sortis de 12:00 à 13:30. Seule cette sortie n’est pas définitive.',
    );
    expect(page(await agent.get(`${e.base}/sejours/${id}/annuler`).expect(200)).text('cancel-summary')).toContain(
      '(pause : visiteurs sortis de 12:00 à 13:30)',
    );

    const mine = await signInFamily(suite.app.url, family);
    const p = page(await mine.get(`/uvf/sejours/${id}`).expect(200));
    expect(p.text('stay-from')).toBe('jeudi 3 décembre 2026 à 09 h 00');
    expect(p.text('stay-to')).toBe('jeudi 3 décembre 2026 à 16 h 30');
    expect(p.text('stay-slots')).toBe('Visite en deux créneaux, pause du déjeuner à l’extérieur');
    expect(p.text('stay-break')).toBe('De 12 h 00 à 13 h 30 : vous sortez de l’établissement et revenez pour le second créneau.');
    expect(p.text('guide-course')).toContain('pause pour déjeuner à l’extérieur de l’établissement de 12 h 00 à 13 h 30 :');
    const { requestId } = await queryOne<{ requestId: string }>(
      `SELECT id AS "requestId" FROM family_visit_requests WHERE case_id = $1 AND family_account_id = $2`,
      [c.caseId, family.id],
    );
    const request = page(await mine.get(`/uvf/demandes/${requestId}`).expect(200));
    expect(request.text('stay-dates')).toBe('Du jeudi 3 décembre 2026 à 09 h 00 au jeudi 3 décembre 2026 à 16 h 30 (heure de Paris)');
    expect(request.text('stay-break')).toBe('En deux créneaux : pause du déjeuner à l’extérieur de 12 h 00 à 13 h 30');
  });

  it('the database keeps the break inside the stay, both ends or none, and only for a family parlour', async () => {
    const e = await establishment();
    const pf = await insertUnit(e.id, { kind: 'PF', name: 'PF Ħ' });
    const uvf = await insertUnit(e.id, { kind: 'UVF', name: 'UVF Ħ' });
    const c = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 6, slots: 2, lastName: 'Ħabib' });
    const insert = (unitId: string, breakFrom: string | null, breakTo: string | null) =>
      query(
        `INSERT INTO family_visit_stays (case_id, unit_id, during, break_from, break_to, visitors)
         VALUES ($1, $2, tstzrange('2026-12-20T08:00Z', '2026-12-20T15:30Z', '[)'), $3, $4, 1)`,
        [c.caseId, unitId, breakFrom, breakTo],
      );
    await expect(insert(pf.id, '2026-12-20T11:00Z', null)).rejects.toThrow(/family_visit_stays_break/);
    await expect(insert(pf.id, '2026-12-20T07:00Z', '2026-12-20T09:00Z')).rejects.toThrow(/family_visit_stays_break/);
    await expect(insert(pf.id, '2026-12-20T12:00Z', '2026-12-20T11:00Z')).rejects.toThrow(/family_visit_stays_break/);
    await expect(insert(pf.id, '2026-12-20T11:00Z', '2026-12-20T15:30Z')).rejects.toThrow(/family_visit_stays_break/);
    await expect(insert(uvf.id, '2026-12-20T11:00Z', '2026-12-20T12:30Z')).rejects.toThrow(
      'family_visit_stays_break_kind: only a family parlour (PF) stay has a break',
    );
    await insert(pf.id, '2026-12-20T11:00Z', '2026-12-20T12:30Z');
    const { id } = await queryOne<{ id: string }>(`SELECT id FROM family_visit_stays WHERE case_id = $1`, [c.caseId]);
    await expect(query(`UPDATE family_visit_stays SET unit_id = $2 WHERE id = $1`, [id, uvf.id])).rejects.toThrow(
      'family_visit_stays_break_kind',
    );
  });

  it('another family’s booking in the unit during the break is refused, also in parallel: the two slots and the break are one range', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { kind: 'PF', name: 'PF Ż', capacity: 6 });
    const two = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 6, slots: 2, visitors: 1, lastName: 'Żuk' });
    await book(e.base, two.caseId, { unitId: unit.id, day: '03/12/2026', time: '09:00', firstDuration: '3', secondTime: '14:00' });
    const other = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 1, visitors: 1, lastName: 'Öz' });
    const during = await post(agent, `${e.base}/reserver/${other.caseId}`, `${e.base}/reserver/${other.caseId}`, {
      unitId: unit.id,
      day: '03/12/2026',
      time: '12:30',
    });
    expect(during.status).toBe(409);
    expect(page(during).errors()).toEqual(['Ce logement est déjà occupé sur cette période.']);

    // Racing: a PF in two slots on the 10th and 8 one-hour PFs inside its break; exactly one gets the unit.
    const racing = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 6, slots: 2, visitors: 1, lastName: 'Ŝaŝa' });
    const hours = [];
    for (let i = 0; i < 8; i++) hours.push(await insertAuthorisedCase(e.id, { kind: 'PF', hours: 1, visitors: 1, lastName: `Łoś${i}` }));
    const pools = await Promise.all(Array.from({ length: 3 }, () => openDataSource(3)));
    const clock = new Clock();
    clock.set(new Date(NOW), { frozen: true });
    const actor = { type: 'AGENT' as const, id: agentRow.id, label: 'Zofia Kowalczyk' };
    const service = (i: number) => {
      const pool = pools[i % pools.length];
      return new UnitsService(pool, new AuditService(), clock, services(pool, testConfig(), clock).notifications);
    };
    try {
      const results = await Promise.allSettled([
        ...hours.map((c, i) =>
          service(i).book(actor, e, c.caseId, { unitId: unit.id, day: '2026-12-10', time: i % 2 === 0 ? '12:00' : '12:45' }),
        ),
        service(8).book(actor, e, racing.caseId, {
          unitId: unit.id,
          day: '2026-12-10',
          time: '09:00',
          firstDuration: 180,
          secondTime: '14:00',
        }),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected'))
        expect((r.reason as Error).message).toBe('Ce logement est déjà occupé sur cette période.');
    } finally {
      await Promise.all(pools.map((p) => p.destroy()));
    }
    expect(
      await query(
        `SELECT count(*)::int AS n FROM family_visit_stays WHERE unit_id = $1 AND during && tstzrange('2026-12-10T00:00Z', '2026-12-11T00:00Z')`,
        [unit.id],
      ),
    ).toEqual([{ n: 1 }]);
  });

  it('today’s stays tell the agents « pause : visiteurs sortis de 12:00 à 13:30 » and warn « fin dans 15 minutes » before the break as before the end (test clock)', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { kind: 'PF', name: 'PF Ǆ' });
    const c = await insertAuthorisedCase(e.id, { kind: 'PF', hours: 6, slots: 2, lastName: 'Ǆurić' });
    const id = await book(e.base, c.caseId, {
      unitId: unit.id,
      day: '03/12/2026',
      time: '09:00',
      firstDuration: '3 h',
      secondTime: '13:30',
    });
    const today = async () => page(await agent.get(`${e.base}/sejours`).expect(200));
    try {
      await suite.app.setClock('2026-12-03T08:05:00Z', { frozen: true }); // 09:05 in Paris
      await post(agent, `${e.base}/sejours/${id}`, `${e.base}/sejours/${id}/debut`, {});
      let p = await today();
      expect(p.text('today-stay')).toContain('Łukasz ǄURIĆ');
      expect(p.text('stay-break')).toBe('Deux créneaux — pause : visiteurs sortis de 12:00 à 13:30');
      expect(p.has('ends-soon')).toBe(false);
      await suite.app.setClock('2026-12-03T10:46:00Z', { frozen: true }); // 11:46, the first slot ends at 12:00
      p = await today();
      expect(p.texts('ends-soon')).toEqual(['Fin dans 15 minutes (pause du déjeuner) : prévenez les occupants, les visiteurs sortent']);
      expect(page(await agent.get(`${e.base}/sejours/${id}`).expect(200)).texts('ends-soon')).toEqual([
        'Fin dans 15 minutes (pause du déjeuner) : prévenez les occupants, les visiteurs sortent',
      ]);
      await suite.app.setClock('2026-12-03T11:30:00Z', { frozen: true }); // 12:30, on the break
      p = await today();
      expect(p.text('stay-break')).toBe('En pause — pause : visiteurs sortis de 12:00 à 13:30');
      expect(p.has('ends-soon')).toBe(false);
      await suite.app.setClock('2026-12-03T15:16:00Z', { frozen: true }); // 16:16, the end is at 16:30
      p = await today();
      expect(p.texts('ends-soon')).toEqual(['Fin dans 15 minutes : prévenez les occupants']);
    } finally {
      await suite.app.setClock(NOW, { frozen: true });
    }
  });

  it('a move asks again for both slots and tells the families: the break in the history and the e-mail, a short SMS to each family with a mobile phone, also when it is cancelled, audited', async () => {
    const e = await establishment({ timeZone: 'America/Cayenne' });
    const a = await insertUnit(e.id, { kind: 'PF', name: 'PF Ą' });
    const b = await insertUnit(e.id, { kind: 'PF', name: 'PF Ḃ' });
    const phone = uniquePhone();
    const filer = await insertFamily({ givenName: 'Thị Hoa', familyName: 'Nguyễn', mobilePhone: phone.e164 });
    const holder = await insertFamily({ givenName: 'Łucja', familyName: 'Wójcik' });
    const c = await insertAuthorisedCase(e.id, {
      kind: 'PF',
      hours: 6,
      slots: 2,
      familyAccountId: filer.id,
      firstName: 'محمد',
      lastName: 'Đặng',
    });
    const held = await queryOne<{ permitId: string }>(
      `SELECT r.permit_id AS "permitId" FROM family_visit_requests r WHERE r.case_id = $1 AND r.applicant = 'VISITOR' AND r.family_account_id IS NULL`,
      [c.caseId],
    );
    await query(`UPDATE permits SET family_account_id = $2 WHERE id = $1`, [held.permitId, holder.id]);
    const id = await book(e.base, c.caseId, {
      unitId: a.id,
      day: '05/12/2026',
      time: '09:00',
      firstDuration: '2 h 30',
      secondTime: '12:00',
    });
    const moveUrl = `${e.base}/sejours/${id}/deplacer`;

    const form = page(await agent.get(moveUrl).expect(200));
    expect(form.text('move-summary')).toContain('(pause : visiteurs sortis de 11:30 à 12:00)');
    expect(form.text('move-summary')).toContain('Durée accordée : 6 heures en deux créneaux cumulés');
    expect(form.text('two-slots')).toContain('Nouveau jour de la visite');
    const move = (fields: Record<string, string>) => post(agent, moveUrl, moveUrl, { unitId: b.id, day: '12/12/2026', ...fields });
    const missing = await move({ time: '08:30' });
    expect(missing.status).toBe(400);
    expect(page(missing).errors()).toEqual([
      'Indiquez la durée du premier créneau, par exemple 3 h ou 2 h 30.',
      'Indiquez l’heure de début du second créneau au format HH:MM.',
    ]);
    const same = await post(agent, moveUrl, moveUrl, {
      unitId: a.id,
      day: '05/12/2026',
      time: '09:00',
      firstDuration: '2h30',
      secondTime: '12:00',
    });
    expect(page(same).errors()).toEqual([
      'La visite est déjà prévue dans ce logement à cette heure : choisissez un autre logement ou un autre horaire.',
    ]);
    // The same span, another break: a move.
    expect(
      (await post(agent, moveUrl, moveUrl, { unitId: a.id, day: '05/12/2026', time: '09:00', firstDuration: '3', secondTime: '12:30' }))
        .status,
    ).toBe(303);
    expect((await move({ time: '08:30', firstDuration: '3 h', secondTime: '13:00' })).status).toBe(303);
    // 08:30–11:30 and 13:00–16:00 in Cayenne (UTC−3).
    expect(await timesOf(id)).toEqual({
      unitId: b.id,
      from: new Date('2026-12-12T11:30:00Z'),
      to: new Date('2026-12-12T19:00:00Z'),
      breakFrom: new Date('2026-12-12T14:30:00Z'),
      breakTo: new Date('2026-12-12T16:00:00Z'),
    });
    expect(
      await queryOne(
        `SELECT before->>'breakFrom' AS "before", after->>'breakFrom' AS "after" FROM audit_log
          WHERE entity_id = $1 AND action = 'FAMILY_STAY_MOVED' ORDER BY id DESC LIMIT 1`,
        [id],
      ),
    ).toEqual({ before: '2026-12-05T15:00:00.000Z', after: '2026-12-12T14:30:00.000Z' });
    expect(
      (
        await query<{ message: string }>(
          `SELECT message FROM family_visit_events WHERE case_id = $1 AND NOT visible_to_family ORDER BY at, ctid`,
          [c.caseId],
        )
      ).map((r) => r.message),
    ).toContain('Visite déplacée du 05/12/2026 à 09:00 en PF Ą au 12/12/2026 à 08:30 en PF Ḃ (pause : visiteurs sortis de 11:30 à 13:00).');

    const messages = await query<{ to: string; channel: string; template: string; body: string }>(
      `SELECT nr.address AS "to", n.channel, n.template, n.body_text AS body
         FROM notifications n JOIN notification_recipients nr ON nr.id = n.recipient_id
        WHERE n.entity_type = 'family_visit_stay' AND n.entity_id = $1 ORDER BY n.created_at, n.id`,
      [id],
    );
    const line =
      'Votre visite est déplacée : elle aura lieu du samedi 12 décembre 2026 à 08 h 30 au samedi 12 décembre 2026 à 16 h 00 (heure locale), en PF Ḃ, ' +
      'en deux créneaux avec une pause pour déjeuner à l’extérieur de 11 h 30 à 13 h 00. L’ancienne date (samedi 5 décembre 2026 à 09 h 00) n’est plus valable.';
    const lastMails = messages.filter((m) => m.channel === 'EMAIL').slice(-2);
    expect(lastMails.map((m) => m.to).sort()).toEqual([filer.email, holder.email].sort());
    for (const m of lastMails)
      expect(m.body).toContain(
        'En deux créneaux, avec une pause pour déjeuner à l’extérieur de l’établissement de 11 h 30 à 13 h 00 : vous sortez à 11 h 30 et revenez à 13 h 00, en repassant les contrôles.',
      );
    const sms = messages.filter((m) => m.channel === 'SMS');
    // Only the family with a mobile phone, once per move.
    expect(sms.map((m) => [m.to, m.template])).toEqual([
      [phone.e164, 'family-visit-stay-moved'],
      [phone.e164, 'family-visit-stay-moved'],
    ]);
    expect(sms[1].body).toBe(
      `P2V Justice : votre visite en parloir familial est déplacée : le 12/12 de 08h30 à 11h30 puis de 13h00 à 16h00. Détails : ${suite.app.url}/uvf`,
    );
    expect(smsLength(sms[1].body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
    expect(
      await queryOne(`SELECT count(*)::int AS n FROM family_visit_events WHERE case_id = $1 AND visible_to_family AND message = $2`, [
        c.caseId,
        line,
      ]),
    ).toEqual({ n: 2 });

    const cancelUrl = `${e.base}/sejours/${id}/annuler`;
    expect((await post(agent, cancelUrl, cancelUrl, { reason: 'Parloir familial fermé pour travaux.' })).status).toBe(303);
    const cancelSms = await query<{ body: string }>(
      `SELECT n.body_text AS body FROM notifications n JOIN notification_recipients nr ON nr.id = n.recipient_id
        WHERE n.entity_id = $1 AND n.channel = 'SMS' AND n.template = 'family-visit-stay-cancelled'`,
      [id],
    );
    expect(cancelSms).toEqual([
      {
        body: `P2V Justice : votre visite en parloir familial du 12/12 à 08h30 est annulée. L'établissement vous proposera une autre date. Détails : ${suite.app.url}/uvf`,
      },
    ]);
    expect(smsLength(cancelSms[0].body)).toMatchObject({ encoding: 'GSM-7', segments: 1 });
  });
});

/** A field's label and its hint, « label — hint ». */
function squashLabel(p: ReturnType<typeof page>, field: string): string {
  const label = p.$(`label[for="${field}"]`);
  const hint = label.find('.fr-hint-text').text().trim();
  return `${label.clone().children().remove().end().text().trim()} — ${hint}`;
}
