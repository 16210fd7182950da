import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type CsvPermit, permitsCsv, zipOf } from './factories/permit-imports';
import {
  insertAgent,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type DetaineeRow,
  type EstablishmentRow,
} from './factories/people';
import { insertPermit, photoJpeg } from './factories/permits';
import { query, queryOne } from './helpers/db';
import { type HtmlPage, page } from './helpers/html';
import { filesIn, permitsApp } from './helpers/permits';
import { type Agent, signInAgent, signInFamily } from './helpers/sign-in';

const suite = permitsApp();

let establishment: EstablishmentRow;
let condamne: DetaineeRow;
let prevenu: DetaineeRow;
let greffe: Agent;
let chef: Agent;
let elsewhereGreffe: Agent;
let elsewhere: EstablishmentRow;
let photo: Buffer;
let chefId: string;
let base: string;

beforeAll(async () => {
  establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź' });
  elsewhere = await insertEstablishment();
  base = `/etablissements/${establishment.code}/permis/import`;
  condamne = await insertDetainee(establishment.id, { firstName: 'Şükrü', lastName: 'Țurcanu', legalStatus: 'CONDAMNE' });
  prevenu = await insertDetainee(establishment.id, { firstName: 'محمد', lastName: 'Haddad', legalStatus: 'PREVENU' });
  const greffeRow = await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }], {
    givenName: 'Ștefan',
    usualName: 'Popescu',
  });
  const chefRow = await insertAgent([{ establishmentId: establishment.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
    givenName: 'Zofia',
    usualName: 'Łukasiewicz',
  });
  const elsewhereRow = await insertAgent([{ establishmentId: elsewhere.id, role: 'PERMITS_OFFICER' }], {
    givenName: 'Gül',
    usualName: 'Yılmaz',
  });
  chefId = chefRow.id;
  greffe = await signInAgent(suite.app.url, greffeRow);
  chef = await signInAgent(suite.app.url, chefRow);
  elsewhereGreffe = await signInAgent(suite.app.url, elsewhereRow);
  photo = await photoJpeg(200);
});

/** Uploads the CSV and the ZIP through the import form; the answer (303 to the preview, or the form again). */
async function upload(who: Agent, csv: string | Buffer, zip: Buffer, at = base) {
  const form = page(await who.get(at).expect(200));
  return who
    .post(at)
    .field('_csrf', form.csrf())
    .attach('csv', Buffer.isBuffer(csv) ? csv : Buffer.from(csv, 'utf8'), { filename: 'permis.csv', contentType: 'text/csv' })
    .attach('photos', zip, { filename: 'photos.zip', contentType: 'application/zip' });
}

async function previewOf(who: Agent, csv: string, zip: Buffer): Promise<{ url: string; preview: HtmlPage }> {
  const res = await upload(who, csv, zip);
  if (res.status !== 303) throw new Error(`Upload answered ${res.status}: ${page(res).errors().join(' / ')}`);
  const url = String(res.headers.location);
  return { url, preview: page(await who.get(url).expect(200)) };
}

/** An upload the form refuses (400): the form again, with its errors. */
async function refused(csv: string, zip: Buffer): Promise<HtmlPage> {
  const res = await upload(greffe, csv, zip);
  expect(res.status).toBe(400);
  return page(res);
}

function photosFor(lines: CsvPermit[]): Buffer {
  return zipOf(Object.fromEntries(lines.map((l) => [`${l.number}.jpg`, photo])));
}

function rowsOf(p: HtmlPage, id: string): string[][] {
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

function importId(url: string): string {
  return url.split('/').pop()!;
}

async function permitsOfImport(id: string) {
  return query<{ id: string; visitorGivenName: string; visitorFamilyName: string; claimCode: string | null; photo: string | null }>(
    `SELECT id, visitor_given_name AS "visitorGivenName", visitor_family_name AS "visitorFamilyName", claim_code AS "claimCode",
            photo_document_id AS photo
       FROM permits WHERE import_id = $1 ORDER BY visitor_family_name, visitor_given_name`,
    [id],
  );
}

/**
 * Applies a preview, then waits for the background run to end (reading its status in the database,
 * not hammering the page), and opens the import's page once.
 */
async function applyAndWait(who: Agent, url: string): Promise<{ final: HtmlPage; progress: number[] }> {
  const preview = page(await who.get(url).expect(200));
  await who.post(`${url}/appliquer`).type('form').send({ _csrf: preview.csrf() }).expect(303);
  const progress: number[] = [];
  for (let i = 0; i < 600; i++) {
    const row = await queryOne<{ status: string; processed: number }>(
      `SELECT status, processed_rows AS processed FROM permit_imports WHERE id = $1`,
      [importId(url)],
    );
    if (row.status !== 'RUNNING') return { final: page(await who.get(url).expect(200)), progress };
    progress.push(row.processed);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('The import did not finish');
}

describe('bulk import of existing permits', () => {
  it('previews a file with a rejected line: the line number and the reason are shown first, nothing is created, it cannot be applied', async () => {
    const lines: CsvPermit[] = [
      { number: 1, familyName: 'Wałęsa', givenName: 'Łucja', ecrou: condamne.ecrouNumber },
      { number: 2, familyName: 'Benali', givenName: 'Amina', ecrou: 'INCONNU99' },
      { number: 3, familyName: 'Nguyễn', givenName: 'Lan', ecrou: condamne.ecrouNumber, birthdate: '31/02/1990' },
    ];
    const { url, preview } = await previewOf(greffe, permitsCsv(lines), photosFor(lines));
    expect(preview.heading()).toBe('Aperçu de l’import des permis');
    expect(preview.text('count-total')).toBe('3');
    expect(preview.text('count-rejected')).toBe('2');
    const rejected = rowsOf(preview, 'line-rejected');
    expect(rejected.map((r) => r[0])).toEqual(['3', '4']);
    expect(rejected[0][6]).toContain('aucune personne détenue présente dans l’établissement n’a le numéro d’écrou INCONNU99');
    expect(rejected[1][6]).toContain('date de naissance invalide « 31/02/1990 »');
    expect(rowsOf(preview, 'line-ok')).toEqual([
      ['2', 'Łucja Wałęsa', '14 mars 1988', `${condamne.ecrouNumber} (Şükrü Țurcanu)`, 'Papier', '1.jpg', 'Sera créé'],
    ]);
    expect(preview.has('import-blocked')).toBe(true);
    expect(preview.has('apply')).toBe(false);
    const refused = await greffe.post(`${url}/appliquer`).type('form').send({ _csrf: preview.csrf() });
    expect(refused.status).toBe(409);
    expect(await permitsOfImport(importId(url))).toEqual([]);
    expect((await queryOne<{ status: string }>(`SELECT status FROM permit_imports WHERE id = $1`, [importId(url)])).status).toBe('PREVIEW');
  });

  it('detects duplicates within the file and of an existing permit (a withdrawn one aside), and a paper permit for a prévenu', async () => {
    await insertPermit({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      visitorGivenName: 'Amina',
      visitorFamilyName: 'Benali',
      visitorBirthdate: '1988-03-14',
    });
    await insertPermit({
      establishmentId: establishment.id,
      detaineeId: condamne.id,
      visitorGivenName: 'Karim',
      visitorFamilyName: 'Benali',
      visitorBirthdate: '1988-03-14',
      status: 'WITHDRAWN',
    });
    const lines: CsvPermit[] = [
      { number: 1, familyName: 'BENALI', givenName: 'amina', ecrou: condamne.ecrouNumber },
      { number: 2, familyName: 'Benali', givenName: 'Karim', ecrou: condamne.ecrouNumber },
      { number: 3, familyName: 'Nguyễn-Şahin', givenName: 'Łucja', ecrou: condamne.ecrouNumber },
      { number: 4, familyName: 'NGUYEN SAHIN', givenName: 'Łucja', ecrou: condamne.ecrouNumber },
      { number: 5, familyName: 'Haddad', givenName: 'Sara', ecrou: prevenu.ecrouNumber, origin: 'PAPIER' },
      {
        number: 6,
        familyName: 'Haddad',
        givenName: 'Yanis',
        ecrou: prevenu.ecrouNumber,
        origin: 'MAGISTRAT',
        authority: 'Juge d’instruction, TJ de Lille',
      },
    ];
    const { preview } = await previewOf(greffe, permitsCsv(lines), photosFor(lines));
    const reasons = Object.fromEntries(rowsOf(preview, 'line-rejected').map((r) => [r[0], r[6]]));
    expect(Object.keys(reasons)).toEqual(['2', '5', '6']);
    expect(reasons['2']).toContain('doublon : ce visiteur a déjà un permis pour cette personne détenue');
    expect(reasons['5']).toContain('doublon : même visiteur et même personne détenue qu’à la ligne 4');
    expect(reasons['6']).toContain('personne prévenue : le permis est délivré par le magistrat (origine MAGISTRAT)');
    expect(rowsOf(preview, 'line-ok').map((r) => r[0])).toEqual(['3', '4', '7']);
  });

  it('rejects a line whose visitor is named by a no-contact order in force on the detainee (M3)', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Ayşe', lastName: 'Łęcka' });
    await query(
      `INSERT INTO no_contact_orders (detainee_id, person_given_name, person_family_name, person_birthdate, source, authority, recorded_by)
       VALUES ($1, 'Lucja', 'Walesa', '1988-03-14', 'JUDICIAL_RECORD', 'Tribunal judiciaire de Łódź', $2)`,
      [detainee.id, chefId],
    );
    const lines: CsvPermit[] = [
      { number: 1, familyName: 'Wałęsa', givenName: 'Łucja', ecrou: detainee.ecrouNumber },
      { number: 2, familyName: 'Wałęsa', givenName: 'Jan', ecrou: detainee.ecrouNumber },
    ];
    const { preview } = await previewOf(greffe, permitsCsv(lines), photosFor(lines));
    const reasons = Object.fromEntries(rowsOf(preview, 'line-rejected').map((r) => [r[0], r[6]]));
    expect(Object.keys(reasons)).toEqual(['2']);
    expect(reasons['2']).toContain('interdiction d’entrer en relation en vigueur');
    expect(rowsOf(preview, 'line-ok').map((r) => r[0])).toEqual(['3']);
    expect(preview.has('apply')).toBe(false);
  });

  it('checks every photo by its content: missing, not an image, too small', async () => {
    const lines: CsvPermit[] = [
      { number: 1, familyName: 'A', givenName: 'Ana', ecrou: condamne.ecrouNumber },
      { number: 2, familyName: 'B', givenName: 'Bo', ecrou: condamne.ecrouNumber },
      { number: 3, familyName: 'C', givenName: 'Cé', ecrou: condamne.ecrouNumber },
      { number: 4, familyName: 'D', givenName: 'Dé', ecrou: condamne.ecrouNumber, reference: 'PAP-0004' },
    ];
    const zip = zipOf({ 'photos/2.jpg': Buffer.from('not an image at all'), '3.png': await photoJpeg(50), 'PAP-0004.JPG': photo });
    const { preview } = await previewOf(greffe, permitsCsv(lines), zip);
    const reasons = Object.fromEntries(rowsOf(preview, 'line-rejected').map((r) => [r[0], r[6]]));
    expect(reasons['2']).toContain('photo manquante : ajoutez 1.jpg au fichier ZIP');
    expect(reasons['3']).toContain('photo photos/2.jpg refusée : le fichier n’est pas une image JPEG ou PNG');
    expect(reasons['4']).toContain('photo 3.png refusée : l’image est trop petite : au moins 200 × 200 pixels');
    expect(rowsOf(preview, 'line-ok').map((r) => [r[0], r[5]])).toEqual([['5', 'PAP-0004.JPG']]);
  });

  it('refuses a file that is not a ZIP, a ZIP of too many files, and a CSV without its columns, on the form', async () => {
    const csv = permitsCsv([{ number: 1, familyName: 'A', givenName: 'Ana', ecrou: condamne.ecrouNumber }]);
    const notZip = await refused(csv, Buffer.from('PK nothing'));
    expect(notZip.fieldError('photos')).toBe('Le fichier n’est pas un ZIP lisible.');
    const many = Object.fromEntries(Array.from({ length: 5001 }, (_, i) => [`x${i}.txt`, Buffer.from('x')]));
    const bomb = await refused(csv, zipOf(many));
    expect(bomb.fieldError('photos')).toBe('Le fichier ZIP contient plus de 5000 fichiers.');
    const noColumns = await refused('nom;prenom\nA;B', zipOf({ '1.jpg': photo }));
    expect(noColumns.fieldError('csv')).toMatch(/^Colonnes manquantes dans l’en-tête \(ligne 1\) : ligne, date_naissance/);
  });

  it('imports 1,000 permits with their photos in the background, with progress, all at once and audited once', async () => {
    const detainees = [condamne, ...(await Promise.all(Array.from({ length: 9 }, () => insertDetainee(establishment.id))))];
    const given = ['Łucja', 'أمينة', 'Thị Lan', 'Ștefan', 'Zoë'];
    const lines: CsvPermit[] = Array.from({ length: 1000 }, (_, i) => ({
      number: i + 1,
      familyName: `Visiteur-${String(i + 1).padStart(4, '0')}`,
      givenName: given[i % given.length],
      ecrou: detainees[i % detainees.length].ecrouNumber,
      origin: i % 10 === 0 ? 'MAGISTRAT' : 'PAPIER',
      relationship: i % 2 ? 'FRIEND' : 'Frère ou sœur',
      maxVisits: i % 7 === 0 ? '12' : '',
      room: i % 11 === 0 ? 'SEPARATION' : '',
      reference: `PAP-${i + 1}`,
    }));
    const started = Date.now();
    const { url, preview } = await previewOf(greffe, permitsCsv(lines), photosFor(lines));
    const previewed = Date.now();
    expect(preview.text('count-ok')).toBe('1000');
    expect(preview.text('count-rejected')).toBe('0');
    expect(preview.text('apply')).toBe('Importer 1000 permis');
    const { final, progress } = await applyAndWait(chef, url);
    const finished = Date.now();
    // Measured, not asserted: printed for the record.
    process.stdout.write(`1,000-permit import: preview ${previewed - started} ms, import ${finished - previewed} ms\n`);
    // processed_rows only grows while the photos are written.
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(final.text('import-done')).toContain('1000 permis créés');
    expect(final.testId('created-permit').length).toBe(50);
    const id = importId(url);
    const permits = await permitsOfImport(id);
    expect(permits).toHaveLength(1000);
    expect(new Set(permits.map((p) => p.claimCode)).size).toBe(1000);
    expect(permits.every((p) => p.photo && /^[A-HJ-NP-Z2-9]{12}$/.test(p.claimCode ?? ''))).toBe(true);
    const stats = await queryOne<{ magistrate: number; review: number; separation: number; limited: number; siblings: number }>(
      `SELECT count(*) FILTER (WHERE origin = 'MAGISTRATE')::int AS magistrate, count(*) FILTER (WHERE head_review_due)::int AS review,
              count(*) FILTER (WHERE room_condition = 'SEPARATION')::int AS separation, count(*) FILTER (WHERE max_visits = 12)::int AS limited,
              count(*) FILTER (WHERE relationship = 'SIBLING')::int AS siblings
         FROM permits WHERE import_id = $1`,
      [id],
    );
    expect(stats).toEqual({ magistrate: 100, review: 100, separation: 91, limited: 143, siblings: 500 });
    const audit = await query<{ after: unknown }>(`SELECT after FROM audit_log WHERE action = 'PERMITS_IMPORTED' AND entity_id = $1`, [id]);
    expect(audit).toEqual([{ after: { permits: 1000, paper: 900, magistrate: 100 } }]);
    const row = await queryOne<{ status: string; createdPermits: number }>(
      `SELECT status, created_permits AS "createdPermits" FROM permit_imports WHERE id = $1`,
      [id],
    );
    expect(row).toEqual({ status: 'DONE', createdPermits: 1000 });
    // The staged ZIP is gone; 1,000 photos are in the encrypted store.
    expect(existsSync(join(suite.docs.dir, 'imports', id.slice(0, 2), id))).toBe(false);
    const stored = await query<{ key: string }>(
      `SELECT d.storage_key AS key FROM permit_documents d JOIN permits p ON p.photo_document_id = d.id WHERE p.import_id = $1`,
      [id],
    );
    expect(stored.filter((d) => existsSync(join(suite.docs.dir, d.key.slice(0, 2), d.key)))).toHaveLength(1000);
    // A name outside Latin-1 survives up to the permit's page.
    const arabic = permits.find((p) => p.visitorGivenName === 'أمينة')!;
    const permitPage = page(await greffe.get(`/etablissements/${establishment.code}/permis/${arabic.id}`).expect(200));
    expect(permitPage.mainText()).toContain(`أمينة ${arabic.visitorFamilyName.toUpperCase()}`);
  }, 180_000);

  it('leaves nothing when the import fails: a permit recorded meanwhile for the same visitor makes it fail, files deleted', async () => {
    const detainee = await insertDetainee(establishment.id, { firstName: 'Ewa', lastName: 'Żak' });
    const lines: CsvPermit[] = [
      { number: 1, familyName: 'Kowalczyk', givenName: 'Łucja', ecrou: detainee.ecrouNumber },
      { number: 2, familyName: 'بن علي', givenName: 'أمينة', ecrou: detainee.ecrouNumber },
    ];
    const { url } = await previewOf(greffe, permitsCsv(lines), photosFor(lines));
    const before = filesIn(suite.docs.dir).filter((f) => !f.includes('/imports/')).length;
    await insertPermit({
      establishmentId: establishment.id,
      detaineeId: detainee.id,
      visitorGivenName: 'أمينة',
      visitorFamilyName: 'بن علي',
      visitorBirthdate: '1988-03-14',
    });
    const { final } = await applyAndWait(greffe, url);
    expect(final.text('import-error')).toContain(
      'Ligne 3 : doublon : ce visiteur a déjà un permis pour cette personne détenue depuis l’aperçu. Importez le fichier de nouveau.',
    );
    expect(await permitsOfImport(importId(url))).toEqual([]);
    expect(filesIn(suite.docs.dir).filter((f) => !f.includes('/imports/')).length).toBe(before);
    const id = importId(url);
    expect(existsSync(join(suite.docs.dir, 'imports', id.slice(0, 2), id))).toBe(false);
  });

  it('shows the progress of a running import, refreshing itself', async () => {
    const lines: CsvPermit[] = [{ number: 1, familyName: 'Wiśniewska', givenName: 'Zuzanna', ecrou: condamne.ecrouNumber }];
    const { url } = await previewOf(greffe, permitsCsv(lines), photosFor(lines));
    await query(`UPDATE permit_imports SET status = 'RUNNING', total_rows = 1000, processed_rows = 412 WHERE id = $1`, [importId(url)]);
    const res = await greffe.get(url).expect(200);
    expect(res.headers.refresh).toBe('2');
    expect(page(res).heading()).toBe('Import des permis en cours');
    expect(page(res).text('import-progress')).toBe('412 / 1000');
    await query(`UPDATE permit_imports SET status = 'CANCELLED' WHERE id = $1`, [importId(url)]);
  });

  it('a preview older than 24 hours cannot be launched any more', async () => {
    const lines: CsvPermit[] = [{ number: 1, familyName: 'Dąbrowska', givenName: 'Zofia', ecrou: condamne.ecrouNumber }];
    const { url, preview } = await previewOf(greffe, permitsCsv(lines), photosFor(lines));
    await suite.app.setClock(new Date(Date.now() + 25 * 3600_000));
    try {
      const late = await greffe.post(`${url}/appliquer`).type('form').send({ _csrf: preview.csrf() }).expect(409);
      expect(page(late).mainText()).toContain('son aperçu a plus de 24 heures');
    } finally {
      await suite.app.resetClock();
    }
    expect(await permitsOfImport(importId(url))).toEqual([]);
  });

  it('another establishment’s agent gets 404 for the import, and 403 on this establishment’s pages', async () => {
    const lines: CsvPermit[] = [{ number: 1, familyName: 'Łukasiewicz', givenName: 'Ola', ecrou: condamne.ecrouNumber }];
    const { url } = await previewOf(greffe, permitsCsv(lines), photosFor(lines));
    const id = importId(url);
    await elsewhereGreffe.get(`/etablissements/${elsewhere.code}/permis/import/${id}`).expect(404);
    const own = page(await elsewhereGreffe.get(`/etablissements/${elsewhere.code}/permis/import`).expect(200));
    await elsewhereGreffe
      .post(`/etablissements/${elsewhere.code}/permis/import/${id}/appliquer`)
      .type('form')
      .send({ _csrf: own.csrf() })
      .expect(404);
    await elsewhereGreffe.get(url).expect(403);
    expect((await queryOne<{ status: string }>(`SELECT status FROM permit_imports WHERE id = $1`, [id])).status).toBe('PREVIEW');
  });

  it('a family or another establishment’s agent posting files to the import gets 403 and nothing is recorded; a CSV over 2 MB is refused', async () => {
    const imports = async () =>
      (await queryOne<{ n: string }>(`SELECT count(*) AS n FROM permit_imports WHERE establishment_id = $1`, [establishment.id])).n;
    const before = await imports();
    const lines: CsvPermit[] = [{ number: 1, familyName: 'Łukasiewicz', givenName: 'Ola', ecrou: condamne.ecrouNumber }];
    const familyRow = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    const family = await signInFamily(suite.app.url, familyRow);
    const familyPage = page(await family.get('/demandes').expect(200));
    const otherPage = page(await elsewhereGreffe.get(`/etablissements/${elsewhere.code}/permis/import`).expect(200));
    for (const [who, csrf] of [
      [family, familyPage.csrf()],
      [elsewhereGreffe, otherPage.csrf()],
    ] as const) {
      await who
        .post(base)
        .field('_csrf', csrf)
        .attach('csv', Buffer.from(permitsCsv(lines), 'utf8'), { filename: 'permis.csv', contentType: 'text/csv' })
        .attach('photos', photosFor(lines), { filename: 'photos.zip', contentType: 'application/zip' })
        .expect(403);
    }
    expect(await imports()).toBe(before);
    const big = await upload(greffe, Buffer.alloc(2 * 1024 * 1024 + 1, 'a'), photosFor(lines));
    expect(big.status).toBe(400);
    expect(page(big).fieldError('csv')).toBe('Le fichier CSV dépasse 2 Mo : découpez-le.');
    expect(await imports()).toBe(before);
  });

  it('refuses an upload or an apply without the CSRF token, and creates nothing', async () => {
    const lines: CsvPermit[] = [{ number: 1, familyName: 'Ćwik', givenName: 'Ida', ecrou: condamne.ecrouNumber }];
    const before = await queryOne<{ n: number }>(`SELECT count(*)::int AS n FROM permit_imports WHERE establishment_id = $1`, [
      establishment.id,
    ]);
    await greffe
      .post(base)
      .attach('csv', Buffer.from(permitsCsv(lines)), 'permis.csv')
      .attach('photos', photosFor(lines), 'photos.zip')
      .expect(403);
    expect(await queryOne(`SELECT count(*)::int AS n FROM permit_imports WHERE establishment_id = $1`, [establishment.id])).toEqual(before);
    const { url } = await previewOf(greffe, permitsCsv(lines), photosFor(lines));
    await greffe.post(`${url}/appliquer`).type('form').send({}).expect(403);
    expect((await queryOne<{ status: string }>(`SELECT status FROM permit_imports WHERE id = $1`, [importId(url)])).status).toBe('PREVIEW');
  });

  it('the import page is linked from the permits queue, lists recent imports, and an abandoned preview loses its ZIP', async () => {
    const queue = page(await greffe.get(`/etablissements/${establishment.code}/permis/demandes`).expect(200));
    expect(queue.link('Importer les permis existants')).toBe(base);
    const lines: CsvPermit[] = [{ number: 1, familyName: 'Öztürk', givenName: 'Gül', ecrou: condamne.ecrouNumber }];
    const { url, preview } = await previewOf(greffe, permitsCsv(lines), photosFor(lines));
    const id = importId(url);
    expect(existsSync(join(suite.docs.dir, 'imports', id.slice(0, 2), id))).toBe(true);
    await greffe.post(`${url}/abandonner`).type('form').send({ _csrf: preview.csrf() }).expect(303);
    expect(existsSync(join(suite.docs.dir, 'imports', id.slice(0, 2), id))).toBe(false);
    const form = page(await greffe.get(base).expect(200));
    expect(form.texts('recent-imports').join(' ')).toContain('abandonné');
  });
});
