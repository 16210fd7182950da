import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { onePagePdf } from './helpers/files';
import { binary, pdfText } from './helpers/permits';
import { type HtmlPage, page } from './helpers/html';
import { signInAgent, type Agent } from './helpers/sign-in';
import { type AgentRow, grantRole, insertAgent, insertAgentElsewhere, insertDetainee, insertEstablishment } from './factories/people';
import { insertBooking, insertContact, insertDevice } from './factories/video-calls';

const suite = appForTests();

/** The file's agents: an activities officer and a head of establishment, given their role where each test works. */
let officerRow: AgentRow;
let officer: Agent;
let headRow: AgentRow;
let head: Agent;
beforeAll(async () => {
  officerRow = await insertAgentElsewhere('ACTIVITIES_OFFICER', { givenName: 'Łukasz', usualName: 'Nguyễn' });
  headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Zoë', usualName: 'Dąbrowska' });
  [officer, head] = await Promise.all([signInAgent(suite.app.url, officerRow), signInAgent(suite.app.url, headRow)]);
});

/** A new establishment with its officer and head, and one detainee present there. */
async function establishment() {
  const e = await insertEstablishment();
  await grantRole(officerRow.id, e.id, 'ACTIVITIES_OFFICER');
  await grantRole(headRow.id, e.id, 'HEAD_OF_ESTABLISHMENT');
  const d = await insertDetainee(e.id, { firstName: 'Thị Lan', lastName: 'Nguyễn' });
  const base = `/etablissements/${e.code}/visio/detenus`;
  return { e, d, base, record: `${base}/${d.id}` };
}

/** Posts a form of the record page as the browser would, with the page's CSRF token. */
async function post(who: Agent, record: string, path: string, fields: Record<string, string>) {
  const csrf = page(await who.get(record).expect(200)).csrf();
  return who
    .post(`${record}${path}`)
    .type('form')
    .send({ _csrf: csrf, ...fields });
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

/** The detainee has left the establishment. */
async function release(d: { id: string }): Promise<void> {
  await query(`UPDATE detainees SET custody_status = 'LIBERE', left_at = now() WHERE id = $1`, [d.id]);
}

async function auditOf(establishmentId: string): Promise<{ action: string; label: string }[]> {
  return query<{ action: string; label: string }>(
    `SELECT action, actor_label AS label FROM audit_log WHERE establishment_id = $1 AND action LIKE 'VIDEO_CALL_%' ORDER BY id`,
    [establishmentId],
  );
}

describe('the detainee’s video-call record', () => {
  it('finds the detainees present in the establishment by name or écrou number, not others', async () => {
    const { e, d, base } = await establishment();
    const other = await insertDetainee(e.id, { firstName: 'محمد', lastName: 'Haddad', ecrouNumber: 'VR77' });
    await release(await insertDetainee(e.id, { firstName: 'Şükrü', lastName: 'Nguyễn' }));
    const elsewhere = await insertEstablishment();
    await insertDetainee(elsewhere.id, { firstName: 'Paul', lastName: 'Nguyễn' });

    const byName = page(await officer.get(`${base}?q=${encodeURIComponent('nguyễn')}`).expect(200));
    expect(byName.heading()).toBe(`Visio : personnes détenues — ${e.name}`);
    expect(cells(byName, 'detainee')).toEqual([['NGUYỄN Thị Lan', d.ecrouNumber, 'Ouvrir le dossier']]);
    expect(byName.link('Ouvrir le dossier')).toBe(`${base}/${d.id}`);
    const byEcrou = page(await officer.get(`${base}?q=vr77`).expect(200));
    expect(cells(byEcrou, 'detainee')).toEqual([['HADDAD محمد', 'VR77', 'Ouvrir le dossier']]);
    expect(byEcrou.link('Ouvrir le dossier')).toBe(`${base}/${other.id}`);
    const none = page(await officer.get(`${base}?q=Inconnu`).expect(200));
    expect(none.text('no-result')).toBe('Aucune personne détenue présente ne correspond à « Inconnu ».');
    expect(page(await officer.get(base).expect(200)).link(`Visio : personnes détenues (${e.code})`)).toBe(base);
  });

  it('adds contacts with their number in E.164, a minor only with the parental consent recorded, and deactivates one after a read-back', async () => {
    const { e, record } = await establishment();
    const first = await post(officer, record, '/contacts', { name: 'Amina Benali', phone: '06 12 34 56 78', relationship: 'Sœur' });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`${record}?fait=contact`);

    const same = await post(officer, record, '/contacts', { name: 'Autre', phone: '+33 6 12 34 56 78', relationship: 'Ami' });
    expect(same.status).toBe(400);
    expect(page(same).errors()).toEqual(['Ce numéro est déjà celui d’un contact autorisé de la personne détenue.']);
    expect(page(same).value('name')).toBe('Autre');

    const bad = await post(officer, record, '/contacts', { name: 'Łukasz Wiśniewski', phone: '0612', relationship: 'Ami' });
    expect(bad.status).toBe(400);
    expect(page(bad).fieldError('phone')).toBe('Numéro de téléphone : un numéro valide, par exemple 06 12 34 56 78 ou +48 512 345 678');
    expect(page(bad).value('phone')).toBe('0612');
    expect(page(bad).value('name')).toBe('Łukasz Wiśniewski');

    const noConsent = await post(officer, record, '/contacts', {
      name: 'Nour Benali',
      phone: '+48 512 345 678',
      relationship: 'Fille',
      minor: 'oui',
    });
    expect(noConsent.status).toBe(400);
    expect(page(noConsent).fieldError('consentGivenBy')).toBe(
      'Contact mineur : indiquez qui, parmi les titulaires de l’autorité parentale, a donné son accord',
    );
    expect(page(noConsent).value('minor')).toBe('oui');
    const minor = await post(officer, record, '/contacts', {
      name: 'Nour Benali',
      phone: '+48 512 345 678',
      relationship: 'Fille',
      minor: 'oui',
      consentGivenBy: 'Amina Benali, mère',
    });
    expect(minor.status).toBe(303);

    const p = page(await officer.get(`${record}?fait=contact`).expect(200));
    expect(p.text('done')).toBe('Le contact est autorisé.');
    const rows = cells(p, 'contact');
    expect(rows.map((r) => r.slice(0, 3))).toEqual([
      ['Amina Benali', '+33612345678', 'Sœur'],
      ['Nour Benali', '+48512345678', 'Fille'],
    ]);
    expect(rows[0][3]).toBe('Non');
    expect(rows[1][3]).toMatch(/^Oui — accord de Amina Benali, mère, enregistré le .+$/);
    expect(
      await queryOne(
        `SELECT consent_recorded_by AS "by" FROM detainee_phone_contacts WHERE phone = '+48512345678' AND detainee_id = (
        SELECT id FROM detainees WHERE establishment_id = $1)`,
        [e.id],
      ),
    ).toEqual({ by: officerRow.id });

    const contactPath = p.link('Désactiver Amina Benali');
    const readBack = page(await officer.get(contactPath).expect(200));
    expect(readBack.heading()).toBe('Désactiver le contact « Amina Benali » ?');
    expect(readBack.text('read-back')).toContain('ne pourra plus être appelé en visio par Thị Lan NGUYỄN');
    expect((await post(officer, record, contactPath.slice(record.length), {})).status).toBe(303);
    const after = page(await officer.get(record).expect(200));
    expect(cells(after, 'contact').map((r) => [r[0], r[4]])).toEqual([
      ['Nour Benali', 'Autorisé'],
      ['Amina Benali', 'Désactivé'],
    ]);
    expect(await auditOf(e.id)).toEqual([
      { action: 'VIDEO_CALL_CONTACT_ADDED', label: 'Łukasz Nguyễn' },
      { action: 'VIDEO_CALL_CONTACT_ADDED', label: 'Łukasz Nguyễn' },
      { action: 'VIDEO_CALL_CONTACT_DEACTIVATED', label: 'Łukasz Nguyễn' },
    ]);
  });

  it('records the signed charter with its scan, checked by content, and serves the scan back', async () => {
    const { e, record } = await establishment();
    const csrf = page(await officer.get(record).expect(200)).csrf();
    const notPdf = await officer
      .post(`${record}/charte`)
      .field('_csrf', csrf)
      .field('signedOn', '2025-06-02')
      .attach('fichier', Buffer.from('%PDF-1.4 ceci n’est pas un PDF'), 'charte.pdf');
    expect(notPdf.status).toBe(400);
    expect(page(notPdf).fieldError('fichier')).toBe(
      'Le PDF est abîmé, protégé par un mot de passe ou illisible. Enregistrez-le à nouveau sans mot de passe, ou envoyez une photo du document.',
    );
    expect(page(notPdf).value('signedOn')).toBe('2025-06-02');
    const future = await officer
      .post(`${record}/charte`)
      .field('_csrf', csrf)
      .field('signedOn', '2099-01-04')
      .attach('fichier', await onePagePdf('Charte'), 'charte.pdf');
    expect(future.status).toBe(400);
    expect(page(future).fieldError('signedOn')).toBe('La date de signature ne peut pas être dans le futur.');
    const noDate = await officer.post(`${record}/charte`).field('_csrf', csrf).field('signedOn', '2025-02-30');
    expect(page(noDate).fieldError('signedOn')).toBe('Date de signature : une date au format JJ/MM/AAAA');

    const pdf = await onePagePdf('Charte signée');
    const ok = await officer
      .post(`${record}/charte`)
      .field('_csrf', csrf)
      .field('signedOn', '2025-06-02')
      .attach('fichier', pdf, 'charte.pdf');
    expect(ok.status).toBe(303);
    const p = page(await officer.get(`${record}?fait=charte`).expect(200));
    expect(p.text('charter')).toBe('Signée le 2 juin 2025 (enregistrée par Łukasz Nguyễn) — Voir le scan');
    const scan = await officer.get(p.link('Voir le scan')).buffer(true).parse(binary).expect(200);
    expect(scan.headers['content-type']).toBe('application/pdf');
    // What is stored is the PDF rewritten without scripts or metadata: the same page.
    expect(await pdfText(scan.body as Buffer)).toBe('Charte signée');
    const stored = await queryOne<{ key: string }>(
      `SELECT scan_storage_key AS key FROM video_call_charters c JOIN detainees d ON d.id = c.detainee_id
      WHERE d.establishment_id = $1`,
      [e.id],
    );
    expect(stored.key).toMatch(/^[0-9a-f-]{36}$/);
    expect(await auditOf(e.id)).toEqual([{ action: 'VIDEO_CALL_CHARTER_RECORDED', label: 'Łukasz Nguyễn' }]);
  });

  it('credits the phone account in euros, shows the available money and changes the plan', async () => {
    const { e, d, record } = await establishment();
    const empty = page(await officer.get(record).expect(200));
    expect([empty.text('balance'), empty.text('available'), empty.text('plan')]).toEqual(['0,00 €', '0,00 €', 'Sans forfait']);

    const bad = await post(officer, record, '/compte/credit', { amount: '12,345' });
    expect(bad.status).toBe(400);
    expect(page(bad).fieldError('amount')).toBe('Montant crédité : un montant en euros de 0,01 à 1 000, par exemple 25,50');
    expect(page(bad).value('amount')).toBe('12,345');
    expect((await post(officer, record, '/compte/credit', { amount: '25,50' })).status).toBe(303);
    expect((await post(officer, record, '/compte/credit', { amount: '4,5' })).status).toBe(303);
    await query(`UPDATE phone_accounts SET blocked_cents = 914 WHERE detainee_id = $1`, [d.id]);

    const unknownPlan = await post(officer, record, '/compte/forfait', { planCode: '999' });
    expect(unknownPlan.status).toBe(400);
    expect(page(unknownPlan).errors()).toEqual(['Choisissez un forfait de la liste.']);
    expect((await post(officer, record, '/compte/forfait', { planCode: '20' })).status).toBe(303);

    const p = page(await officer.get(record).expect(200));
    expect([p.text('balance'), p.text('blocked'), p.text('available'), p.text('plan')]).toEqual([
      '30,00 €',
      '9,14 €',
      '20,86 €',
      'Forfait 20 €',
    ]);
    expect(p.value('planCode')).toBe('20');
    expect(await auditOf(e.id)).toEqual([
      { action: 'VIDEO_CALL_ACCOUNT_CREDITED', label: 'Łukasz Nguyễn' },
      { action: 'VIDEO_CALL_ACCOUNT_CREDITED', label: 'Łukasz Nguyễn' },
      { action: 'VIDEO_CALL_PLAN_CHANGED', label: 'Łukasz Nguyễn' },
    ]);
  });

  it('lets the head, or a signature delegate, suspend, withdraw and restore access with a motivated ground, after a read-back', async () => {
    const { e, d, record } = await establishment();
    // The officer without a delegation sees no decision form and is refused.
    expect(page(await officer.get(record).expect(200)).has('access-form')).toBe(false);
    const refused = await post(officer, record, '/acces', {
      decision: 'WITHDRAW',
      ground: 'SECURITY',
      motivation: 'Appels à des numéros inconnus',
      confirm: 'oui',
    });
    expect(refused.status).toBe(403);

    const noGround = await post(head, record, '/acces', {
      decision: 'SUSPEND',
      until: '2099-12-31',
      motivation: 'Appel à un numéro non autorisé',
    });
    expect(noGround.status).toBe(400);
    expect(page(noGround).fieldError('ground')).toBe('Choisissez le motif de la décision');
    expect(page(noGround).value('motivation')).toBe('Appel à un numéro non autorisé');
    const noEnd = await post(head, record, '/acces', {
      decision: 'SUSPEND',
      ground: 'CHARTER',
      motivation: 'Appel à un numéro non autorisé',
      confirm: 'oui',
    });
    expect(noEnd.status).toBe(400);
    expect(page(noEnd).fieldError('until')).toBe(
      'La suspension court jusqu’à un jour à venir : indiquez la date de fin (aujourd’hui ou plus tard)',
    );

    const noEndReadBack = await post(head, record, '/acces', {
      decision: 'SUSPEND',
      ground: 'CHARTER',
      motivation: 'Appel à un numéro non autorisé',
    });
    expect(noEndReadBack.status).toBe(400);
    expect(page(noEndReadBack).value('motivation')).toBe('Appel à un numéro non autorisé');

    const fields = { decision: 'SUSPEND', ground: 'CHARTER', until: '2099-12-31', motivation: 'Appel à un numéro non autorisé' };
    const readBack = page(await post(head, record, '/acces', fields));
    expect(readBack.heading()).toBe('Confirmer : suspendre l’accès jusqu’à une date ?');
    expect(readBack.text('read-back-decision')).toBe('Suspendre l’accès jusqu’à une date jusqu’au 31 décembre 2099 inclus');
    expect(readBack.text('read-back-ground')).toBe('Non-respect de la charte d’utilisation');
    expect(await query(`SELECT 1 FROM video_call_access WHERE detainee_id = $1`, [d.id])).toEqual([]);
    const confirmed = await head
      .post(`${record}/acces`)
      .type('form')
      .send(readBack.formFields(`${record}/acces`));
    expect(confirmed.status).toBe(303);
    const suspended = page(await head.get(record).expect(200));
    expect(suspended.text('access-status')).toBe('Accès suspendu jusqu’au 31 décembre 2099 inclus');
    expect(cells(suspended, 'access-decision')[0].slice(1, 4)).toEqual([
      'Accès suspendu jusqu’au 31 décembre 2099 inclus',
      'Non-respect de la charte d’utilisation — Appel à un numéro non autorisé',
      'Zoë Dąbrowska',
    ]);

    // A signature delegate (the officer, delegated today) withdraws; the head restores.
    await query(
      `INSERT INTO signature_delegations (establishment_id, agent_id, valid_from, created_by) VALUES ($1, $2, current_date - 1, $3)`,
      [e.id, officerRow.id, headRow.id],
    );
    expect(page(await officer.get(record).expect(200)).has('access-form')).toBe(true);
    const withdraw = { decision: 'WITHDRAW', ground: 'SECURITY', motivation: 'Tentative de contact avec un co-auteur', confirm: 'oui' };
    expect((await post(officer, record, '/acces', withdraw)).status).toBe(303);
    expect((await post(head, record, '/acces', { decision: 'RESTORE', motivation: '', confirm: 'oui' })).status).toBe(303);
    const again = await post(head, record, '/acces', { decision: 'RESTORE', motivation: '', confirm: 'oui' });
    expect(again.status).toBe(400);
    expect(page(again).errors()).toEqual(['L’accès est déjà ouvert : il n’y a rien à rétablir.']);

    const p = page(await head.get(record).expect(200));
    expect(p.text('access-status')).toBe('Accès ouvert');
    expect(cells(p, 'access-decision').map((r) => [r[1].replace(/ jusqu’au .*/, ''), r[3]])).toEqual([
      ['Accès ouvert', 'Zoë Dąbrowska'],
      ['Accès retiré', 'Łukasz Nguyễn'],
      ['Accès suspendu', 'Zoë Dąbrowska'],
    ]);
    expect(await auditOf(e.id)).toEqual([
      { action: 'VIDEO_CALL_ACCESS_DECIDED', label: 'Zoë Dąbrowska' },
      { action: 'VIDEO_CALL_ACCESS_DECIDED', label: 'Łukasz Nguyễn' },
      { action: 'VIDEO_CALL_ACCESS_DECIDED', label: 'Zoë Dąbrowska' },
    ]);
  });

  it('sanctions a number for every detainee of the establishment and flags it on their records', async () => {
    const { e, d, record, base } = await establishment();
    await insertContact(d.id, officerRow.id, { name: 'Karim Haddad', phone: '+33698765432' });
    const neighbour = await insertDetainee(e.id, { firstName: 'Şükrü', lastName: 'Öztürk' });
    await insertContact(neighbour.id, officerRow.id, { name: 'Karim Haddad', phone: '+33698765432' });
    const elsewhere = await insertEstablishment();
    await grantRole(officerRow.id, elsewhere.id, 'ACTIVITIES_OFFICER');
    const far = await insertDetainee(elsewhere.id);
    await insertContact(far.id, officerRow.id, { name: 'Karim Haddad', phone: '+33698765432' });

    expect(page(await officer.get(record).expect(200)).has('sanction-form')).toBe(false);
    const bad = await post(head, record, '/sanctions', {
      phone: '06 98',
      ground: 'CRIME_PREVENTION',
      motivation: 'Menaces envers un témoin',
    });
    expect(bad.status).toBe(400);
    expect(page(bad).fieldError('phone')).toBe('Numéro sanctionné : un numéro valide, par exemple 06 12 34 56 78');
    expect(page(bad).$('#sanction-phone').attr('value')).toBe('06 98');
    const past = await post(head, record, '/sanctions', {
      phone: '06 98 76 54 32',
      until: '2020-01-31',
      ground: 'CRIME_PREVENTION',
      motivation: 'Menaces envers un témoin',
    });
    expect(past.status).toBe(400);
    expect(page(past).fieldError('until')).toBe(
      'La fin de la sanction ne peut pas être passée : aujourd’hui ou plus tard, ou rien pour une sanction sans fin.',
    );
    expect(page(past).$('#sanction-until').attr('value')).toBe('2020-01-31');

    const readBack = page(
      await post(head, record, '/sanctions', {
        phone: '06 98 76 54 32',
        ground: 'CRIME_PREVENTION',
        motivation: 'Menaces envers un témoin',
      }),
    );
    expect(readBack.heading()).toBe('Confirmer la sanction du numéro 06 98 76 54 32 ?');
    expect(readBack.mainText()).toContain(`Aucune personne détenue de ${e.name} ne pourra appeler ce numéro, sans date de fin.`);
    const confirmed = await head
      .post(`${record}/sanctions`)
      .type('form')
      .send(readBack.formFields(`${record}/sanctions`));
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe(`${record}?fait=sanction`);

    const flagged = page(await officer.get(`${base}/${neighbour.id}`).expect(200));
    expect(flagged.text('sanctioned')).toBe('Numéro sanctionné sans date de fin');
    expect(page(await officer.get(record).expect(200)).text('sanctioned')).toBe('Numéro sanctionné sans date de fin');
    const farPage = page(await officer.get(`/etablissements/${elsewhere.code}/visio/detenus/${far.id}`).expect(200));
    expect(farPage.has('sanctioned')).toBe(false);
    expect(
      await query(`SELECT phone, until, motivation, decided_by AS "by" FROM sanctioned_numbers WHERE establishment_id = $1`, [e.id]),
    ).toEqual([
      { phone: '+33698765432', until: null, motivation: 'Prévention des infractions — Menaces envers un témoin', by: headRow.id },
    ]);
    expect(await auditOf(e.id)).toEqual([{ action: 'VIDEO_CALL_NUMBER_SANCTIONED', label: 'Zoë Dąbrowska' }]);
  });

  it('cancels the future booked calls a suspension, a sanctioned number or a deactivated contact stops, releasing the money, after a read-back that counts them', async () => {
    const { e, d, record, base } = await establishment();
    const device = await insertDevice(e.id, 'Salle visio 1');
    const neighbour = await insertDetainee(e.id, { firstName: 'Şükrü', lastName: 'Öztürk' });
    const [amina, karim, karimToo, nour] = await Promise.all([
      insertContact(d.id, officerRow.id, { name: 'Amina Benali', phone: '+33612345678' }),
      insertContact(d.id, officerRow.id, { name: 'Karim Haddad', phone: '+33698765432' }),
      insertContact(neighbour.id, officerRow.id, { name: 'Karim Haddad', phone: '+33698765432' }),
      insertContact(neighbour.id, officerRow.id, { name: 'نور حداد', phone: '+48512345678' }),
    ]);
    const book = (who: { id: string }, contact: { id: string }, slot: string) =>
      insertBooking({
        establishmentId: e.id,
        detainee: { id: who.id, contact: contact.id },
        deviceId: device.id,
        slot,
        agentId: officerRow.id,
      });
    const inJune = await book(d, amina, '[2099-06-01 08:30+00,2099-06-01 09:15+00)');
    const inJuly = await book(d, amina, '[2099-07-10 08:30+00,2099-07-10 09:15+00)');
    const started = await book(
      d,
      amina,
      `[${new Date(Date.now() - 3600_000).toISOString()},${new Date(Date.now() + 3600_000).toISOString()})`,
    );
    const toKarim = await book(neighbour, karimToo, '[2099-06-02 08:30+00,2099-06-02 09:15+00)');
    const toNour = await book(neighbour, nour, '[2099-06-03 08:30+00,2099-06-03 09:15+00)');
    await query(`INSERT INTO phone_accounts (detainee_id, balance_cents, blocked_cents) VALUES ($1, 5000, 2742), ($2, 5000, 1828)`, [
      d.id,
      neighbour.id,
    ]);
    const blocked = async () =>
      (
        await query<{ b: number }>(
          `SELECT blocked_cents AS b FROM phone_accounts WHERE detainee_id IN ($1, $2) ORDER BY detainee_id = $1 DESC`,
          [d.id, neighbour.id],
        )
      ).map((r) => r.b);

    // A suspension until 30 June 2099: the June call is cancelled, not the July one nor the call under way.
    const readBack = page(
      await post(head, record, '/acces', {
        decision: 'SUSPEND',
        ground: 'CHARTER',
        until: '2099-06-30',
        motivation: 'Appel à un numéro non autorisé',
      }),
    );
    expect(readBack.text('read-back-cancelled')).toBe('1 appel réservé à venir sera annulé et son montant bloqué libéré.');
    expect(
      (
        await head
          .post(`${record}/acces`)
          .type('form')
          .send(readBack.formFields(`${record}/acces`))
      ).status,
    ).toBe(303);
    expect(await blocked()).toEqual([1828, 1828]);

    // A sanction on Karim's number cancels the neighbour's call to it; Nour's call stays.
    const sanction = page(
      await post(head, record, '/sanctions', {
        phone: '06 98 76 54 32',
        ground: 'CRIME_PREVENTION',
        motivation: 'Menaces envers un témoin',
      }),
    );
    expect(sanction.text('read-back-cancelled')).toBe('1 appel réservé à venir sera annulé et son montant bloqué libéré.');
    expect(
      (
        await head
          .post(`${record}/sanctions`)
          .type('form')
          .send(sanction.formFields(`${record}/sanctions`))
      ).status,
    ).toBe(303);
    expect(await blocked()).toEqual([1828, 914]);

    // Deactivating Nour cancels the neighbour's last call; deactivating Karim (no call) cancels none.
    const neighbourRecord = `${base}/${neighbour.id}`;
    const deactivate = page(await officer.get(`${neighbourRecord}/contacts/${nour.id}/desactiver`).expect(200));
    expect(deactivate.text('read-back-cancelled')).toBe('1 appel réservé à venir sera annulé et son montant bloqué libéré.');
    const none = page(await officer.get(`${record}/contacts/${karim.id}/desactiver`).expect(200));
    expect(none.text('read-back-cancelled')).toBe('Aucun appel réservé à venir ne sera annulé.');
    const gone = await officer
      .post(`${neighbourRecord}/contacts/${nour.id}/desactiver`)
      .type('form')
      .send(deactivate.formFields(`${neighbourRecord}/contacts/${nour.id}/desactiver`));
    expect(gone.status).toBe(303);
    expect(await blocked()).toEqual([1828, 0]);

    // A withdrawal cancels the detainee's July call; the call under way stays (it is closed by its outcome).
    const withdraw = { decision: 'WITHDRAW', ground: 'SECURITY', motivation: 'Tentative de contact avec un co-auteur' };
    const withdrawal = page(await post(head, record, '/acces', withdraw));
    expect(withdrawal.text('read-back-cancelled')).toBe('1 appel réservé à venir sera annulé et son montant bloqué libéré.');
    expect((await post(head, record, '/acces', { ...withdraw, confirm: 'oui' })).status).toBe(303);
    expect(await blocked()).toEqual([914, 0]);

    const statuses = await query<{ id: string; status: string; reason: string | null }>(
      `SELECT id, status, cancel_reason AS reason FROM video_call_bookings WHERE establishment_id = $1`,
      [e.id],
    );
    const of = (b: { id: string }) => statuses.find((r) => r.id === b.id);
    expect(of(inJune)).toMatchObject({
      status: 'CANCELLED',
      reason: 'Annulé : accès à la visiophonie suspendu par décision du chef d’établissement',
    });
    expect(of(inJuly)).toMatchObject({
      status: 'CANCELLED',
      reason: 'Annulé : accès à la visiophonie retiré par décision du chef d’établissement',
    });
    expect(of(started)).toMatchObject({ status: 'BOOKED', reason: null });
    expect(of(toKarim)).toMatchObject({ status: 'CANCELLED', reason: 'Annulé : numéro sanctionné par décision du chef d’établissement' });
    expect(of(toNour)).toMatchObject({ status: 'CANCELLED', reason: 'Annulé : contact retiré de la liste des contacts autorisés' });
    const audits = await query<{ entity: string; decision: string; released: number }>(
      `SELECT entity_id AS entity, after->'decision'->>'type' AS decision, (after->>'releasedCents')::int AS released
         FROM audit_log WHERE establishment_id = $1 AND action = 'VIDEO_CALL_CANCELLED' ORDER BY id`,
      [e.id],
    );
    expect(audits).toEqual([
      { entity: inJune.id, decision: 'video_call_access', released: 914 },
      { entity: toKarim.id, decision: 'sanctioned_number', released: 914 },
      { entity: toNour.id, decision: 'detainee_phone_contact', released: 914 },
      { entity: inJuly.id, decision: 'video_call_access', released: 914 },
    ]);
  });

  it('refuses other roles (403) and another establishment’s detainee (404)', async () => {
    const { e, d, base, record } = await establishment();
    const parloirRow = await insertAgent([{ establishmentId: e.id, role: 'PARLOIR_AGENT' }], { givenName: 'Nour', usualName: 'عبد الله' });
    const parloir = await signInAgent(suite.app.url, parloirRow);
    await parloir.get(base).expect(403);
    await parloir.get(record).expect(403);
    const adminRow = await insertAgent([{ establishmentId: e.id, role: 'ADMIN' }]);
    const admin = await signInAgent(suite.app.url, adminRow);
    await admin.get(record).expect(403);

    const other = await insertEstablishment();
    const stranger = await insertDetainee(other.id, { firstName: 'Łukasz', lastName: 'Kowalski' });
    await officer.get(`${base}/${stranger.id}`).expect(404);
    expect(
      (await post(officer, record, `/../${stranger.id}/contacts`, { name: 'X', phone: '0612345678', relationship: 'Ami' })).status,
    ).toBe(404);
    await officer.get(`/etablissements/${other.code}/visio/detenus/${d.id}`).expect(403);
    const released = await insertDetainee(e.id);
    await release(released);
    await officer.get(`${base}/${released.id}`).expect(404);
    expect(await query(`SELECT 1 FROM detainee_phone_contacts WHERE detainee_id = $1`, [stranger.id])).toEqual([]);
  });
});
