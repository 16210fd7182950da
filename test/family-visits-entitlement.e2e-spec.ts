import { query } from './helpers/db';
import { appForTests } from './helpers/app';
import { page } from './helpers/html';
import { type Agent, signInAgent } from './helpers/sign-in';
import { type AgentRow, grantRole, insertAgentElsewhere, insertDetainee, insertEstablishment } from './factories/people';
import { insertUnit } from './factories/family-visits-units';
import { insertDetaineeCase, insertStay } from './factories/family-visits-entitlement';

const suite = appForTests();

/** Monday 15 February 2027, 10:00 in Paris: the current quarter is the 1st of 2027. */
const NOW = '2027-02-15T09:00:00.000Z';

let headRow: AgentRow, spipRow: AgentRow, parloirRow: AgentRow;
let head: Agent, spip: Agent, parloir: Agent;
beforeAll(async () => {
  headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Hélène', usualName: 'Ước' });
  spipRow = await insertAgentElsewhere('SPIP_COUNSELLOR', { givenName: 'Małgorzata', usualName: 'Wójcik' });
  parloirRow = await insertAgentElsewhere('PARLOIR_AGENT', { givenName: 'Thị Lan', usualName: 'Nguyễn' });
  head = await signInAgent(suite.app.url, headRow);
  spip = await signInAgent(suite.app.url, spipRow);
  parloir = await signInAgent(suite.app.url, parloirRow);
  // The worker’s shared app puts its clock back on the system time when it resets for the next file.
  await suite.app.setClock(NOW, { frozen: true });
});

/** A new establishment where the file's head, SPIP counsellor and parloir agent work. */
async function establishment() {
  const e = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź-sur-Loire' });
  await grantRole(headRow.id, e.id, 'HEAD_OF_ESTABLISHMENT');
  await grantRole(spipRow.id, e.id, 'SPIP_COUNSELLOR');
  await grantRole(parloirRow.id, e.id, 'PARLOIR_AGENT');
  return { ...e, dashboard: `/etablissements/${e.code}/uvf/droit-trimestriel`, cases: `/etablissements/${e.code}/uvf/dossiers` };
}

/** The rows of the dashboard, as the head reads them: name, écrou, status, each case's line, last stay. */
function rows(p: ReturnType<typeof page>) {
  return p
    .testId('unmet-row')
    .toArray()
    .map((tr) => {
      const row = p.$(tr);
      const txt = (id: string) => row.find(`[data-testid="${id}"]`).text().replace(/\s+/g, ' ').trim();
      return {
        name: txt('unmet-name'),
        ecrou: txt('unmet-ecrou'),
        status: txt('unmet-legal-status'),
        cases: row
          .find('[data-testid="unmet-case"]')
          .toArray()
          .map((li) => p.$(li).text().replace(/\s+/g, ' ').trim()),
        links: row
          .find('[data-testid="unmet-case-link"]')
          .toArray()
          .map((a) => p.$(a).attr('href')),
        lastStay: txt('unmet-last-stay'),
      };
    });
}

function counts(p: ReturnType<typeof page>) {
  return { asked: p.text('count-asked'), met: p.text('count-met'), unmet: p.text('count-unmet') };
}

describe('the head’s dashboard of the quarterly entitlement (L341-8)', () => {
  it('lists a detainee who asked without a stay as unmet, not one with a stay booked in the quarter, with names in any script', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF Ğ1' });
    const waiting = await insertDetainee(e.id, { firstName: 'يوسف', lastName: 'Ben Ałi', legalStatus: 'PREVENU' });
    const asked = await insertDetaineeCase({ establishmentId: e.id, detaineeId: waiting.id, receivedAt: new Date('2027-01-10T11:00:00Z') });
    const booked = await insertDetainee(e.id, { firstName: 'Łukasz', lastName: 'Wiśniewski' });
    const granted = await insertDetaineeCase({
      establishmentId: e.id,
      detaineeId: booked.id,
      receivedAt: new Date('2026-12-01T11:00:00Z'),
      status: 'GRANTED',
      decidedAt: new Date('2027-01-20T10:00:00Z'),
    });
    await insertStay({ caseId: granted.id, unitId: unit.id, from: new Date('2027-03-05T09:00:00Z') });
    // Refused before the quarter began: no request for this one, so not counted.
    const refusedEarlier = await insertDetainee(e.id, { firstName: 'Şule', lastName: 'Łoś' });
    await insertDetaineeCase({
      establishmentId: e.id,
      detaineeId: refusedEarlier.id,
      receivedAt: new Date('2026-10-01T10:00:00Z'),
      status: 'REFUSED',
      decidedAt: new Date('2026-11-15T10:00:00Z'),
    });

    const p = page(await head.get(e.dashboard).expect(200));
    expect(p.heading()).toContain('Droit trimestriel aux UVF et parloirs familiaux');
    expect(p.text('entitlement-quarter')).toBe('1er trimestre 2027 (en cours)');
    expect(counts(p)).toEqual({ asked: '2', met: '1', unmet: '1' });
    expect(rows(p)).toEqual([
      {
        name: 'يوسف Ben Ałi',
        ecrou: waiting.ecrouNumber,
        status: 'Prévenu (décision du magistrat)',
        cases: [`${asked.reference} (dossier de يوسف Ben Ałi) (UVF) — En instruction — reçue le 10 janvier 2027, il y a 36 jours`],
        links: [`${e.cases}/${asked.id}`],
        lastStay: 'Aucun',
      },
    ]);
    expect(p.mainText()).not.toContain('Wiśniewski');
    expect(p.mainText()).not.toContain('Łoś');
    // The link leads to the case file.
    await head.get(`${e.cases}/${asked.id}`).expect(200);
  });

  it('gives each request’s state as the reason: granted not placed, refused, implicit rejection, at the magistrate', async () => {
    const e = await establishment();
    const d = await insertDetainee(e.id, { firstName: 'Zofia', lastName: 'Łukasiewicz' });
    const at = (day: string) => new Date(`${day}T10:00:00Z`);
    const cases = [
      await insertDetaineeCase({
        establishmentId: e.id,
        detaineeId: d.id,
        receivedAt: at('2026-11-20'),
        status: 'GRANTED',
        decidedAt: at('2027-01-05'),
      }),
      await insertDetaineeCase({
        establishmentId: e.id,
        detaineeId: d.id,
        receivedAt: at('2026-12-01'),
        status: 'REFUSED',
        decidedAt: at('2027-01-06'),
      }),
      await insertDetaineeCase({
        establishmentId: e.id,
        detaineeId: d.id,
        receivedAt: at('2026-12-02'),
        status: 'IMPLICITLY_REJECTED',
        decidedAt: at('2027-02-02'),
      }),
      await insertDetaineeCase({
        establishmentId: e.id,
        detaineeId: d.id,
        receivedAt: at('2027-01-03'),
        status: 'REFERRED',
        caseStatus: 'REFERRED',
      }),
      // Withdrawn: no request at all.
      await insertDetaineeCase({ establishmentId: e.id, detaineeId: d.id, receivedAt: at('2027-01-04'), status: 'WITHDRAWN' }),
    ];
    const p = page(await spip.get(e.dashboard).expect(200));
    expect(counts(p)).toEqual({ asked: '1', met: '0', unmet: '1' });
    const [row] = rows(p);
    expect(row.cases.map((c) => c.split(' — ')[1])).toEqual([
      'Accordée, non encore placée',
      'Refusée',
      'Rejet implicite (2 mois sans réponse)',
      'Transmise au magistrat',
    ]);
    expect(row.links).toEqual(cases.slice(0, 4).map((c) => `${e.cases}/${c.id}`));
  });

  it('a request received in December and honoured in January counts for January’s quarter, the previous quarter stays unmet', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { kind: 'PF', name: 'PF Ağaç', capacity: 3 });
    const d = await insertDetainee(e.id, { firstName: 'محمد', lastName: 'Al-Łukasz' });
    const c = await insertDetaineeCase({
      establishmentId: e.id,
      detaineeId: d.id,
      kind: 'PF',
      receivedAt: new Date('2026-12-20T10:00:00Z'),
      status: 'GRANTED',
      decidedAt: new Date('2027-01-05T10:00:00Z'),
    });
    await insertStay({ caseId: c.id, unitId: unit.id, from: new Date('2027-01-20T09:00:00Z'), hours: 6, status: 'ENDED' });

    const q1 = page(await head.get(e.dashboard).expect(200));
    expect(counts(q1)).toEqual({ asked: '1', met: '1', unmet: '0' });
    expect(q1.text('unmet-empty')).toBe('Aucune personne détenue dont le droit n’est pas satisfait.');

    const q4 = page(await head.get(`${e.dashboard}?trimestre=2026-T4`).expect(200));
    expect(q4.text('entitlement-quarter')).toBe('4e trimestre 2026');
    expect(q4.value('trimestre')).toBe('2026-T4');
    expect(counts(q4)).toEqual({ asked: '1', met: '0', unmet: '1' });
    expect(rows(q4)).toEqual([
      expect.objectContaining({
        name: 'محمد Al-Łukasz',
        cases: [
          `${c.reference} (dossier de محمد Al-Łukasz) (PF) — Accordée, séjour placé après ce trimestre le 20 janvier 2027 — reçue le 20 décembre 2026, il y a 57 jours`,
        ],
        lastStay: '20 janvier 2027',
      }),
    ]);
  });

  it('refuses in French a quarter that is not one, not begun or too old, and shows the current one', async () => {
    const e = await establishment();
    for (const [asked, message] of [
      [
        '2027-T9',
        'Le trimestre demandé n’est pas reconnu : choisissez-le dans la liste (par exemple 2026-T4). Le trimestre en cours est affiché.',
      ],
      [
        '<b>x</b>',
        'Le trimestre demandé n’est pas reconnu : choisissez-le dans la liste (par exemple 2026-T4). Le trimestre en cours est affiché.',
      ],
      ['2027-T2', 'Le 2e trimestre 2027 n’a pas encore commencé. Le trimestre en cours est affiché.'],
      ['2024-T4', 'Le tableau remonte au plus au 2e trimestre 2025 (les 8 derniers trimestres). Le trimestre en cours est affiché.'],
    ]) {
      const res = await head.get(`${e.dashboard}?trimestre=${encodeURIComponent(asked)}`).expect(400);
      const p = page(res);
      expect(p.errors()).toEqual([message]);
      expect(p.fieldError('trimestre')).toBe(message);
      expect(p.text('entitlement-quarter')).toBe('1er trimestre 2027 (en cours)');
    }
    const choices = page(await head.get(e.dashboard).expect(200));
    expect(
      choices
        .$('#trimestre option')
        .toArray()
        .map((o) => choices.$(o).attr('value')),
    ).toEqual(['2027-T1', '2026-T4', '2026-T3', '2026-T2', '2026-T1', '2025-T4', '2025-T3', '2025-T2']);
  });

  it('pages the unmet detainees, the longest waiting first, and keeps the quarter in the page links', async () => {
    const e = await establishment();
    for (let i = 0; i < 26; i++) {
      const d = await insertDetainee(e.id, { firstName: 'Ngọc', lastName: `Łazarz ${String(i).padStart(2, '0')}` });
      await insertDetaineeCase({ establishmentId: e.id, detaineeId: d.id, receivedAt: new Date(Date.UTC(2027, 0, 1 + i, 10)) });
    }
    const first = page(await head.get(e.dashboard).expect(200));
    expect(counts(first)).toEqual({ asked: '26', met: '0', unmet: '26' });
    expect(rows(first).map((r) => r.name)).toHaveLength(25);
    expect(rows(first)[0].name).toBe('Ngọc Łazarz 00');
    const next = first.$('a.fr-pagination__link--next').attr('href');
    expect(next).toBe(`${e.dashboard}?trimestre=2027-T1&page=2`);
    const second = page(await head.get(next!).expect(200));
    expect(rows(second).map((r) => r.name)).toEqual(['Ngọc Łazarz 25']);
  });

  it('never shows another establishment’s detainee nor one released, and that establishment’s head gets 403 on this one', async () => {
    const e = await establishment();
    const other = await insertEstablishment();
    const otherHeadRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Gül', usualName: 'Yılmaz' });
    await grantRole(otherHeadRow.id, other.id, 'HEAD_OF_ESTABLISHMENT');
    const otherHead = await signInAgent(suite.app.url, otherHeadRow);
    const ours = await insertDetainee(e.id, { firstName: 'Ewa', lastName: 'Łęcka' });
    await insertDetaineeCase({ establishmentId: e.id, detaineeId: ours.id, receivedAt: new Date('2027-01-12T10:00:00Z') });
    const theirs = await insertDetainee(other.id, { firstName: 'Zbigniew', lastName: 'Ćwik' });
    const theirCase = await insertDetaineeCase({
      establishmentId: other.id,
      detaineeId: theirs.id,
      receivedAt: new Date('2027-01-12T10:00:00Z'),
    });
    const released = await insertDetainee(e.id, { firstName: 'Oğuz', lastName: 'Çelik' });
    await insertDetaineeCase({ establishmentId: e.id, detaineeId: released.id, receivedAt: new Date('2027-01-05T10:00:00Z') });
    await query(`UPDATE detainees SET custody_status = 'LIBERE', left_at = '2027-02-01T10:00:00Z' WHERE id = $1`, [released.id]);

    const p = page(await head.get(e.dashboard).expect(200));
    expect(rows(p).map((r) => r.name)).toEqual(['Ewa Łęcka']);
    expect(counts(p)).toEqual({ asked: '1', met: '0', unmet: '1' });
    expect(p.mainText()).not.toContain('Ćwik');
    expect(p.mainText()).not.toContain('Çelik');
    // The other establishment's head: its own dashboard shows its own detainee, ours is refused.
    await otherHead.get(e.dashboard).expect(403);
    const theirPage = page(await otherHead.get(`/etablissements/${other.code}/uvf/droit-trimestriel`).expect(200));
    expect(rows(theirPage).map((r) => r.name)).toEqual(['Zbigniew Ćwik']);
    // Their case file is not ours to open.
    await head.get(`${e.cases}/${theirCase.id}`).expect(404);
  });

  it('the SPIP counsellor and the head read it from the menu, a parloir agent gets 403 and no menu link', async () => {
    const e = await establishment();
    for (const who of [head, spip]) {
      const home = page(await who.get('/agents').expect(200));
      const links = home
        .$(`a[href="${e.dashboard}"]`)
        .toArray()
        .map((a) => home.$(a).text().trim());
      expect(links).toEqual([`Droit trimestriel UVF / PF (${e.code})`]);
      await who.get(e.dashboard).expect(200);
    }
    await parloir.get(e.dashboard).expect(403);
    const home = page(await parloir.get('/agents').expect(200));
    expect(home.$(`a[href="${e.dashboard}"]`).length).toBe(0);
  });
});

describe('the case file shows the detainee’s quarterly entitlement', () => {
  it('says « non satisfait ce trimestre » without a stay and « satisfait » with a stay booked in the quarter, with the last stay', async () => {
    const e = await establishment();
    const unit = await insertUnit(e.id, { name: 'UVF Łąka' });
    const d = await insertDetainee(e.id, { firstName: 'ليلى', lastName: 'Łukasik' });
    const c = await insertDetaineeCase({ establishmentId: e.id, detaineeId: d.id, receivedAt: new Date('2027-01-10T11:00:00Z') });
    const earlier = await insertDetaineeCase({
      establishmentId: e.id,
      detaineeId: d.id,
      receivedAt: new Date('2026-09-01T10:00:00Z'),
      status: 'GRANTED',
      decidedAt: new Date('2026-10-01T10:00:00Z'),
    });
    await insertStay({ caseId: earlier.id, unitId: unit.id, from: new Date('2026-11-14T09:00:00Z'), status: 'ENDED_EARLY' });

    let file = page(await spip.get(`${e.cases}/${c.id}`).expect(200));
    expect(file.text('case-entitlement-line')).toBe(
      'Droit trimestriel (article L341-8) : non satisfait ce trimestre (1er trimestre 2027).',
    );
    expect(file.text('case-entitlement-last-stay')).toBe('Dernier séjour en UVF ou parloir familial : le 14 novembre 2026.');
    let board = page(await head.get(e.dashboard).expect(200));
    expect(rows(board).map((r) => [r.name, r.lastStay])).toEqual([['ليلى Łukasik', '14 novembre 2026']]);

    // A second authorisation booked for 5 March: met this quarter, on the file and on the dashboard.
    const booked = await insertDetaineeCase({
      establishmentId: e.id,
      detaineeId: d.id,
      receivedAt: new Date('2027-01-02T10:00:00Z'),
      status: 'GRANTED',
      decidedAt: new Date('2027-02-01T10:00:00Z'),
    });
    await insertStay({ caseId: booked.id, unitId: unit.id, from: new Date('2027-03-05T09:00:00Z') });
    file = page(await head.get(`${e.cases}/${c.id}`).expect(200));
    expect(file.text('case-entitlement-line')).toBe(
      'Droit trimestriel (article L341-8) : satisfait ce trimestre (1er trimestre 2027), séjour prévu le 5 mars 2027.',
    );
    expect(file.text('case-entitlement-last-stay')).toBe('Dernier séjour en UVF ou parloir familial : le 14 novembre 2026.');
    expect(file.text('case-detainee')).toBe(`ليلى Łukasik (écrou ${d.ecrouNumber})`);
    board = page(await head.get(e.dashboard).expect(200));
    expect(counts(board)).toEqual({ asked: '1', met: '1', unmet: '0' });
  });
});
