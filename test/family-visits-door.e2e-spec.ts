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
let agent: Agent;
beforeAll(async () => {
  adminRow = await insertAgentElsewhere('ADMIN', { givenName: 'Oğuz', usualName: 'Çelik' });
  headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Hélène', usualName: 'Ước' });
  agentRow = await insertAgentElsewhere('PARLOIR_AGENT', { givenName: 'Zofia', usualName: 'Kowalczyk' });
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

function book(base: string, caseId: string, fields: { unitId: string; day: string; time: string }, who = agent) {
  return post(who, `${base}/reserver/${caseId}`, `${base}/reserver/${caseId}`, fields);
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
