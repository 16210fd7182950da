import { query } from './helpers/db';
import { startTestApp, TestApp } from './helpers/app';
import { Agent, csrfOf, signIn, STAFF } from './helpers/sign-in';

let app: TestApp;
let admin: Agent;
beforeAll(async () => {
  app = await startTestApp();
  admin = (await signIn(app.url, STAFF.admin)).agent;
});
afterAll(async () => {
  await app?.stop();
});

const HEADER = 'numero_ecrou;nom;prenom;date_naissance;categorie_penale';

async function upload(code: string, csv: string | Buffer, filename = 'genesis.csv') {
  const form = await admin.get(`/etablissements/${code}/detenus/import`).expect(200);
  return admin
    .post(`/etablissements/${code}/detenus/import`)
    .field('_csrf', csrfOf(form))
    .attach('fichier', Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'), { filename, contentType: 'text/csv' });
}

async function population(code: string) {
  return query(
    `SELECT d.ecrou_number, d.last_name, d.legal_status, d.custody_status, t.code AS transferred_to
       FROM detainees d JOIN establishments e ON e.id = d.establishment_id LEFT JOIN establishments t ON t.id = d.transferred_to_id
      WHERE e.code = $1 ORDER BY d.ecrou_number`,
    [code],
  );
}

describe('import of detainees from a GENESIS export', () => {
  it('reports every bad line with its number and reason, and imports nothing', async () => {
    const before = await population('MASUD');
    const auditBefore = await query(`SELECT count(*)::int AS n FROM audit_log`);
    const csv = [
      HEADER,
      '30001;Nouveau;Jean;01/02/1980;CONDAMNE',
      '30002;;Paul;01/02/1980;CONDAMNE',
      '30003;Ok;Ana;32/01/1990;PREVENU',
    ].join('\n');
    const res = await upload('MASUD', csv);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Rien n’a été importé : 2 ligne(s) à corriger');
    expect(res.text).toMatch(/<td>3<\/td><td>nom manquant<\/td>/);
    expect(res.text).toMatch(/<td>4<\/td><td>date de naissance invalide « 32\/01\/1990 »/);
    expect(await population('MASUD')).toEqual(before);
    expect(await query(`SELECT count(*)::int AS n FROM audit_log`)).toEqual(auditBefore);
  });

  it('upserts by écrou, releases those absent from the file, detects transfers from another establishment', async () => {
    const sud = await population('MASUD');
    const nord = await population('CPNORD');
    const [kept, updated] = sud;
    const [movingRow] = await query(
      `SELECT d.ecrou_number, d.last_name, d.first_name, to_char(d.birth_date, 'DD/MM/YYYY') AS birth, d.legal_status
         FROM detainees d JOIN establishments e ON e.id = d.establishment_id WHERE e.code = 'CPNORD' ORDER BY d.ecrou_number LIMIT 1`,
    );
    const [keptFull] = await query(`SELECT first_name, to_char(birth_date, 'DD/MM/YYYY') AS birth FROM detainees WHERE ecrou_number = $1`, [
      kept.ecrou_number,
    ]);
    const [updFull] = await query(`SELECT first_name, to_char(birth_date, 'DD/MM/YYYY') AS birth FROM detainees WHERE ecrou_number = $1`, [
      updated.ecrou_number,
    ]);
    const csv = [
      HEADER,
      `${kept.ecrou_number};${kept.last_name};${keptFull.first_name};${keptFull.birth};${kept.legal_status}`,
      `${updated.ecrou_number};${updated.last_name};${updFull.first_name};${updFull.birth};${updated.legal_status === 'PREVENU' ? 'CONDAMNE' : 'PREVENU'}`,
      '40001;Nouvelle;Inès;15/06/1995;PREVENUE',
      // The first CPNORD detainee arrives here under a new écrou, name in capitals without accents.
      `40002;${movingRow.last_name.toUpperCase()};${movingRow.first_name.normalize('NFD').replace(/[\u0300-\u036f]/g, '')};${movingRow.birth};${movingRow.legal_status}`,
    ].join('\r\n');
    const res = await upload('MASUD', '\uFEFF' + csv);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Import terminé');
    expect(res.text).toContain('2 personne(s) ajoutée(s)');
    expect(res.text).toContain('1 mise(s) à jour');
    expect(res.text).toContain('1 inchangée(s)');
    expect(res.text).toContain(`${sud.length - 2} sortie(s) de l’établissement`);
    expect(res.text).toContain('1 transfert(s) depuis un autre établissement');

    const after = await population('MASUD');
    expect(after.filter((d) => d.custody_status === 'PRESENT').map((d) => d.ecrou_number)).toEqual(
      [kept.ecrou_number, updated.ecrou_number, '40001', '40002'].sort(),
    );
    expect(after.find((d) => d.ecrou_number === updated.ecrou_number)!.legal_status).not.toBe(updated.legal_status);
    expect(after.filter((d) => d.custody_status === 'LIBERE')).toHaveLength(sud.length - 2);
    const moved = (await population('CPNORD')).find((d) => d.ecrou_number === movingRow.ecrou_number)!;
    expect(moved).toMatchObject({ custody_status: 'TRANSFERE', transferred_to: 'MASUD' });
    expect((await population('CPNORD')).filter((d) => d.custody_status === 'PRESENT')).toHaveLength(nord.length - 1);

    const audit = await query(
      `SELECT action, count(*)::int AS n FROM audit_log WHERE action LIKE 'DETAINEE%' AND actor_type = 'AGENT' GROUP BY action ORDER BY action`,
    );
    expect(audit).toEqual([
      { action: 'DETAINEES_IMPORTED', n: 1 },
      { action: 'DETAINEE_CREATED', n: 2 },
      { action: 'DETAINEE_RELEASED', n: sud.length - 2 },
      { action: 'DETAINEE_TRANSFERRED', n: 1 },
      { action: 'DETAINEE_UPDATED', n: 1 },
    ]);

    const list = await admin.get('/etablissements/CPNORD/detenus?q=' + encodeURIComponent(movingRow.ecrou_number)).expect(200);
    expect(list.text).toContain('Transféré (Maison d’arrêt de Démonstration-Sud)');
  });

  it('refuses a file that is too large, not text, or missing, with a clear message', async () => {
    const big = await upload('MASUD', Buffer.alloc(6 * 1024 * 1024, 'a'));
    expect(big.status).toBe(400);
    expect(big.text).toContain('Le fichier dépasse 5 Mo');
    const binary = await upload('MASUD', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff, 0xfe]), 'programme.csv');
    expect(binary.status).toBe(400);
    expect(binary.text).toContain('n’est pas un texte CSV encodé en UTF-8');
    const form = await admin.get('/etablissements/MASUD/detenus/import').expect(200);
    const none = await admin.post('/etablissements/MASUD/detenus/import').field('_csrf', csrfOf(form));
    expect(none.status).toBe(400);
    expect(none.text).toContain('Choisissez le fichier CSV exporté de GENESIS');
  });

  it('refuses the import without CSRF token and to non-admins', async () => {
    await admin
      .post('/etablissements/MASUD/detenus/import')
      .attach('fichier', Buffer.from(HEADER + '\n1;A;B;01/01/1990;PREVENU'), 'g.csv')
      .expect(403);
    const { agent } = await signIn(app.url, STAFF.permitsSud);
    const page = await agent.get('/etablissements/MASUD/detenus').expect(200);
    expect(page.text).toContain('Personnes détenues');
    await agent.get('/etablissements/MASUD/detenus/import').expect(403);
  });

  it('paginates and searches the list', async () => {
    const res = await admin.get('/etablissements/CPNORD/detenus').expect(200);
    expect(res.text).toContain('30 personnes');
    const searched = await admin.get('/etablissements/CPNORD/detenus?q=zzzz').expect(200);
    expect(searched.text).toContain('Aucune personne trouvée');

    const lines = Array.from({ length: 120 }, (_, i) => `${50000 + i};Nom${String(i).padStart(3, '0')};Prénom;01/01/1990;CONDAMNE`);
    expect((await upload('MASUD', [HEADER, ...lines].join('\n'))).status).toBe(200);
    const first = await admin.get('/etablissements/MASUD/detenus?q=nom').expect(200);
    expect(first.text).toContain('120 personnes pour « nom »');
    expect(first.text).toContain('1 / 3');
    expect(first.text).toContain('href="/etablissements/MASUD/detenus?q=nom&amp;page=2"');
    expect(first.text).toContain('Nom000');
    expect(first.text).not.toContain('Nom050');
    const second = await admin.get('/etablissements/MASUD/detenus?q=nom&page=2').expect(200);
    expect(second.text).toContain('Nom050');
    expect(second.text).not.toContain('Nom000');
  });
});
