import { genesisCsv, genesisLine, GENESIS_HEADER, insertBookedVisit, insertTransferProposal } from './factories/detainees';
import { insertAgent, insertDetainee, insertEstablishment, type EstablishmentRow, type StaffRole } from './factories/people';
import { appForTests } from './helpers/app';
import { confirmGenesis, importGenesis, previewGenesis } from './helpers/genesis-import';
import { query, queryOne } from './helpers/db';
import { page } from './helpers/html';
import { type Agent, signInAgent } from './helpers/sign-in';

const suite = appForTests();

/** An establishment of its own and one of its agents, signed in (names outside Latin-1, as on the pages). */
async function establishmentWith(role: StaffRole = 'ADMIN', who = { givenName: 'Łucja', usualName: 'Nguyễn-Şahin' }) {
  const establishment = await insertEstablishment();
  const agent = await insertAgent([{ establishmentId: establishment.id, role }], who);
  return { establishment, agent, http: await signInAgent(suite.app.url, agent) };
}

/** Previews then imports (the mass-release box ticked when asked): the report, or the preview's refusal. */
function upload(http: Agent, code: string, csv: string | Buffer, filename = 'genesis.csv') {
  return importGenesis(http, code, csv, { filename });
}

interface PopulationRow {
  id: string;
  ecrouNumber: string;
  lastName: string;
  firstName: string;
  legalStatus: string;
  custodyStatus: string;
  transferredTo: string | null;
}

function population(establishment: EstablishmentRow): Promise<PopulationRow[]> {
  return query<PopulationRow>(
    `SELECT d.id, d.ecrou_number AS "ecrouNumber", d.last_name AS "lastName", d.first_name AS "firstName", d.legal_status AS "legalStatus",
            d.custody_status AS "custodyStatus", t.code AS "transferredTo"
       FROM detainees d LEFT JOIN establishments t ON t.id = d.transferred_to_id
      WHERE d.establishment_id = $1 ORDER BY d.ecrou_number`,
    [establishment.id],
  );
}

const reviewOf = (visitId: string) =>
  queryOne<{ reviewReason: string | null }>(`SELECT review_reason AS "reviewReason" FROM visits WHERE id = $1`, [visitId]);

/**
 * Establishment B holds a person with a visit booked; an administrator of establishment A imports a
 * file with a new line copying that person's names and birth date (capitals, no accents).
 */
/** Each test's person is someone else (a birth date of their own): a match is by names and birth date. */
let people = 0;

async function personHeldElsewhereImportedAtA() {
  const a = await establishmentWith('ADMIN', { givenName: 'محمد', usualName: 'Ţepeş' });
  const b = await establishmentWith('ADMIN', { givenName: 'Ştefan', usualName: 'Łukasiewicz' });
  const birthDate = `1990-04-${String(10 + ++people).padStart(2, '0')}`;
  const person = await insertDetainee(b.establishment.id, { lastName: 'Nguyễn-Lê', firstName: 'Élodie', birthDate });
  const visit = await insertBookedVisit(b.establishment.id, person.id);
  const res = await upload(
    a.http,
    a.establishment.code,
    genesisCsv([genesisLine({ ...person, ecrouNumber: '40002', lastName: 'NGUYEN-LE', firstName: 'Elodie' })]),
  );
  expect(res.status).toBe(200);
  return { a, b, person, visit, report: page(res) };
}

describe('import of detainees from a GENESIS export', () => {
  it('reports every bad line with its number and reason, and imports nothing', async () => {
    const { establishment, agent, http } = await establishmentWith();
    await insertDetainee(establishment.id, { ecrouNumber: '1001' });
    const before = await population(establishment);
    const csv = genesisCsv([
      '30001;Nouveau;Jean;01/02/1980;CONDAMNE',
      '30002;;Paul;01/02/1980;CONDAMNE',
      '30003;Ok;Ana;32/01/1990;PREVENU',
    ]);
    const res = await upload(http, establishment.code, csv);
    expect(res.status).toBe(422);
    const report = page(res);
    expect(report.text('import-title')).toBe('Rien n’a été importé : 2 ligne(s) à corriger');
    expect(report.texts('import-error-line')).toEqual(['3', '4']);
    expect(report.texts('import-error-message')[0]).toBe('nom manquant');
    expect(report.texts('import-error-message')[1]).toMatch(/^date de naissance invalide « 32\/01\/1990 »/);
    expect(await population(establishment)).toEqual(before);
    expect(await query(`SELECT 1 FROM audit_log WHERE actor_id = $1 AND action LIKE 'DETAINEE%'`, [agent.id])).toEqual([]);
  });

  it('upserts by écrou and releases those absent from the file, audited with the agent’s name', async () => {
    const { establishment, agent, http } = await establishmentWith();
    const kept = await insertDetainee(establishment.id, { ecrouNumber: '1001', lastName: 'Şahin', firstName: 'Ayşe' });
    const updated = await insertDetainee(establishment.id, { ecrouNumber: '1002', lastName: 'Popescu', legalStatus: 'PREVENU' });
    await insertDetainee(establishment.id, { ecrouNumber: '1003' });
    await insertDetainee(establishment.id, { ecrouNumber: '1004' });
    const csv = genesisCsv(
      [
        genesisLine(kept),
        genesisLine({ ...updated, legalStatus: 'CONDAMNE' }),
        '40001;Nouvelle;Inès;15/06/1995;PREVENUE',
        '40002;Nguyễn;Łucja;01/03/1988;CONDAMNEE',
      ],
      '\r\n',
    );
    const res = await upload(http, establishment.code, '\uFEFF' + csv);
    expect(res.status).toBe(200);
    const report = page(res);
    expect(report.text('import-title')).toBe('Import terminé : genesis.csv');
    expect(report.texts('report-line')).toEqual([
      '2 personne(s) ajoutée(s)',
      '1 mise(s) à jour',
      '1 inchangée(s)',
      '2 sortie(s) de l’établissement (absentes du fichier)',
    ]);

    const after = await population(establishment);
    expect(after.filter((d) => d.custodyStatus === 'PRESENT').map((d) => d.ecrouNumber)).toEqual(['1001', '1002', '40001', '40002']);
    expect(after.find((d) => d.ecrouNumber === '1002')!.legalStatus).toBe('CONDAMNE');
    expect(after.filter((d) => d.custodyStatus === 'LIBERE').map((d) => d.ecrouNumber)).toEqual(['1003', '1004']);

    const audit = await query<{ action: string; actorType: string; actorLabel: string; n: number }>(
      `SELECT action, actor_type AS "actorType", actor_label AS "actorLabel", count(*)::int AS n FROM audit_log
        WHERE actor_id = $1 AND action LIKE 'DETAINEE%' GROUP BY 1, 2, 3 ORDER BY 1`,
      [agent.id],
    );
    const by = { actorType: 'AGENT', actorLabel: 'Łucja Nguyễn-Şahin' };
    expect(audit).toEqual([
      { action: 'DETAINEES_IMPORTED', n: 1, ...by },
      { action: 'DETAINEES_IMPORT_PREVIEWED', n: 1, ...by },
      { action: 'DETAINEE_CREATED', n: 2, ...by },
      { action: 'DETAINEE_RELEASED', n: 2, ...by },
      { action: 'DETAINEE_UPDATED', n: 1, ...by },
    ]);

    const list = page(await http.get(`/etablissements/${establishment.code}/detenus?q=40002`).expect(200));
    expect(list.texts('detainee-last-name')).toEqual(['Nguyễn']);
  });

  it('refuses a file that is too large, not text, or missing, with a clear message', async () => {
    const { establishment, http } = await establishmentWith();
    const big = await upload(http, establishment.code, Buffer.alloc(6 * 1024 * 1024, 'a'));
    expect(big.status).toBe(400);
    expect(page(big).fieldError('fichier')).toBe('Le fichier dépasse 5 Mo.');
    const binary = await upload(http, establishment.code, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0xff, 0xfe]), 'programme.csv');
    expect(binary.status).toBe(400);
    expect(page(binary).fieldError('fichier')).toBe('Le fichier n’est pas un texte CSV encodé en UTF-8');
    const form = await http.get(`/etablissements/${establishment.code}/detenus/import`).expect(200);
    const none = await http.post(`/etablissements/${establishment.code}/detenus/import`).field('_csrf', page(form).csrf());
    expect(none.status).toBe(400);
    expect(page(none).fieldError('fichier')).toBe('Choisissez le fichier CSV exporté de GENESIS');
    expect(await population(establishment)).toEqual([]);
  });

  it('refuses the import without CSRF token and to non-admins', async () => {
    const { establishment, http } = await establishmentWith();
    await http
      .post(`/etablissements/${establishment.code}/detenus/import`)
      .attach('fichier', Buffer.from(GENESIS_HEADER + '\n1;A;B;01/01/1990;PREVENU'), 'g.csv')
      .expect(403);
    const officer = await insertAgent([{ establishmentId: establishment.id, role: 'PERMITS_OFFICER' }], {
      givenName: 'Zoë',
      usualName: 'Ørsted',
    });
    const other = await signInAgent(suite.app.url, officer);
    const list = page(await other.get(`/etablissements/${establishment.code}/detenus`).expect(200));
    expect(list.heading()).toBe(`Personnes détenues — ${establishment.name}`);
    await other.get(`/etablissements/${establishment.code}/detenus/import`).expect(403);
    expect(await population(establishment)).toEqual([]);
  });

  it('paginates and searches the list', async () => {
    const { establishment, http } = await establishmentWith();
    const base = `/etablissements/${establishment.code}/detenus`;
    const lines = Array.from({ length: 120 }, (_, i) => `${50000 + i};Nom${String(i).padStart(3, '0')};Prénom;01/01/1990;CONDAMNE`);
    expect((await upload(http, establishment.code, genesisCsv(lines))).status).toBe(200);
    const all = page(await http.get(base).expect(200));
    expect(all.text('detainee-count')).toBe('120 personnes.');
    const searched = page(await http.get(`${base}?q=zzzz`).expect(200));
    expect(searched.text('no-detainee')).toBe('Aucune personne trouvée.');
    expect(searched.text('detainee-count')).toBe('0 personne pour « zzzz ».');

    const first = page(await http.get(`${base}?q=nom`).expect(200));
    expect(first.text('detainee-count')).toBe('120 personnes pour « nom ».');
    expect(squash(first.$('.fr-pagination [aria-current="page"]').text())).toBe('1 / 3');
    expect(first.link('Page suivante')).toBe(`${base}?q=nom&page=2`);
    expect(first.texts('detainee-last-name')).toContain('Nom000');
    expect(first.texts('detainee-last-name')).not.toContain('Nom050');
    const second = page(await http.get(`${base}?q=nom&page=2`).expect(200));
    expect(second.texts('detainee-last-name')).toContain('Nom050');
    expect(second.texts('detainee-last-name')).not.toContain('Nom000');
  });
});

describe('a population import is previewed before it is applied', () => {
  /** An establishment of ten people present (Şükrü Yılmaz first, prévenu). */
  async function tenPresent() {
    const admin = await establishmentWith('ADMIN', { givenName: 'Şükrü', usualName: 'Öztürk' });
    const people = [];
    for (let i = 0; i < 10; i++)
      people.push(
        await insertDetainee(admin.establishment.id, {
          ecrouNumber: `${7000 + i}`,
          lastName: i === 0 ? 'Yılmaz' : `Nom${i}`,
          firstName: i === 0 ? 'Şükrü' : 'Prénom',
          legalStatus: i === 0 ? 'PREVENU' : 'CONDAMNE',
        }),
      );
    return { ...admin, people };
  }

  it('shows the arrivals, releases, transfers and status changes, changes nothing until « Importer », then applies and audits it', async () => {
    const { establishment, agent, http, people } = await tenPresent();
    const elsewhere = await insertEstablishment();
    // Nom9 is absent from the file: released; another establishment's import already proposed his transfer.
    await insertTransferProposal({ detaineeId: people[9].id, toEstablishmentId: elsewhere.id });
    const csv = genesisCsv([
      genesisLine({ ...people[0], legalStatus: 'CONDAMNE' }),
      ...people.slice(1, 9).map((d) => genesisLine(d)),
      '40001;Wiśniewski;Łukasz;15/06/1995;PREVENU',
      '40002;الحداد;محمد;01/03/1988;CONDAMNE',
    ]);
    const before = await population(establishment);
    const preview = await previewGenesis(http, establishment.code, csv, 'population-novembre.csv');
    expect(preview.status).toBe(200);
    const p = page(preview);
    expect(p.$('#apercu-titre').text()).toBe('Aperçu avant import : population-novembre.csv');
    const counts = (id: string) => squash(p.testId(id).find('td').last().text());
    expect(counts('preview-arrivals')).toBe('2');
    expect(counts('preview-releases')).toBe('1 sur 10 présentes (10 %)');
    expect(counts('preview-transfers')).toBe('1');
    expect(counts('preview-status-changes')).toBe('1');
    expect(counts('preview-updates')).toBe('0');
    expect(counts('preview-unchanged')).toBe('8');
    // 10 % is the share set: no more than that, so no confirmation is asked.
    expect(p.has('mass-release-warning')).toBe(false);
    expect(await population(establishment)).toEqual(before);

    const done = await confirmGenesis(http, preview);
    expect(done.status).toBe(200);
    expect(page(done).texts('report-line')).toEqual([
      '2 personne(s) ajoutée(s)',
      '1 mise(s) à jour',
      '8 inchangée(s)',
      '1 sortie(s) de l’établissement (absentes du fichier)',
    ]);
    const after = await population(establishment);
    expect(after.find((d) => d.ecrouNumber === '7000')!.legalStatus).toBe('CONDAMNE');
    expect(after.find((d) => d.ecrouNumber === '7009')!.custodyStatus).toBe('LIBERE');
    expect(after.filter((d) => d.custodyStatus === 'PRESENT')).toHaveLength(11);
    const audit = await query<{ action: string; label: string }>(
      `SELECT action, actor_label AS label FROM audit_log WHERE actor_id = $1 AND action LIKE 'DETAINEES_IMPORT%' ORDER BY id`,
      [agent.id],
    );
    expect(audit).toEqual([
      { action: 'DETAINEES_IMPORT_PREVIEWED', label: 'Şükrü Öztürk' },
      { action: 'DETAINEES_IMPORTED', label: 'Şükrü Öztürk' },
    ]);
    // The file is not kept once applied: the same preview cannot be applied twice.
    expect(await query(`SELECT 1 FROM detainee_import_previews WHERE establishment_id = $1`, [establishment.id])).toEqual([]);
    const twice = await confirmGenesis(http, preview);
    expect(twice.status).toBe(409);
    expect(page(twice).fieldError('fichier')).toBe(
      'Cet aperçu n’est plus valable (déjà importé ou remplacé) : importez le fichier de nouveau.',
    );
  });

  it('refuses without an explicit confirmation a file that would release more than 10 % of the population, then applies it once confirmed', async () => {
    const { establishment, agent, http, people } = await tenPresent();
    // A truncated export: only three of the ten people are listed.
    const csv = genesisCsv(people.slice(0, 3).map((d) => genesisLine(d)));
    const before = await population(establishment);
    const preview = await previewGenesis(http, establishment.code, csv);
    expect(preview.status).toBe(200);
    const p = page(preview);
    expect(squash(p.testId('preview-releases').find('td').last().text())).toBe('7 sur 10 présentes (70 %)');
    expect(squash(p.testId('mass-release-warning').text())).toContain('Beaucoup de sorties : plus de 10 % de la population');
    expect(p.labelOf('confirmeSorties', 'oui')).toBe('Je confirme la sortie de 7 personnes sur 10');

    const refused = await confirmGenesis(http, preview);
    expect(refused.status).toBe(409);
    expect(page(refused).errors()).toEqual([
      'Ce fichier ferait sortir 7 personnes sur 10 présentes (70 %, plus de 10 %) : l’export est peut-être tronqué ou d’un autre ' +
        'établissement. Vérifiez le fichier ; s’il est juste, cochez la case pour confirmer ces sorties.',
    ]);
    expect(page(refused).has('import-preview')).toBe(true);
    expect(await population(establishment)).toEqual(before);
    expect(await query(`SELECT 1 FROM audit_log WHERE actor_id = $1 AND action = 'DETAINEES_IMPORTED'`, [agent.id])).toEqual([]);

    // Another establishment's administrator cannot apply it, from their establishment or from this one.
    const other = await establishmentWith('ADMIN', { givenName: 'Đorđe', usualName: 'Ölçer' });
    const previewId = /apercus\/([^/]+)$/.exec(p.$('form[action*="/apercus/"]').attr('action')!)![1];
    const otherCsrf = page(await other.http.get(`/etablissements/${other.establishment.code}/detenus/import`).expect(200)).csrf();
    await other.http
      .post(`/etablissements/${establishment.code}/detenus/apercus/${previewId}`)
      .type('form')
      .send({ _csrf: otherCsrf, confirmeSorties: 'oui' })
      .expect(403);
    await other.http
      .post(`/etablissements/${other.establishment.code}/detenus/apercus/${previewId}`)
      .type('form')
      .send({ _csrf: otherCsrf, confirmeSorties: 'oui' })
      .expect(409);
    expect(await population(establishment)).toEqual(before);

    const confirmed = await confirmGenesis(http, page(refused).has('import-preview') ? refused : preview, { confirmMassRelease: true });
    expect(confirmed.status).toBe(200);
    expect(page(confirmed).texts('report-line')).toContain('7 sortie(s) de l’établissement (absentes du fichier)');
    expect((await population(establishment)).filter((d) => d.custodyStatus === 'LIBERE')).toHaveLength(7);
    const audit = await queryOne<{ after: { massReleaseConfirmed: boolean; releasePercent: number; released: number } }>(
      `SELECT after FROM audit_log WHERE actor_id = $1 AND action = 'DETAINEES_IMPORTED'`,
      [agent.id],
    );
    expect(audit.after).toMatchObject({ massReleaseConfirmed: true, releasePercent: 70, released: 7 });
  });
});

describe('the detainee list refuses hostile input with a French page', () => {
  it('refuses a NUL character in the search box (400)', async () => {
    const { establishment, http } = await establishmentWith('PARLOIR_AGENT');
    const res = await http.get(`/etablissements/${establishment.code}/detenus?q=Dup%00ont`).expect(400);
    expect(page(res).heading()).toBe('Requête incorrecte');
    expect(page(res).mainText()).toContain('Votre saisie contient un caractère non autorisé');
  });

  it('answers a search sent twice with the list and a French error (400, not 500)', async () => {
    const { establishment, http } = await establishmentWith('PARLOIR_AGENT');
    await insertDetainee(establishment.id, { lastName: 'Kowalczyk' });
    const res = await http.get(`/etablissements/${establishment.code}/detenus?q=a&q=b`).expect(400);
    const list = page(res);
    expect(list.heading()).toBe(`Personnes détenues — ${establishment.name}`);
    expect(list.errors()).toEqual(['Saisissez un seul texte à rechercher : nom, prénom ou numéro d’écrou']);
    expect(list.texts('detainee-last-name')).toEqual(['Kowalczyk']);
  });

  it('shows the first page for ?page=1e20', async () => {
    const { establishment, http } = await establishmentWith('PARLOIR_AGENT');
    await insertDetainee(establishment.id, { lastName: 'Kowalczyk' });
    const list = page(await http.get(`/etablissements/${establishment.code}/detenus?page=1e20`).expect(200));
    expect(list.texts('detainee-last-name')).toEqual(['Kowalczyk']);
  });
});

describe('a transfer detected by another establishment’s import is proposed to the detainee’s establishment', () => {
  it('changes nothing of the other establishment’s detainee nor their visits, and the importing report says nothing of it', async () => {
    const { a, b, person, visit, report } = await personHeldElsewhereImportedAtA();
    expect(report.texts('report-line')).toEqual([
      '1 personne(s) ajoutée(s)',
      '0 mise(s) à jour',
      '0 inchangée(s)',
      '0 sortie(s) de l’établissement (absentes du fichier)',
    ]);
    expect(report.mainText()).not.toMatch(/transf/i);
    expect(report.mainText()).not.toContain(b.establishment.name);

    expect(await population(a.establishment)).toMatchObject([{ ecrouNumber: '40002', custodyStatus: 'PRESENT' }]);
    expect(await population(b.establishment)).toEqual([
      expect.objectContaining({ id: person.id, custodyStatus: 'PRESENT', transferredTo: null }),
    ]);
    expect(await reviewOf(visit.id)).toEqual({ reviewReason: null });
    expect(await query(`SELECT 1 FROM audit_log WHERE action = 'DETAINEE_TRANSFERRED' AND entity_id = $1`, [person.id])).toEqual([]);

    // The importing administrator's own list shows no transfer to decide.
    const aList = page(await a.http.get(`/etablissements/${a.establishment.code}/detenus`).expect(200));
    expect(aList.has('transfer-proposals')).toBe(false);
    // The detainee's own administrator sees the proposal.
    const bList = page(await b.http.get(`/etablissements/${b.establishment.code}/detenus`).expect(200));
    expect(bList.texts('transfer-person')).toEqual(['Élodie Nguyễn-Lê']);
    expect(bList.text('transfer-to')).toBe(a.establishment.name);
  });

  it('the detainee’s administrator confirms it after a confirmation page: transferred, future visits to review, audited', async () => {
    const { a, b, person, visit } = await personHeldElsewhereImportedAtA();
    const list = page(await b.http.get(`/etablissements/${b.establishment.code}/detenus`).expect(200));
    const confirmUrl = list.link('Confirmer le transfert');
    const confirm = page(await b.http.get(confirmUrl).expect(200));
    expect(confirm.heading()).toBe('Confirmer le transfert de Élodie Nguyễn-Lê ?');
    expect(confirm.text('transfer-summary')).toContain(`sous l’écrou 40002`);
    // Nothing changes until the administrator answers yes.
    expect(await population(b.establishment)).toMatchObject([{ custodyStatus: 'PRESENT' }]);

    const done = await b.http.post(confirmUrl).type('form').send({ _csrf: confirm.csrf() }).expect(303);
    expect(done.headers.location).toBe(`/etablissements/${b.establishment.code}/detenus?fait=transfert-confirme`);
    expect(await population(b.establishment)).toMatchObject([
      { id: person.id, custodyStatus: 'TRANSFERE', transferredTo: a.establishment.code },
    ]);
    expect((await reviewOf(visit.id)).reviewReason).toBe('Personne détenue transférée');

    const after = page(await b.http.get(done.headers.location).expect(200));
    expect(after.text('done')).toContain('Le transfert est enregistré');
    expect(after.has('transfer-proposals')).toBe(false);
    expect(after.text('detainee-custody')).toBe(`Transféré (${a.establishment.name})`);

    const audit = await query<{ actorType: string; actorLabel: string; establishmentId: string }>(
      `SELECT actor_type AS "actorType", actor_label AS "actorLabel", establishment_id AS "establishmentId"
         FROM audit_log WHERE action = 'DETAINEE_TRANSFERRED' AND entity_id = $1`,
      [person.id],
    );
    expect(audit).toEqual([{ actorType: 'AGENT', actorLabel: 'Ştefan Łukasiewicz', establishmentId: b.establishment.id }]);
    // Confirmed once: a second answer finds nothing to confirm.
    await b.http.get(confirmUrl).expect(404);
    await b.http.post(confirmUrl).type('form').send({ _csrf: confirm.csrf() }).expect(409);
  });

  it('the detainee’s administrator dismisses it: nothing changes, and it is audited', async () => {
    const { b, person, visit } = await personHeldElsewhereImportedAtA();
    const list = page(await b.http.get(`/etablissements/${b.establishment.code}/detenus`).expect(200));
    const dismiss = list.$('[data-testid="transfer-proposal"] form').attr('action')!;
    const done = await b.http.post(dismiss).type('form').send({ _csrf: list.csrf() }).expect(303);
    expect(done.headers.location).toBe(`/etablissements/${b.establishment.code}/detenus?fait=transfert-ecarte`);
    const after = page(await b.http.get(done.headers.location).expect(200));
    expect(after.text('done')).toContain('écarté');
    expect(after.has('transfer-proposals')).toBe(false);
    expect(await population(b.establishment)).toMatchObject([{ id: person.id, custodyStatus: 'PRESENT', transferredTo: null }]);
    expect(await reviewOf(visit.id)).toEqual({ reviewReason: null });
    expect(
      await query(
        `SELECT actor_label AS "actorLabel" FROM audit_log WHERE action = 'DETAINEE_TRANSFER_DISMISSED' AND establishment_id = $1`,
        [b.establishment.id],
      ),
    ).toEqual([{ actorLabel: 'Ştefan Łukasiewicz' }]);
    expect(await query(`SELECT status FROM detainee_transfer_proposals WHERE detainee_id = $1`, [person.id])).toEqual([
      { status: 'DISMISSED' },
    ]);
  });

  it('an administrator of a third establishment sees nothing of it and cannot act on it', async () => {
    const { b, person } = await personHeldElsewhereImportedAtA();
    const c = await establishmentWith('ADMIN', { givenName: 'Đorđe', usualName: 'Ölçer' });
    const list = page(await b.http.get(`/etablissements/${b.establishment.code}/detenus`).expect(200));
    const confirmUrl = list.link('Confirmer le transfert');
    const proposalId = /transferts\/([^/]+)\/confirmation$/.exec(confirmUrl)![1];

    const cList = page(await c.http.get(`/etablissements/${c.establishment.code}/detenus`).expect(200));
    expect(cList.has('transfer-proposals')).toBe(false);
    const csrf = page(await c.http.get(`/etablissements/${c.establishment.code}/detenus/import`).expect(200)).csrf();
    await c.http.get(confirmUrl).expect(403);
    await c.http.post(confirmUrl).type('form').send({ _csrf: csrf }).expect(403);
    const own = `/etablissements/${c.establishment.code}/detenus/transferts/${proposalId}`;
    await c.http.get(`${own}/confirmation`).expect(404);
    await c.http.post(`${own}/confirmation`).type('form').send({ _csrf: csrf }).expect(404);
    await c.http.post(`${own}/rejet`).type('form').send({ _csrf: csrf }).expect(404);
    await c.http.get(`/etablissements/${c.establishment.code}/detenus/transferts/pas-un-id/confirmation`).expect(404);
    expect(await population(b.establishment)).toMatchObject([{ id: person.id, custodyStatus: 'PRESENT' }]);
    expect(await query(`SELECT status FROM detainee_transfer_proposals WHERE detainee_id = $1`, [person.id])).toEqual([
      { status: 'PENDING' },
    ]);
  });
});

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
