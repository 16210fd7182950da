import { formatInTimeZone } from 'date-fns-tz';
import { query } from './helpers/db';
import { startTestApp, TestApp } from './helpers/app';
import { Agent, csrfOf, signIn, STAFF } from './helpers/sign-in';

const HEADER = 'date_visite;heure_debut;heure_fin;parloir;numero_ecrou;nom_visiteur;prenom_visiteur;date_naissance_visiteur';
const [Y, M, D] = formatInTimeZone(new Date(), 'Europe/Paris', 'yyyy-MM-dd').split('-');
const TODAY = `${D}/${M}/${Y}`;

let app: TestApp;
let agent: Agent;
let ecrou: string;

beforeAll(async () => {
  app = await startTestApp();
  agent = (await signIn(app.url, STAFF.parloirNord)).agent;
  // The detainee Camille holds a digital permit for (Camille Martin, born 1988-03-14 in the demo).
  [{ ecrou_number: ecrou }] = await query(
    `SELECT d.ecrou_number FROM permits p JOIN detainees d ON d.id = p.detainee_id WHERE p.family_account_id IS NOT NULL LIMIT 1`,
  );
});
afterAll(async () => {
  await app?.stop();
});

async function upload(csv: string | Buffer) {
  const form = await agent.get('/etablissements/CPNORD/parloir/import').expect(200);
  return agent
    .post('/etablissements/CPNORD/parloir/import')
    .field('_csrf', csrfOf(form))
    .attach('fichier', Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'), { filename: 'visites.csv', contentType: 'text/csv' });
}

describe('import of the daily visit list exported from GENESIS', () => {
  it('documents the expected columns on the page', async () => {
    const page = await agent.get('/etablissements/CPNORD/parloir/import').expect(200);
    for (const c of HEADER.split(';')) expect(page.text).toContain(`<code>${c}</code>`);
  });

  it('matches detainees and permits, flags visitors without a digital permit, rejects bad lines, and can be imported twice', async () => {
    const [camille] = await query(
      `SELECT visitor_family_name AS family, visitor_given_name AS given, to_char(visitor_birthdate, 'DD/MM/YYYY') AS birth FROM permits WHERE family_account_id IS NOT NULL LIMIT 1`,
    );
    const csv = [
      HEADER,
      `${TODAY};18:00;19:00;Parloir familles 1;${ecrou};${camille.family.toUpperCase()};${camille.given};${camille.birth}`,
      `${TODAY};18:00;19:00;Parloir familles 1;${ecrou};Inconnu;Paul;01/01/1990`,
      `${TODAY};18:00;19:00;Parloir inexistant;10015;Durand;Léa;01/01/1991`,
      `${TODAY};18:00;19:00;Parloir familles 1;999999;Durand;Léa;01/01/1991`,
      `${TODAY};25:00;19:00;Parloir familles 1;10015;Durand;Léa;01/01/1991`,
    ].join('\n');
    const first = await upload(csv);
    expect(first.status).toBe(200);
    expect(first.text).toContain('1 visite(s) ajoutée(s)');
    expect(first.text).toContain('1 visiteur(s) sans permis numérique correspondant');
    expect(first.text).toMatch(/<td>3<\/td><td>Paul INCONNU<\/td>/);
    expect(first.text).toContain('3 ligne(s) refusée(s)');
    expect(first.text).toMatch(/<td>4<\/td><td>parloir « Parloir inexistant » inconnu/);
    expect(first.text).toMatch(/<td>5<\/td><td>aucune personne détenue présente n’a le numéro d’écrou 999999<\/td>/);
    expect(first.text).toMatch(/<td>6<\/td><td>heure de début invalide « 25:00 »/);

    const [visit] = await query(
      `SELECT v.id, v.channel, v.status FROM visits v JOIN detainees d ON d.id = v.detainee_id WHERE d.ecrou_number = $1 AND v.channel = 'GENESIS'`,
      [ecrou],
    );
    expect(visit).toMatchObject({ channel: 'GENESIS', status: 'BOOKED' });
    const visitors = await query(
      `SELECT permit_id IS NOT NULL AS matched, family_name FROM visit_visitors WHERE visit_id = $1 ORDER BY matched DESC`,
      [visit.id],
    );
    expect(visitors).toEqual([
      { matched: true, family_name: null },
      { matched: false, family_name: 'Inconnu' },
    ]);

    // The arrival check works the same on an imported visit; the unmatched visitor is flagged.
    const page = await agent.get(`/etablissements/CPNORD/parloir/visites/${visit.id}`).expect(200);
    expect(page.text).toContain('Sans permis numérique (visite importée de GENESIS) : vérifiez le permis papier.');
    const [unmatched] = await query(`SELECT id FROM visit_visitors WHERE visit_id = $1 AND permit_id IS NULL`, [visit.id]);
    await agent
      .post(`/etablissements/CPNORD/parloir/visites/${visit.id}/visiteurs/${unmatched.id}`)
      .type('form')
      .send({ _csrf: csrfOf(page), status: 'ARRIVED' })
      .expect(303);
    expect(await query(`SELECT status FROM visits WHERE id = $1`, [visit.id])).toEqual([{ status: 'IN_PROGRESS' }]);

    const again = await upload(csv);
    expect(again.text).toContain('0 visite(s) ajoutée(s)');
    expect(again.text).toContain('1 visite(s) déjà dans P2V');
    expect(await query(`SELECT count(*)::int AS n FROM visits WHERE channel = 'GENESIS'`)).toEqual([{ n: 1 }]);
    expect(await query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'VISITS_IMPORTED'`)).toEqual([{ n: 2 }]);
  });

  it('refuses a file without the expected columns or not in UTF-8, saying why', async () => {
    const wrong = await upload('date;parloir\n01/01/2026;X');
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Colonnes manquantes dans l’en-tête : date_visite, heure_debut');
    const latin1 = await upload(Buffer.from(`${HEADER}\n${TODAY};18:00;19:00;Parloir familles 1;${ecrou};Léa;Dé;01/01/1990`, 'latin1'));
    expect(latin1.status).toBe(400);
    expect(latin1.text).toContain('Le fichier n’est pas un texte CSV encodé en UTF-8');
  });

  it('is for the visiting-room agents of the establishment', async () => {
    const other = (await signIn(app.url, STAFF.permitsSud)).agent;
    await other.get('/etablissements/CPNORD/parloir/import').expect(403);
  });
});
