import { query, queryOne } from './helpers/db';
import { appForTests } from './helpers/app';
import { type HtmlPage, page } from './helpers/html';
import { signInAgent, type Agent } from './helpers/sign-in';
import { type AgentRow, grantRole, insertAgent, insertAgentElsewhere, insertDetainee, insertEstablishment } from './factories/people';
import { insertBooking, insertContact, insertDevice } from './factories/video-calls';

const suite = appForTests();

/** A frozen clock: Thursday 17 December 2026, 09:00 in Paris (Monday 21 may be booked until Saturday 19). */
const NOW = '2026-12-17T08:00:00Z';

/** The file's agents: an activities officer and a head of establishment, given their role where each test works. */
let officerRow: AgentRow;
let officer: Agent;
let headRow: AgentRow;
let head: Agent;
beforeAll(async () => {
  officerRow = await insertAgentElsewhere('ACTIVITIES_OFFICER', { givenName: 'Łukasz', usualName: 'Nguyễn' });
  headRow = await insertAgentElsewhere('HEAD_OF_ESTABLISHMENT', { givenName: 'Zoë', usualName: 'Dąbrowska' });
  [officer, head] = await Promise.all([signInAgent(suite.app.url, officerRow), signInAgent(suite.app.url, headRow)]);
  await suite.app.setClock(NOW, { frozen: true });
});
/** A new establishment with its officer and head. */
async function establishment() {
  const e = await insertEstablishment();
  await grantRole(officerRow.id, e.id, 'ACTIVITIES_OFFICER');
  await grantRole(headRow.id, e.id, 'HEAD_OF_ESTABLISHMENT');
  const visio = `/etablissements/${e.code}/visio`;
  return { e, visio, base: `${visio}/sanctions`, records: `${visio}/detenus` };
}

/** A sanction straight in the database, decided by the head. */
function insertSanction(
  establishmentId: string,
  phone: string,
  o: { decidedAt?: string; until?: string | null; motivation?: string; liftedAt?: string; liftMotivation?: string } = {},
): Promise<{ id: string }> {
  return queryOne<{ id: string }>(
    `INSERT INTO sanctioned_numbers (establishment_id, phone, until, motivation, decided_at, decided_by, lifted_at, lifted_by, lift_motivation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $7::timestamptz IS NULL THEN NULL ELSE $6::uuid END, $8) RETURNING id`,
    [
      establishmentId,
      phone,
      o.until ?? null,
      o.motivation ?? 'Sécurité — Appels malveillants',
      o.decidedAt ?? '2026-12-01T10:00:00Z',
      headRow.id,
      o.liftedAt ?? null,
      o.liftMotivation ?? null,
    ],
  );
}

/** The session's CSRF token, from a page with a form (the settings page). */
async function csrf(who: Agent, visio: string): Promise<string> {
  return page(await who.get(`${visio}/parametres`).expect(200)).csrf();
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

/** The links (text and address) of the detainees in the nth sanction row. */
function detaineeLinks(p: HtmlPage, row: number): [string, string][] {
  return p
    .testId('sanction')
    .eq(row)
    .find('td')
    .eq(4)
    .find('a')
    .toArray()
    .map((a) => [p.$(a).text().trim(), p.$(a).attr('href') ?? '']);
}

async function auditOf(establishmentId: string, action: string) {
  return query<{ label: string; entity: string; before: unknown; after: Record<string, unknown> }>(
    `SELECT actor_label AS label, entity_id AS entity, before, after FROM audit_log WHERE establishment_id = $1 AND action = $2 ORDER BY id`,
    [establishmentId, action],
  );
}

describe('the establishment’s sanctioned numbers', () => {
  it('lists the sanctions in force first, then the lifted and ended ones, with the detainees whose active contacts use each number', async () => {
    const { e, base, records } = await establishment();
    const sukru = await insertDetainee(e.id, { firstName: 'Şükrü', lastName: 'Öztürk' });
    const mohamed = await insertDetainee(e.id, { firstName: 'محمد', lastName: 'حداد' });
    const lan = await insertDetainee(e.id, { firstName: 'Thị Lan', lastName: 'Nguyễn' });
    const gone = await insertDetainee(e.id, { firstName: 'Łukasz', lastName: 'Kowalski' });
    await insertContact(sukru.id, officerRow.id, { name: 'Karim Haddad', phone: '+33698765432' });
    await insertContact(mohamed.id, officerRow.id, { name: 'كريم حداد', phone: '+33698765432' });
    const old = await insertContact(lan.id, officerRow.id, { name: 'Karim Haddad', phone: '+33698765432' });
    await query(`UPDATE detainee_phone_contacts SET active = false WHERE id = $1`, [old.id]);
    await insertContact(gone.id, officerRow.id, { name: 'Karim Haddad', phone: '+33698765432' });
    await query(`UPDATE detainees SET custody_status = 'LIBERE', left_at = now() WHERE id = $1`, [gone.id]);
    await insertContact(lan.id, officerRow.id, { name: 'Agnieszka Wiśniewska', phone: '+48512345678' });

    await insertSanction(e.id, '+33611223344', {
      decidedAt: '2026-01-05T10:00:00Z',
      until: '2026-02-01T00:00:00+01',
      motivation: 'Sécurité — Fin',
    });
    await insertSanction(e.id, '+33644556677', {
      decidedAt: '2026-03-01T10:00:00Z',
      liftedAt: '2026-03-05T15:30:00Z',
      liftMotivation: 'Erreur sur le numéro',
      motivation: 'Sécurité — Erreur',
    });
    await insertSanction(e.id, '+48512345678', {
      decidedAt: '2026-12-01T10:00:00Z',
      until: '2099-07-01T00:00:00+02',
      motivation: 'Sécurité — Juin',
    });
    const inForce = await insertSanction(e.id, '+33698765432', {
      decidedAt: '2026-12-10T09:00:00Z',
      motivation: 'Prévention des infractions — Menaces envers un témoin',
    });

    const p = page(await officer.get(base).expect(200));
    expect(p.heading()).toBe(`Visio : numéros sanctionnés — ${e.name}`);
    expect(cells(p, 'sanction').map((r) => [r[0], r[1], r[2], r[3], r[5]])).toEqual([
      [
        '06 98 76 54 32',
        'En vigueur sans fin',
        'Prévention des infractions — Menaces envers un témoin',
        'Zoë Dąbrowska, le 10 décembre 2026 à 10:00',
        '—',
      ],
      ['+48 512 345 678', 'En vigueur jusqu’au 30 juin 2099 inclus', 'Sécurité — Juin', 'Zoë Dąbrowska, le 1 décembre 2026 à 11:00', '—'],
      [
        '06 44 55 66 77',
        'Levée le 5 mars 2026 à 16:30 par Zoë Dąbrowska : Erreur sur le numéro (prévue sans fin)',
        'Sécurité — Erreur',
        'Zoë Dąbrowska, le 1 mars 2026 à 11:00',
        '—',
      ],
      ['06 11 22 33 44', 'Terminée jusqu’au 31 janvier 2026 inclus', 'Sécurité — Fin', 'Zoë Dąbrowska, le 5 janvier 2026 à 11:00', '—'],
    ]);
    expect(detaineeLinks(p, 0).sort()).toEqual(
      [
        [`ÖZTÜRK Şükrü (écrou ${sukru.ecrouNumber})`, `${records}/${sukru.id}`],
        [`حداد محمد (écrou ${mohamed.ecrouNumber})`, `${records}/${mohamed.id}`],
      ].sort(),
    );
    expect(detaineeLinks(p, 1)).toEqual([[`NGUYỄN Thị Lan (écrou ${lan.ecrouNumber})`, `${records}/${lan.id}`]]);
    expect(cells(p, 'sanction')[2][4]).toBe('Aucun');
    expect(p.has('sanction-form')).toBe(false);
    expect(p.link(`Visio : numéros sanctionnés (${e.code})`)).toBe(base);

    const record = page(await officer.get(`${records}/${sukru.id}`).expect(200));
    expect(record.link('Numéros sanctionnés de l’établissement')).toBe(base);

    const asHead = page(await head.get(base).expect(200));
    expect(asHead.has('sanction-form')).toBe(true);
    expect(cells(asHead, 'sanction').map((r) => r[5])).toEqual([
      'Lever la sanction du numéro 06 98 76 54 32',
      'Lever la sanction du numéro +48 512 345 678',
      '—',
      '—',
    ]);
    expect(asHead.link('Lever la sanction du numéro 06 98 76 54 32')).toBe(`${base}/${inForce.id}/lever`);
  });

  it('pages the sanctions 20 by 20, a page past the last showing the last, and finds a number by its digits', async () => {
    const { e, base } = await establishment();
    for (let i = 0; i < 23; i++)
      await insertSanction(e.id, `+336100000${String(i).padStart(2, '0')}`, {
        decidedAt: new Date(Date.parse('2026-12-01T10:00:00Z') + i * 60_000).toISOString(),
      });
    await insertSanction(e.id, '+33698765432', { decidedAt: '2026-11-01T10:00:00Z' });

    const first = page(await officer.get(base).expect(200));
    expect(first.testId('sanction')).toHaveLength(20);
    expect(cells(first, 'sanction')[0][0]).toBe('06 10 00 00 22');
    expect(first.$('caption').text()).toContain('(24)');
    expect(first.link('Page suivante')).toBe(`${base}?page=2`);
    const second = page(await officer.get(`${base}?page=2`).expect(200));
    expect(cells(second, 'sanction').map((r) => r[0])).toEqual(['06 10 00 00 02', '06 10 00 00 01', '06 10 00 00 00', '06 98 76 54 32']);
    // A page past the last shows the last one, never « aucun numéro ».
    const past = page(await officer.get(`${base}?page=99`).expect(200));
    expect(cells(past, 'sanction').map((r) => r[0])).toEqual(['06 10 00 00 02', '06 10 00 00 01', '06 10 00 00 00', '06 98 76 54 32']);

    const whole = page(await officer.get(`${base}?q=${encodeURIComponent('06 98 76 54 32')}`).expect(200));
    expect(cells(whole, 'sanction').map((r) => r[0])).toEqual(['06 98 76 54 32']);
    const part = page(await officer.get(`${base}?q=${encodeURIComponent('06 10')}`).expect(200));
    expect(part.testId('sanction')).toHaveLength(20);
    expect(part.link('Page suivante')).toBe(`${base}?q=${encodeURIComponent('06 10')}&page=2`);
    const none = page(await officer.get(`${base}?q=Haddad`).expect(200));
    expect(none.text('no-result')).toBe('Aucun numéro sanctionné ne correspond à « Haddad ».');
  });

  it('hides another establishment’s sanctions and answers 404 for their id', async () => {
    const { e, visio, base } = await establishment();
    await insertSanction(e.id, '+33698765432');
    const elsewhere = await insertEstablishment();
    const far = await insertSanction(elsewhere.id, '+33611223344');

    const p = page(await head.get(base).expect(200));
    expect(cells(p, 'sanction').map((r) => r[0])).toEqual(['06 98 76 54 32']);
    await head.get(`${base}/${far.id}/lever`).expect(404);
    const token = await csrf(head, visio);
    await head
      .post(`${base}/${far.id}/lever`)
      .type('form')
      .send({ _csrf: token, motivation: 'Levée par erreur d’établissement', confirm: 'oui' })
      .expect(404);
    await head.get(`/etablissements/${elsewhere.code}/visio/sanctions`).expect(403);
    expect(await queryOne(`SELECT lifted_at AS "liftedAt" FROM sanctioned_numbers WHERE id = $1`, [far.id])).toEqual({ liftedAt: null });
  });

  it('refuses the activities officer the sanction and the lifting (403), and other roles the page', async () => {
    const { e, visio, base } = await establishment();
    const s = await insertSanction(e.id, '+33698765432');
    const token = await csrf(officer, visio);
    const sanction = await officer
      .post(base)
      .type('form')
      .send({ _csrf: token, phone: '06 12 34 56 78', ground: 'SECURITY', motivation: 'Appels malveillants répétés', confirm: 'oui' });
    expect(sanction.status).toBe(403);
    expect(page(sanction).mainText()).toContain(
      'Seul le chef d’établissement ou un agent ayant sa délégation de signature peut prendre cette décision.',
    );
    await officer.get(`${base}/${s.id}/lever`).expect(403);
    await officer
      .post(`${base}/${s.id}/lever`)
      .type('form')
      .send({ _csrf: token, motivation: 'Le contact a changé de numéro', confirm: 'oui' })
      .expect(403);
    expect(await query(`SELECT phone, lifted_at AS "liftedAt" FROM sanctioned_numbers WHERE establishment_id = $1`, [e.id])).toEqual([
      { phone: '+33698765432', liftedAt: null },
    ]);

    const parloirRow = await insertAgent([{ establishmentId: e.id, role: 'PARLOIR_AGENT' }], { givenName: 'Nour', usualName: 'عبد الله' });
    const parloir = await signInAgent(suite.app.url, parloirRow);
    await parloir.get(base).expect(403);
    expect(await auditOf(e.id, 'VIDEO_CALL_NUMBER_SANCTIONED')).toEqual([]);
    expect(await auditOf(e.id, 'VIDEO_CALL_SANCTION_LIFTED')).toEqual([]);
  });

  it('records a sanction from the list for any number after a read-back, cancelling the future calls to it and telling their contacts, once per number, audited', async () => {
    const { e, base } = await establishment();
    const device = await insertDevice(e.id, 'Salle visio Ağrı');
    const d = await insertDetainee(e.id, { firstName: 'Şükrü', lastName: 'Öztürk' });
    const karim = await insertContact(d.id, officerRow.id, { name: 'كريم حداد', phone: '+48512345678' });
    const call = await insertBooking({
      establishmentId: e.id,
      detainee: { id: d.id, contact: karim.id },
      deviceId: device.id,
      slot: '[2026-12-21 07:30+00,2026-12-21 08:15+00)',
      agentId: officerRow.id,
    });
    await query(`INSERT INTO phone_accounts (detainee_id, balance_cents, blocked_cents) VALUES ($1, 5000, 914)`, [d.id]);
    const token = page(await head.get(base).expect(200)).csrf();

    const bad = await head.post(base).type('form').send({ _csrf: token, phone: '0612', ground: 'SECURITY', motivation: 'court' });
    expect(bad.status).toBe(400);
    expect(page(bad).errors()).toEqual([
      'Numéro sanctionné : un numéro valide, par exemple 06 12 34 56 78',
      'Motivation : expliquez la sanction en quelques mots (10 caractères au moins)',
    ]);
    expect(page(bad).value('phone')).toBe('0612');
    expect(page(bad).value('ground')).toBe('SECURITY');

    const readBack = page(
      await head
        .post(base)
        .type('form')
        .send({ _csrf: token, phone: '+48 512 345 678', until: '2027-01-31', ground: 'SECURITY', motivation: 'Menaces lors d’un appel' })
        .expect(200),
    );
    expect(readBack.heading()).toBe('Confirmer la sanction du numéro +48 512 345 678 ?');
    expect(readBack.mainText()).toContain(
      `Aucune personne détenue de ${e.name} ne pourra appeler ce numéro jusqu’au 31 janvier 2027 inclus.`,
    );
    expect(readBack.text('read-back-cancelled')).toBe('1 appel réservé à venir sera annulé et son montant bloqué libéré.');
    expect(readBack.link('Annuler, revenir aux numéros sanctionnés')).toBe(base);
    const confirmed = await head.post(base).type('form').send(readBack.formFields(base));
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe(`${base}?fait=sanction`);

    // A number that is no contact's is sanctioned all the same, a minute later (the list shows the latest first).
    await suite.app.setClock(new Date(Date.parse(NOW) + 60_000).toISOString(), { frozen: true });
    const stranger = await head
      .post(base)
      .type('form')
      .send({ _csrf: token, phone: '07 81 22 33 44', ground: 'CRIME_PREVENTION', motivation: 'Numéro d’un co-auteur', confirm: 'oui' });
    expect(stranger.status).toBe(303);

    const p = page(await officer.get(`${base}?fait=sanction`).expect(200));
    expect(p.text('done')).toBe(
      'La sanction du numéro est enregistrée : il est bloqué pour toutes les personnes détenues de l’établissement.',
    );
    expect(cells(p, 'sanction').map((r) => [r[0], r[1], r[4]])).toEqual([
      ['07 81 22 33 44', 'En vigueur sans fin', 'Aucun'],
      ['+48 512 345 678', 'En vigueur jusqu’au 31 janvier 2027 inclus', `ÖZTÜRK Şükrü (écrou ${d.ecrouNumber})`],
    ]);
    expect(await queryOne(`SELECT status, cancel_reason AS reason FROM video_call_bookings WHERE id = $1`, [call.id])).toEqual({
      status: 'CANCELLED',
      reason: 'Annulé : numéro sanctionné par décision du chef d’établissement',
    });
    expect(await queryOne(`SELECT blocked_cents AS blocked FROM phone_accounts WHERE detainee_id = $1`, [d.id])).toEqual({ blocked: 0 });
    // The contact of the cancelled call is told by SMS.
    expect(
      await query(
        `SELECT r.address, n.body_text AS body FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
          WHERE n.entity_id = $1 AND n.template = 'video-call-cancelled'`,
        [call.id],
      ),
    ).toEqual([
      {
        address: '+48512345678',
        body: "P2V Justice : l'appel en visio avec votre proche prévu le 21/12 à 08h30 est annulé. Aucun code ne vous sera envoyé.",
      },
    ]);
    // A second sanction on a number already sanctioned is refused: lifting one of two would not free it.
    const twice = await head
      .post(base)
      .type('form')
      .send({ _csrf: token, phone: '07 81 22 33 44', ground: 'SECURITY', motivation: 'Nouvel incident signalé', confirm: 'oui' });
    expect(twice.status).toBe(409);
    expect(page(twice).errors()).toEqual([
      'Ce numéro est déjà sanctionné sans fin : levez d’abord cette sanction depuis la liste des numéros sanctionnés pour en décider une autre.',
    ]);
    expect(page(twice).value('phone')).toBe('07 81 22 33 44');
    const audits = await auditOf(e.id, 'VIDEO_CALL_NUMBER_SANCTIONED');
    expect(audits.map((a) => [a.label, a.after.phone, a.after.detaineeId])).toEqual([
      ['Zoë Dąbrowska', '+48512345678', null],
      ['Zoë Dąbrowska', '+33781223344', null],
    ]);
    await suite.app.setClock(NOW, { frozen: true });
  });

  it('lifts a sanction only with a motivation, after a read-back saying that the calls it cancelled stay cancelled, audited', async () => {
    const { e, base } = await establishment();
    const device = await insertDevice(e.id, 'Salle visio 1');
    const d = await insertDetainee(e.id, { firstName: 'Thị Lan', lastName: 'Nguyễn' });
    const karim = await insertContact(d.id, officerRow.id, { name: 'Karim Haddad', phone: '+33698765432' });
    const call = await insertBooking({
      establishmentId: e.id,
      detainee: { id: d.id, contact: karim.id },
      deviceId: device.id,
      slot: '[2026-12-22 07:30+00,2026-12-22 08:15+00)',
      agentId: officerRow.id,
    });
    const token = page(await head.get(base).expect(200)).csrf();
    await head
      .post(base)
      .type('form')
      .send({ _csrf: token, phone: '06 98 76 54 32', ground: 'SECURITY', motivation: 'Menaces lors d’un appel', confirm: 'oui' })
      .expect(303);
    const { id } = await queryOne<{ id: string }>(`SELECT id FROM sanctioned_numbers WHERE establishment_id = $1`, [e.id]);
    const lift = `${base}/${id}/lever`;

    const form = page(await head.get(lift).expect(200));
    expect(form.heading()).toBe('Lever la sanction du numéro 06 98 76 54 32');
    expect(form.text('lift-notice')).toContain('La levée ne rétablit pas les appels annulés par la sanction : ils restent annulés');

    const short = await head.post(lift).type('form').send({ _csrf: token, motivation: 'Erreur' });
    expect(short.status).toBe(400);
    expect(page(short).fieldError('motivation')).toBe('Motivation de la levée : expliquez-la en quelques mots (10 caractères au moins)');
    expect(page(short).value('motivation')).toBe('Erreur');
    const none = await head.post(lift).type('form').send({ _csrf: token, confirm: 'oui' });
    expect(none.status).toBe(400);
    expect(page(none).errors()).toEqual(['Motivation de la levée : expliquez-la en quelques mots (10 caractères au moins)']);

    const readBack = page(
      await head.post(lift).type('form').send({ _csrf: token, motivation: 'Le numéro a été réattribué à un tiers' }).expect(200),
    );
    expect(readBack.heading()).toBe('Confirmer la levée de la sanction du numéro 06 98 76 54 32 ?');
    expect(readBack.text('read-back-motivation')).toBe('Le numéro a été réattribué à un tiers');
    expect(readBack.text('lift-notice')).toBe(
      `Une fois la sanction levée, toutes les personnes détenues de ${e.name} pourront de nouveau appeler ce numéro. La levée ne rétablit pas les appels annulés par la sanction : ils restent annulés et doivent être réservés de nouveau.`,
    );
    expect(await queryOne(`SELECT lifted_at AS "liftedAt" FROM sanctioned_numbers WHERE id = $1`, [id])).toEqual({ liftedAt: null });
    const confirmed = await head.post(lift).type('form').send(readBack.formFields(lift));
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe(`${base}?fait=levee`);

    const p = page(await officer.get(`${base}?fait=levee`).expect(200));
    expect(p.text('done')).toBe(
      'La sanction est levée : le numéro peut de nouveau être appelé. Les appels annulés par la sanction restent annulés.',
    );
    expect(cells(p, 'sanction')[0][1]).toBe(
      'Levée le 17 décembre 2026 à 09:00 par Zoë Dąbrowska : Le numéro a été réattribué à un tiers (prévue sans fin)',
    );
    expect(
      await queryOne(
        `SELECT lifted_at AS "liftedAt", lifted_by AS "by", lift_motivation AS motivation FROM sanctioned_numbers WHERE id = $1`,
        [id],
      ),
    ).toEqual({ liftedAt: new Date(NOW), by: headRow.id, motivation: 'Le numéro a été réattribué à un tiers' });
    expect(await queryOne(`SELECT status FROM video_call_bookings WHERE id = $1`, [call.id])).toEqual({ status: 'CANCELLED' });
    const audits = await auditOf(e.id, 'VIDEO_CALL_SANCTION_LIFTED');
    expect(audits).toEqual([
      {
        label: 'Zoë Dąbrowska',
        entity: id,
        before: { phone: '+33698765432', until: null, motivation: 'Sécurité — Menaces lors d’un appel', liftedAt: null },
        after: { liftedAt: new Date(NOW).toISOString(), liftMotivation: 'Le numéro a été réattribué à un tiers' },
      },
    ]);

    // Lifted once: lifting again is refused, in French.
    const again = await head
      .post(lift)
      .type('form')
      .send({ _csrf: token, motivation: 'Le numéro a été réattribué à un tiers', confirm: 'oui' });
    expect(again.status).toBe(409);
    expect(page(again).errors()).toEqual(['Cette sanction est déjà levée : il n’y a rien à lever.']);
    expect((await head.get(lift)).status).toBe(409);
    expect(await auditOf(e.id, 'VIDEO_CALL_SANCTION_LIFTED')).toHaveLength(1);
  });

  it('the database keeps a lifting whole: author, time and motivation together, after the decision and before the sanction’s end', async () => {
    const { e } = await establishment();
    const s = await insertSanction(e.id, '+33698765432', { decidedAt: '2026-12-01T10:00:00Z', until: '2027-01-01T00:00:00+01' });
    const lift = (at: string, by: string | null, motivation: string | null) =>
      query(`UPDATE sanctioned_numbers SET lifted_at = $2, lifted_by = $3, lift_motivation = $4 WHERE id = $1`, [s.id, at, by, motivation]);
    await expect(lift('2026-12-10T10:00:00Z', headRow.id, null)).rejects.toThrow(/sanctioned_numbers_lift/);
    await expect(lift('2026-12-10T10:00:00Z', null, 'Levée sans auteur')).rejects.toThrow(/sanctioned_numbers_lift/);
    await expect(lift('2026-12-10T10:00:00Z', headRow.id, '   ')).rejects.toThrow(/sanctioned_numbers_lift/);
    await expect(lift('2026-11-30T10:00:00Z', headRow.id, 'Levée avant la décision')).rejects.toThrow(/sanctioned_numbers_lift/);
    await expect(lift('2027-01-02T10:00:00Z', headRow.id, 'Levée après la fin')).rejects.toThrow(/sanctioned_numbers_lift/);
    await lift('2026-12-10T10:00:00Z', headRow.id, 'Levée après enquête');
  });

  it('books a call to a number again once its sanction is lifted, and the records no longer flag it', async () => {
    const { e, visio, base, records } = await establishment();
    await insertDevice(e.id, 'Salle visio 1');
    const d = await insertDetainee(e.id, { firstName: 'Ömer', lastName: 'Çelik' });
    await query(`INSERT INTO video_call_charters (detainee_id, signed_on, recorded_by) VALUES ($1, '2026-11-02', $2)`, [
      d.id,
      officerRow.id,
    ]);
    await query(`INSERT INTO phone_accounts (detainee_id, balance_cents, plan_code) VALUES ($1, 5000, 'NONE')`, [d.id]);
    const contact = await insertContact(d.id, officerRow.id, { name: 'نور حداد', phone: '+33699887766' });
    const s = await insertSanction(e.id, '+33699887766');
    const token = await csrf(officer, visio);
    const book = () =>
      officer
        .post(`${visio}/reserver`)
        .type('form')
        .send({ _csrf: token, detenu: d.id, jour: '2026-12-21', debut: '08:30', contact: contact.id });

    const refused = await book().expect(422);
    expect(page(refused).text('refused')).toBe('Ce numéro fait l’objet d’une sanction : aucun appel ne peut y être passé.');
    expect(page(await officer.get(`${records}/${d.id}`).expect(200)).text('sanctioned')).toBe('Numéro sanctionné sans date de fin');

    await head
      .post(`${base}/${s.id}/lever`)
      .type('form')
      .send({ _csrf: await csrf(head, visio), motivation: 'Sanction levée après enquête', confirm: 'oui' })
      .expect(303);

    expect(page(await officer.get(`${records}/${d.id}`).expect(200)).has('sanctioned')).toBe(false);
    await book().expect(303);
    expect(await query(`SELECT status FROM video_call_bookings WHERE detainee_id = $1`, [d.id])).toEqual([{ status: 'BOOKED' }]);
  });
});
