import { formatInTimeZone } from 'date-fns-tz';
import { addMonths } from '../src/common/months';
import { insertAgent, insertDetainee, insertEstablishment, insertFamily, type EstablishmentRow, unique } from './factories/people';
import { insertPermitRequest } from './factories/permits';
import { at, insertRoom, insertVisit, PARIS } from './factories/visits';
import { appForTests } from './helpers/app';
import { query, queryOne, serverUrl, testDatabaseUrl, withClient } from './helpers/db';
import { type HtmlPage, page } from './helpers/html';
import { runNode } from './helpers/processes';
import { type Agent, signIn, signInAgent, STAFF } from './helpers/sign-in';

/**
 * The DAP's national view and the directions' (issue #15): figures per establishment and month, computed
 * by the app from the requests and visits, read by the people who hold the view and no one else.
 */
const suite = appForTests();

const thisMonth = formatInTimeZone(new Date(), PARIS, 'yyyy-MM');
const lastMonth = addMonths(thisMonth, -1);
const REFRESH_LOCK = 0x70327673;

async function analyst(grant: 'NATIONAL' | 'TOULOUSE'): Promise<Agent> {
  const who = await insertAgent([], { givenName: 'Aurélie', usualName: grant === 'NATIONAL' ? 'Nguyễn' : 'Łukasiewicz' });
  await query(`INSERT INTO oversight_assignments (agent_id, scope, direction) VALUES ($1, $2, $3)`, [
    who.id,
    grant === 'NATIONAL' ? 'NATIONAL' : 'INTERREGIONAL',
    grant === 'NATIONAL' ? null : grant,
  ]);
  return signInAgent(suite.app.url, who);
}

async function establishmentIn(direction: string, name: string): Promise<EstablishmentRow> {
  const e = await insertEstablishment({ name });
  await query(`UPDATE establishments SET direction = $2 WHERE id = $1`, [e.id, direction]);
  return e;
}

/** Recomputes the figures the way a user does (the button), waiting if the hourly job is on it. */
async function refresh(who: Agent): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const form = page(await who.get('/pilotage').expect(200));
    const res = await who.post('/pilotage/actualiser').type('form').send({ _csrf: form.csrf() }).expect(303);
    if (res.headers.location === '/pilotage?actualise=fait') return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('The figures could not be recomputed');
}

/** The cells of a row (its header cell first). */
function row(p: HtmlPage, selector: string): string[] {
  return p
    .$(selector)
    .first()
    .find('th, td')
    .toArray()
    .map((c) => p.$(c).text().replace(/\s+/g, ' ').trim());
}

/** A day of `month` at a local time, on the Paris clock. */
const on = (month: string, day: number, time = '10:00') => at(`${month}-${String(day).padStart(2, '0')}`, time);

let t1: EstablishmentRow;
let t2: EstablishmentRow;
let r1: EstablishmentRow;

beforeAll(async () => {
  t1 = await establishmentIn('TOULOUSE', `Centre pénitentiaire de Łódź-Toulouse ${unique()}`);
  t2 = await establishmentIn('TOULOUSE', `=Maison d’arrêt de Şanlıurfa ${unique()}`);
  r1 = await establishmentIn('RENNES', `Centre de détention de Rennes ${unique()}`);
  const family = await insertFamily({ givenName: 'Łucja', familyName: 'محمد' });
  // T1, this month: 500 detainees besides those of the visits and requests below.
  await query(
    `INSERT INTO detainees (establishment_id, ecrou_number, last_name, first_name, birth_date, legal_status)
     SELECT $1, 'P' || g, 'Nguyễn', 'Ştefan', '1980-01-01', 'CONDAMNE' FROM generate_series(1, 500) g`,
    [t1.id],
  );
  const d = await insertDetainee(t1.id, { firstName: 'Łukasz', lastName: 'Şahin' });
  const request = (status: 'SUBMITTED' | 'GRANTED' | 'REFUSED' | 'IMPLICITLY_REJECTED', completeDay: number, decidedDay?: number) =>
    insertPermitRequest({
      familyAccountId: family.id,
      establishmentId: t1.id,
      detaineeId: d.id,
      status,
      submittedAt: on(thisMonth, completeDay),
      completeAt: on(thisMonth, completeDay),
      decidedAt: decidedDay ? on(thisMonth, decidedDay) : null,
    });
  // Received this month: 3 (the decided ones below were received last month). Decided: 2 granted (4 and 6
  // days), 1 refused (2 days), 1 implicitly rejected; explicit delays 4, 6, 2: 4,0 days on average.
  await request('SUBMITTED', 1);
  await request('SUBMITTED', 2);
  await request('SUBMITTED', 3);
  for (const [status, days] of [
    ['GRANTED', 4],
    ['GRANTED', 6],
    ['REFUSED', 2],
  ] as const) {
    const r = await request(status, 1, 1 + days);
    await query(`UPDATE permit_requests SET submitted_at = $2, complete_at = $3 WHERE id = $1`, [
      r.id,
      on(lastMonth, 20),
      on(thisMonth, 1),
    ]);
  }
  const implicit = await request('IMPLICITLY_REJECTED', 1, 8);
  await query(`UPDATE permit_requests SET submitted_at = $2, complete_at = $2 WHERE id = $1`, [implicit.id, on(lastMonth, 8)]);

  // T1's visits this month: held with two visitors checked 2 minutes apart, held with one, no one came,
  // cancelled, refused at the door (another day), booked online ahead.
  const room = await insertRoom(t1.id);
  const visit = async (day: number, status: string, channel: 'PHONE' | 'ONLINE', checks?: [string, string]) => {
    const who = await insertDetainee(t1.id, { firstName: 'Ayşe', lastName: 'Trần' });
    const v = await insertVisit({
      establishmentId: t1.id,
      roomId: room.id,
      detaineeId: who.id,
      startsAt: on(thisMonth, day, '14:00'),
      channel,
    });
    await query(`UPDATE visits SET status = $2, first_check_at = $3, last_check_at = $4 WHERE id = $1`, [
      v.id,
      status,
      checks ? on(thisMonth, day, checks[0]) : null,
      checks ? on(thisMonth, day, checks[1]) : null,
    ]);
  };
  await visit(10, 'DONE', 'PHONE', ['13:50', '13:52']);
  await visit(10, 'DONE', 'PHONE', ['13:55', '13:55']);
  await visit(10, 'NO_SHOW', 'PHONE');
  await visit(10, 'CANCELLED', 'PHONE');
  await visit(11, 'REFUSED', 'PHONE', ['13:40', '13:40']);
  await visit(12, 'BOOKED', 'ONLINE');

  // T2, last month: one grant 10 days after the complete request, one visit no one came to.
  const d2 = await insertDetainee(t2.id, { firstName: 'Ngọc', lastName: 'Lê' });
  const r2 = await insertPermitRequest({
    familyAccountId: family.id,
    establishmentId: t2.id,
    detaineeId: d2.id,
    status: 'GRANTED',
    submittedAt: on(lastMonth, 3),
    completeAt: on(lastMonth, 3),
    decidedAt: on(lastMonth, 13),
  });
  expect(r2.status).toBe('GRANTED');
  const room2 = await insertRoom(t2.id);
  const v2 = await insertVisit({ establishmentId: t2.id, roomId: room2.id, detaineeId: d2.id, startsAt: on(lastMonth, 15, '09:00') });
  await query(`UPDATE visits SET status = 'NO_SHOW' WHERE id = $1`, [v2.id]);
}, 60_000);

describe('the national view (DAP)', () => {
  it('shows the demo’s agent of the DISP de Lille the demo establishment’s figures, computed with the demo data', async () => {
    const { agent: disp } = await signIn(suite.app.url, STAFF.dispNord);
    const p = page(await disp.get('/pilotage').expect(200));
    expect(p.heading()).toBe('Pilotage — DISP de Lille');
    expect(
      p
        .$('[data-testid="establishment-row"]')
        .toArray()
        .map((r) => p.$(r).attr('data-code')),
    ).toEqual(['CPNORD']);
    expect(p.text('computed-at')).toMatch(/^Chiffres calculés le \d{1,2} \S+ \d{4} à \d{2}:\d{2}/);
    expect(Number(row(p, '[data-code="CPNORD"]')[9])).toBeGreaterThan(0); // visits booked
  });

  it('shows each establishment’s permit delays and outcomes, bookings, absences, check times and hours saved, and their total', async () => {
    const dap = await analyst('NATIONAL');
    await refresh(dap);
    const p = page(await dap.get(`/pilotage?du=${lastMonth}&au=${thisMonth}&direction=TOULOUSE`).expect(200));
    expect(p.heading()).toBe('Pilotage — France entière');
    expect(p.link('Pilotage')).toBe('/pilotage');
    expect(
      p
        .$('[data-testid="establishment-row"]')
        .toArray()
        .map((r) => p.$(r).attr('data-code')),
    ).toEqual(expect.arrayContaining([t1.code, t2.code]));
    expect(p.$('[data-testid="establishment-row"]').length).toBe(2);
    // Detainees, received, decisions, granted, refused, implicit, delay, booked, online, absences, check, hours.
    expect(row(p, `[data-code="${t1.code}"]`)).toEqual([
      expect.stringContaining('Łódź-Toulouse'),
      'DISP de Toulouse',
      '507',
      '7',
      '4',
      '50,0 %',
      '25,0 %',
      '25,0 %',
      '4,0 j',
      '5',
      '20,0 %',
      '25,0 %',
      '2 min 00 s',
      '2 h', // 2 days checked × 1 h 30 × 507 / 1,000 = 1.5 h
    ]);
    expect(row(p, `[data-code="${t2.code}"]`).slice(2)).toEqual([
      '1',
      '1',
      '1',
      '100,0 %',
      '0,0 %',
      '0,0 %',
      '10,0 j',
      '1',
      '0,0 %',
      '100,0 %',
      '—',
      '0 h',
    ]);
    expect(row(p, '[data-testid="total-row"]').slice(1)).toEqual([
      'DISP de Toulouse',
      '508',
      '8',
      '5',
      '60,0 %',
      '20,0 %',
      '20,0 %',
      '5,5 j',
      '6',
      '16,7 %',
      '40,0 %',
      '2 min 00 s',
      '2 h',
    ]);
    // Month by month: last month's requests and T2's, this month T1's.
    expect(p.$('[data-testid="month-row"]').length).toBe(2);
    expect(row(p, '[data-testid="month-row"]:nth-child(2)').slice(3, 9)).toEqual(['4', '50,0 %', '25,0 %', '25,0 %', '4,0 j', '5']);

    const csv = await dap.get(p.link('Télécharger le tableau par établissement (CSV)')).expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="pilotage-TOULOUSE-${lastMonth}-${thisMonth}.csv"`);
    const lines = csv.text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'Code;Établissement;Direction;Personnes détenues;Demandes de permis reçues;Décisions;Taux d’accord (%);Taux de refus (%);' +
        'Taux de rejet implicite (%);Délai moyen de décision (jours);Visites réservées;Réservées en ligne (%);Taux d’absence (%);' +
        'Durée moyenne de contrôle (s);Heures d’agent gagnées sur le papier',
    );
    expect(lines).toContain(`${t1.code};${t1.name};DISP de Toulouse;507;7;4;50;25;25;4;5;20;25;120;1,5`);
    // A name a spreadsheet would run as a formula is written as text.
    expect(lines).toContain(`${t2.code};'${t2.name};DISP de Toulouse;1;1;1;100;0;0;10;1;0;100;;0`);
    expect(lines.filter((l) => l !== '')).toHaveLength(4);
    const months = await dap.get(p.link('Télécharger le tableau mois par mois (CSV)')).expect(200);
    expect(months.text.replace(/^\uFEFF/, '').split('\r\n')[2]).toBe(`${thisMonth};508;3;4;50;25;25;4;5;20;25;120;1,5`);

    // One establishment, month by month.
    const one = page(await dap.get(p.link(t1.name)).expect(200));
    expect(one.heading()).toBe(`${t1.name} — DISP de Toulouse`);
    expect(row(one, '[data-testid="month-row"]').slice(1, 4)).toEqual(['507', '4', '0']);
    expect(row(one, '[data-testid="months-total"]').slice(2, 6)).toEqual(['7', '4', '50,0 %', '25,0 %']);
  });

  it('shows a direction only its establishments, and tells nothing of the others', async () => {
    const disp = await analyst('TOULOUSE');
    const p = page(await disp.get('/pilotage').expect(200));
    expect(p.heading()).toBe('Pilotage — DISP de Toulouse');
    const codes = p
      .$('[data-testid="establishment-row"]')
      .toArray()
      .map((r) => p.$(r).attr('data-code'));
    expect(codes).toEqual(expect.arrayContaining([t1.code, t2.code]));
    expect(codes).not.toContain(r1.code);
    expect(p.$('#direction').length).toBe(0); // one direction: nothing to choose
    await disp.get(`/pilotage/etablissements/${r1.code}`).expect(404);
    await disp.get(`/pilotage/etablissements/INCONNU`).expect(404);
    await disp.get(`/pilotage/etablissements/${t1.code}`).expect(200);
    const other = await disp.get('/pilotage?direction=RENNES').expect(400);
    expect(page(other).errors()).toEqual(['Direction : choisissez une direction de la liste']);
    const csv = await disp.get(`/pilotage?du=${lastMonth}&au=${thisMonth}&format=csv`).expect(200);
    expect(csv.text).toContain(t1.code);
    expect(csv.text).not.toContain(r1.code);
  });

  it('refuses a wrong period in French, keeping what was typed', async () => {
    const dap = await analyst('NATIONAL');
    const wrong = await dap.get('/pilotage?du=2026-13&au=').expect(400);
    expect(page(wrong).errors()).toEqual(['Du : un mois valide, par exemple 2026-01 (année-mois)']);
    expect(page(wrong).value('du')).toBe('2026-13');
    const reversed = page(await dap.get(`/pilotage?du=${thisMonth}&au=${lastMonth}`).expect(400));
    expect(reversed.errors()).toEqual(['Au : un mois égal ou postérieur au premier mois']);
    const future = page(await dap.get(`/pilotage?au=${addMonths(thisMonth, 1)}`).expect(400));
    expect(future.errors()[0]).toContain('le mois en cours');
    await dap.get(`/pilotage/etablissements/${t1.code}?du=${thisMonth}&au=${lastMonth}`).expect(400);
  });

  it('pages the establishments 50 at a time, the total covering them all', async () => {
    await query(
      `INSERT INTO establishments (code, name, kind, direction)
       SELECT $1 || g, 'Maison d’arrêt n° ' || lpad(g::text, 2, '0') || ' de Bordeaux-Ştefan', 'MAISON_ARRET', 'BORDEAUX' FROM generate_series(1, 51) g`,
      [unique('B').slice(-8)],
    );
    const dap = await analyst('NATIONAL');
    await refresh(dap);
    const first = page(await dap.get('/pilotage?direction=BORDEAUX').expect(200));
    expect(first.$('[data-testid="establishment-row"]').length).toBe(50);
    expect(first.mainText()).toContain('51 établissement(s)');
    const second = page(await dap.get(first.link('Page suivante')).expect(200));
    expect(second.$('[data-testid="establishment-row"]').length).toBe(1);
    expect(row(second, '[data-testid="establishment-row"]')[0]).toContain('n° 51');
    expect(second.has('total-row')).toBe(true);
  });

  it('lets an agent holding only the view sign in to it, and to nothing of an establishment', async () => {
    const dap = await analyst('NATIONAL');
    const home = page(await dap.get('/agents').expect(200));
    expect(home.text('dashboard-oversight')).toContain('France entière');
    await dap.get(`/etablissements/${t1.code}/detenus`).expect(403);
    await dap.get(`/etablissements/${t1.code}/permis/demandes`).expect(403);
  });
});

describe('npm run oversight', () => {
  it('gives a view to an agent (registering them), takes it back, both audit-logged; the session follows at once', async () => {
    const email = `${unique('disp-').toLowerCase()}@justice.gouv.fr`;
    const env = { PATH: process.env.PATH, DATABASE_URL: testDatabaseUrl() };
    const wrong = await runNode('dist/scripts/oversight.js', ['grant', `--email=${email}`, '--direction=ATLANTIS'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.output).toContain('unknown direction: ATLANTIS');
    const args = ['--given-name=Łucja', '--family-name=Şahin-محمد'];
    const granted = await runNode('dist/scripts/oversight.js', ['grant', `--email=${email}`, '--direction=toulouse', ...args], env);
    expect(granted.code).toBe(0);
    expect(granted.output).toContain(`${email} now reads the view of DISP de Toulouse.`);

    const who = await signInAgent(suite.app.url, { givenName: 'Łucja', usualName: 'Şahin-محمد', email });
    expect(page(await who.get('/pilotage').expect(200)).heading()).toBe('Pilotage — DISP de Toulouse');
    const revoked = await runNode('dist/scripts/oversight.js', ['revoke', `--email=${email}`, '--direction=TOULOUSE'], env);
    expect(revoked.code).toBe(0);
    await who.get('/pilotage').expect(403);

    const audit = await query<{ action: string; after: unknown; before: unknown }>(
      `SELECT action, after, before FROM audit_log WHERE entity_type IN ('agent', 'oversight_assignment')
          AND (after->>'email' = $1 OR after->>'agent' = $1 OR before->>'agent' = $1) ORDER BY id`,
      [email],
    );
    expect(audit.map((a) => a.action)).toEqual(['AGENT_REGISTERED', 'OVERSIGHT_GRANTED', 'AGENT_ACCOUNT_LINKED', 'OVERSIGHT_REVOKED']);
    expect(audit[1].after).toEqual({ agent: email, scope: 'INTERREGIONAL', direction: 'TOULOUSE' });
    const { n } = await queryOne<{ n: number }>(
      `SELECT count(*)::int AS n FROM oversight_assignments o JOIN agents a ON a.id = o.agent_id WHERE a.email = $1`,
      [email],
    );
    expect(n).toBe(0);
  });
});

// On PostgreSQL (not on the embedded one, a single session where the lock is always its own).
(serverUrl() ? describe : describe.skip)('the figures recomputed by one instance at a time', () => {
  it('tells the user a recomputation is under way elsewhere rather than run a second one', async () => {
    const dap = await analyst('NATIONAL');
    await withClient(async (c) => {
      await c.query('SELECT pg_advisory_lock($1)', [REFRESH_LOCK]);
      try {
        const form = page(await dap.get('/pilotage').expect(200));
        const res = await dap.post('/pilotage/actualiser').type('form').send({ _csrf: form.csrf() }).expect(303);
        expect(res.headers.location).toBe('/pilotage?actualise=occupe');
        expect(page(await dap.get(res.headers.location).expect(200)).text('refresh-busy')).toContain('Un recalcul est déjà en cours');
      } finally {
        await c.query('SELECT pg_advisory_unlock($1)', [REFRESH_LOCK]);
      }
    });
    await refresh(dap);
  });
});
