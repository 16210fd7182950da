import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { type HtmlPage, page } from './helpers/html';
import { binary, pdfText } from './helpers/permits';
import { signInAgent, type Agent } from './helpers/sign-in';
import { type AgentRow, grantRole, insertAgentElsewhere, insertDetainee, insertEstablishment } from './factories/people';
import { insertContact, insertDevice } from './factories/video-calls';

const suite = appForTests();

/** The file's agents: an activities officer, a head of establishment and a permits officer (no video-call role). */
let officerRow: AgentRow;
let officer: Agent;
let headRow: AgentRow;
let head: Agent;
let permitsRow: AgentRow;
let permits: Agent;
beforeAll(async () => {
  officerRow = await insertAgentElsewhere('ACTIVITIES_OFFICER', { givenName: 'Łukasz', usualName: 'Nguyễn' });
  headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Zoë', usualName: 'Dąbrowska' });
  permitsRow = await insertAgentElsewhere('PERMITS_OFFICER', { givenName: 'Şükrü', usualName: 'Yılmaz' });
  [officer, head, permits] = await Promise.all([
    signInAgent(suite.app.url, officerRow),
    signInAgent(suite.app.url, headRow),
    signInAgent(suite.app.url, permitsRow),
  ]);
});

/** A new establishment (this time zone) with its officer, head and permits officer, and one detainee present. */
async function establishment(timeZone = 'Europe/Paris') {
  const e = await insertEstablishment({ timeZone });
  await query(`UPDATE establishments SET interregional_direction = 'DISP de Lille' WHERE id = $1`, [e.id]);
  await grantRole(officerRow.id, e.id, 'ACTIVITIES_OFFICER');
  await grantRole(headRow.id, e.id, 'HEAD_OF_ESTABLISHMENT');
  await grantRole(permitsRow.id, e.id, 'PERMITS_OFFICER');
  const d = await insertDetainee(e.id, { firstName: 'Łukasz', lastName: 'Nguyễn' });
  return { e, d, record: `/etablissements/${e.code}/visio/detenus/${d.id}`, stats: `/etablissements/${e.code}/visio/statistiques` };
}

/** An access decision, as the record service stores it. */
function decide(
  detaineeId: string,
  agentId: string,
  o: { status: string; motivation: string | null; decidedAt: string; suspendedUntil?: string },
): Promise<{ id: string }> {
  return queryOne<{ id: string }>(
    `INSERT INTO video_call_access (detainee_id, status, suspended_until, motivation, decided_at, decided_by)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [detaineeId, o.status, o.suspendedUntil ?? null, o.motivation, o.decidedAt, agentId],
  );
}

async function letterText(who: Agent, url: string): Promise<string> {
  const res = await who.get(url).buffer(true).parse(binary).expect(200).expect('Content-Type', 'application/pdf');
  return pdfText(res.body as Buffer);
}

/** The cells of the rows marked `data-testid="<id>"`. */
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

describe('video-call access decision letters', () => {
  it('prints the letter of a suspension for the detainee: ground, motivation, dates on the establishment’s clock, signatory and recourse', async () => {
    const { d, record } = await establishment();
    // 23:30 UTC on 23 November is 24 November in Paris; the suspension ends at 1 December 00:00 Paris (until 30 November included).
    const suspension = await decide(d.id, headRow.id, {
      status: 'SUSPENDED',
      motivation: 'Non-respect de la charte d’utilisation — Appel au numéro de كريم حداد, non autorisé',
      decidedAt: '2026-11-23T23:30:00Z',
      suspendedUntil: '2026-11-30T23:00:00Z',
    });
    const restored = await decide(d.id, headRow.id, { status: 'ACTIVE', motivation: null, decidedAt: '2026-11-25T10:00:00Z' });

    const p = page(await officer.get(record).expect(200));
    const links = p
      .testId('access-letter')
      .toArray()
      .map((a) => p.$(a).attr('href'));
    expect(links).toEqual([`${record}/acces/${suspension.id}/lettre.pdf`]);
    expect(cells(p, 'access-decision').map((r) => r[4])).toEqual(['—', 'Lettre de décision (PDF)']);

    const text = await letterText(officer, links[0] as string);
    expect(text).toContain('Objet : Suspension de l’accès aux appels en visiophonie');
    expect(text).toContain('Le 24 novembre 2026');
    expect(text).toContain('À l’attention de Łukasz NGUYỄN, personne détenue');
    expect(text).toContain(
      'Par décision du 24 novembre 2026, votre accès aux appels en visiophonie est suspendu jusqu’au 30 novembre 2026 inclus.',
    );
    expect(text).toContain('Motif : Non-respect de la charte d’utilisation.');
    expect(text).toContain('Motivation : Appel au numéro de كريم حداد, non autorisé');
    expect(text).toContain('par un recours hiérarchique auprès du directeur interrégional des services pénitentiaires (DISP de Lille)');
    expect(text).toContain("En application des dispositions de l'article R. 421-1 du code de justice administrative");
    expect(text).toContain('Zoë DĄBROWSKA, chef d’établissement');
    expect(text).not.toContain('□');
    // A restoration has no letter.
    await head.get(`${record}/acces/${restored.id}/lettre.pdf`).expect(404);
  });

  it('names a signature delegate as signing by delegation on a withdrawal letter, dated on an overseas establishment’s clock', async () => {
    const { e, d, record } = await establishment('America/Cayenne');
    await query(
      `INSERT INTO signature_delegations (establishment_id, agent_id, valid_from, created_by) VALUES ($1, $2, '2026-01-01', $3)`,
      [e.id, officerRow.id, headRow.id],
    );
    // 02:00 UTC on 1 December is still 30 November in Cayenne (UTC−3).
    const withdrawal = await decide(d.id, officerRow.id, {
      status: 'WITHDRAWN',
      motivation: 'Sécurité — Tentative de contact avec un co-auteur',
      decidedAt: '2026-12-01T02:00:00Z',
    });
    const text = await letterText(head, `${record}/acces/${withdrawal.id}/lettre.pdf`);
    expect(text).toContain('Objet : Retrait de l’accès aux appels en visiophonie');
    expect(text).toContain('Par décision du 30 novembre 2026, votre accès aux appels en visiophonie est retiré.');
    expect(text).toContain('Motif : Sécurité.');
    expect(text).toContain('Łukasz NGUYỄN, agent, par délégation du chef d’établissement');
    expect(text).toContain('Vous pouvez contester cette décision de trois façons : par un recours gracieux');
  });

  it('refuses the letter to other roles, to another establishment and for another detainee’s decision', async () => {
    const { d, record } = await establishment();
    const refusal = await decide(d.id, headRow.id, {
      status: 'REFUSED',
      motivation: 'Sécurité — Motif grave',
      decidedAt: '2026-11-20T09:00:00Z',
    });
    const url = `${record}/acces/${refusal.id}/lettre.pdf`;
    await permits.get(url).expect(403);
    const other = await establishment();
    await head.get(`${other.record}/acces/${refusal.id}/lettre.pdf`).expect(404);
    const text = await letterText(head, url);
    expect(text).toContain('Objet : Refus de l’accès aux appels en visiophonie');
    expect(text).toContain('votre accès aux appels en visiophonie est refusé.');
  });
});

describe('video-call statistics', () => {
  it('counts calls booked, held, cancelled, no-show, minutes and euros charged and the quota used, per month on the establishment’s clock', async () => {
    const { e, d, stats } = await establishment();
    const d2 = await insertDetainee(e.id, { firstName: 'محمد', lastName: 'Haddad' });
    const device = await insertDevice(e.id, 'Cabine 1');
    const c1 = await insertContact(d.id, officerRow.id);
    const c2 = await insertContact(d2.id, officerRow.id, { name: 'Karim Haddad', phone: '+33698765432' });
    const book = (detainee: string, contact: string, slot: string, set: string) =>
      query(
        `INSERT INTO video_call_bookings (establishment_id, detainee_id, contact_id, device_id, slot, plan_code, cents_per_minute, connection_cents,
                                          blocked_cents, booked_by, status, duration_seconds, charged_cents, cancelled_at, cancel_reason)
         SELECT $1, $2, $3, $4, $5::tstzrange, 'NONE', 30, 14, 914, $6, s.status, s.duration, s.charged, s.cancelled_at, s.reason
           FROM (SELECT ${set}) s`,
        [e.id, detainee, contact, device.id, slot, officerRow.id],
      );
    const held = (seconds: number, cents: number) =>
      `'HELD'::text AS status, ${seconds} AS duration, ${cents} AS charged, NULL::timestamptz AS cancelled_at, NULL::text AS reason`;
    const cancelled = `'CANCELLED'::text AS status, NULL::int AS duration, NULL::int AS charged, now() AS cancelled_at, 'Transfert'::text AS reason`;
    const noShow = `'NO_SHOW'::text AS status, NULL::int AS duration, NULL::int AS charged, NULL::timestamptz AS cancelled_at, NULL::text AS reason`;
    // October (Paris): d held 12 min 01 s (13 min), d2 held 29 min 59 s (30 min); d2 had a cancelled call too.
    await book(d.id, c1.id, '[2026-10-05 08:00Z,2026-10-05 08:30Z)', held(721, 14 + 13 * 30));
    await book(d2.id, c2.id, '[2026-10-06 08:00Z,2026-10-06 08:30Z)', held(1799, 14 + 30 * 30));
    await book(d2.id, c2.id, '[2026-10-20 08:00Z,2026-10-20 08:30Z)', cancelled);
    // 31 October 23:30 UTC is 1 November 00:30 in Paris: November. d did not come.
    await book(d.id, c1.id, '[2026-10-31 23:30Z,2026-11-01 00:00Z)', noShow);
    // December: outside the period asked.
    await book(d.id, c1.id, '[2026-12-07 08:00Z,2026-12-07 08:30Z)', held(600, 314));

    const p = page(await head.get(`${stats}?du=2026-10-01&au=2026-11-30`).expect(200));
    expect(p.heading()).toBe(`Visio : statistiques — ${e.name}`);
    expect(p.link(`Visio : statistiques (${e.code})`)).toBe(stats);
    expect(cells(p, 'month')).toEqual([
      ['octobre 2026', '3', '2', '1', '0', '43', '13,18', '2 / 2'],
      ['novembre 2026', '1', '0', '0', '1', '0', '0,00', '1 / 1'],
    ]);
    expect(cells(p, 'total')).toEqual([['Total', '4', '2', '1', '1', '43', '13,18', '2 / 2']]);

    const csv = await officer.get(p.link('Télécharger en CSV')).expect(200).expect('Content-Type', 'text/csv; charset=utf-8');
    expect(
      csv.text
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .slice(0, 3),
    ).toEqual([
      'Mois;Appels réservés;Appels tenus;Appels annulés;Absences;Minutes facturées;Montant facturé (€);Personnes détenues ayant appelé;Personnes détenues au quota',
      'octobre 2026;3;2;1;0;43;13,18;2;2',
      'novembre 2026;1;0;0;1;0;0,00;1;1',
    ]);

    const bad = await head.get(`${stats}?du=2026-11-30&au=2026-10-01`).expect(400);
    expect(page(bad).errors()).toEqual(['Au : un jour égal ou postérieur au premier jour']);
    expect(page(bad).value('du')).toBe('2026-11-30');
    await permits.get(stats).expect(403);
  });
});
