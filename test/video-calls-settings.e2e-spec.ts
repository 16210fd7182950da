import { Client } from 'pg';
import { query, queryOne, testDatabaseUrl } from './helpers/db';
import { appForTests } from './helpers/app';
import { type HtmlPage, page } from './helpers/html';
import { signInAgent, type Agent } from './helpers/sign-in';
import {
  type AgentRow,
  type EstablishmentRow,
  grantRole,
  insertAgent,
  insertAgentElsewhere,
  insertDetainee,
  insertEstablishment,
} from './factories/people';
import { insertBooking, insertContact, insertDevice } from './factories/video-calls';

const suite = appForTests();

/** The file's agents, one per role, given their role where each test works. */
let officerRow: AgentRow;
let officer: Agent;
let adminRow: AgentRow;
let admin: Agent;
beforeAll(async () => {
  officerRow = await insertAgentElsewhere('ACTIVITIES_OFFICER', { givenName: 'Łukasz', usualName: 'Nguyễn' });
  adminRow = await insertAgentElsewhere('ADMIN', { givenName: 'Şükrü', usualName: 'Öztürk' });
  [officer, admin] = await Promise.all([signInAgent(suite.app.url, officerRow), signInAgent(suite.app.url, adminRow)]);
});

/** A new establishment where the officer and the administrator hold their roles. */
async function establishment() {
  const e = await insertEstablishment();
  await grantRole(officerRow.id, e.id, 'ACTIVITIES_OFFICER');
  await grantRole(adminRow.id, e.id, 'ADMIN');
  return { e, base: `/etablissements/${e.code}/visio/parametres` };
}

/** Posts a form of the settings page as the browser would, with the page's CSRF token. */
async function post(who: Agent, base: string, path: string, fields: Record<string, string | string[]>) {
  const csrf = page(await who.get(base).expect(200)).csrf();
  return who
    .post(`${base}${path}`)
    .type('form')
    .send({ _csrf: csrf, ...fields });
}

/** The note's values, as the edit form sends them untouched. */
const NOTE_FORM = {
  weekdays: ['1', '2', '3', '4', '5', '6'],
  slots: '08:30-09:15\n09:30-10:15\n10:30-11:15\n13:45-14:30\n14:45-15:30\n15:45-16:30',
  noticeHours: '48',
  mondayTuesdayUntilSaturday: 'oui',
  quotaCalls: '1',
  quotaWeeks: '4',
  minMinutes: '20',
  maxMinutes: '30',
  planCode: ['NONE', '20', '30', '40', '50', '70', '100'],
  perMinute: ['0,30', '0,26', '0,25', '0,20', '0,27', '0,25', '0,20'],
  connection: ['0,14', '0,00', '0,00', '0,00', '0,00', '0,00', '0,00'],
};

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

describe('the video-call settings page', () => {
  it('shows the service note’s values when the establishment saved none, with the remark on the 50 € plan', async () => {
    const { e, base } = await establishment();
    const p = page(await officer.get(base).expect(200));
    expect(p.heading()).toBe(`Visio : paramètres — ${e.name}`);
    expect(p.text('source')).toBe(
      'Aucun paramètre enregistré pour l’établissement : ce sont les valeurs de la note de service n° 267-2020.',
    );
    expect(p.text('current-weekdays')).toBe('lundi, mardi, mercredi, jeudi, vendredi, samedi (jamais le dimanche ni les jours fériés)');
    expect(p.text('current-slots')).toBe('08:30–09:15, 09:30–10:15, 10:30–11:15, 13:45–14:30, 14:45–15:30, 15:45–16:30');
    expect(p.text('current-notice')).toBe(
      '48 heures ; les créneaux du lundi et du mardi sont réservables jusqu’au samedi précédent à minuit',
    );
    expect(p.text('current-quota')).toBe('1 appel(s) toutes les 4 semaine(s)');
    expect(p.text('current-length')).toBe('de 20 à 30 minutes');
    expect(cells(p, 'price')).toEqual([
      ['Sans forfait', '0,30 €', '0,14 €'],
      ['Forfait 20 €', '0,26 €', '0,00 €'],
      ['Forfait 30 €', '0,25 €', '0,00 €'],
      ['Forfait 40 €', '0,20 €', '0,00 €'],
      ['Forfait 50 €', '0,27 €', '0,00 €'],
      ['Forfait 70 €', '0,25 €', '0,00 €'],
      ['Forfait 100 €', '0,20 €', '0,00 €'],
    ]);
    expect(p.text('price-remark')).toContain('Le forfait 50 € à 0,27 €/min est repris tel que l’écrit la note de service');
    expect(p.value('slots')).toBe(NOTE_FORM.slots);
    expect(p.value('noticeHours')).toBe('48');
    expect(p.link(`Visio : paramètres (${e.code})`)).toBe(base);
    expect(p.mainText()).toContain('Aucune modification : les valeurs de la note de service n° 267-2020 s’appliquent.');
  });

  it('saves each edit as a new version, audited, and lists who changed what in the history', async () => {
    const { e, base } = await establishment();
    const first = await post(officer, base, '', {
      ...NOTE_FORM,
      weekdays: ['1', '2', '3', '4', '5'],
      noticeHours: '72',
      perMinute: ['0,30', '0,26', '0,25', '0,20', '0,2', '0,25', '0,20'],
    });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`${base}?fait=reglages`);
    const second = await post(officer, base, '', {
      ...NOTE_FORM,
      weekdays: ['1', '2', '3', '4', '5'],
      noticeHours: '72',
      quotaCalls: '2',
      perMinute: ['0,30', '0,26', '0,25', '0,20', '0,20', '0,25', '0,20'],
      mondayTuesdayUntilSaturday: '',
    });
    expect(second.status).toBe(303);
    const same = await post(officer, base, '', {
      ...NOTE_FORM,
      weekdays: ['1', '2', '3', '4', '5'],
      noticeHours: '72',
      quotaCalls: '2',
      perMinute: ['0,30', '0,26', '0,25', '0,20', '0,20', '0,25', '0,20'],
      mondayTuesdayUntilSaturday: '',
    });
    expect(same.headers.location).toBe(`${base}?fait=inchanges`);

    const p = page(await officer.get(`${base}?fait=reglages`).expect(200));
    expect(p.text('done')).toBe('Les paramètres sont enregistrés : une nouvelle version s’applique dès maintenant.');
    expect(p.text('source')).toMatch(/^Version 2, enregistrée le .+ par Łukasz Nguyễn\.$/);
    expect(p.text('current-weekdays')).toBe('lundi, mardi, mercredi, jeudi, vendredi (jamais le dimanche ni les jours fériés)');
    expect(p.text('current-notice')).toBe('72 heures');
    expect(p.text('current-quota')).toBe('2 appel(s) toutes les 4 semaine(s)');
    expect(cells(p, 'price')[4]).toEqual(['Forfait 50 €', '0,20 €', '0,00 €']);
    const history = p
      .testId('version')
      .toArray()
      .map((row) => [
        p.$(row).find('td').first().text(),
        p.$(row).find('td').eq(2).text(),
        p
          .$(row)
          .find('[data-testid="change"]')
          .toArray()
          .map((li) => p.$(li).text()),
      ]);
    expect(history).toEqual([
      [
        '2',
        'Łukasz Nguyễn',
        ['Lundi et mardi réservables jusqu’au samedi : oui → non', 'Quota : 1 appel(s) en 4 semaine(s) → 2 appel(s) en 4 semaine(s)'],
      ],
      [
        '1',
        'Łukasz Nguyễn',
        [
          'Jours ouverts : lundi, mardi, mercredi, jeudi, vendredi, samedi → lundi, mardi, mercredi, jeudi, vendredi',
          'Délai de prévenance : 48 h → 72 h',
          'Forfait 50 € : 0,27 €/min → 0,20 €/min',
        ],
      ],
    ]);
    const rows = await query<{ version: number; settings: { noticeHours: number; plans: { code: string; centsPerMinute: number }[] } }>(
      `SELECT version, settings FROM video_call_settings WHERE establishment_id = $1 ORDER BY version`,
      [e.id],
    );
    expect(rows.map((r) => [r.version, r.settings.noticeHours, r.settings.plans.find((x) => x.code === '50')?.centsPerMinute])).toEqual([
      [1, 72, 20],
      [2, 72, 20],
    ]);
    const audit = await query<{ action: string; label: string; before: { noticeHours: number }; after: { version: number } }>(
      `SELECT action, actor_label AS label, before, after FROM audit_log WHERE establishment_id = $1 ORDER BY id`,
      [e.id],
    );
    expect(audit.map((a) => [a.action, a.label, a.before.noticeHours, a.after.version])).toEqual([
      ['VIDEO_CALL_SETTINGS_CHANGED', 'Łukasz Nguyễn', 48, 1],
      ['VIDEO_CALL_SETTINGS_CHANGED', 'Łukasz Nguyễn', 72, 2],
    ]);
  });

  it('refuses in French overlapping slots, a slot ending before it starts, a negative price and a longest call beyond a slot, keeping the values typed', async () => {
    const { e, base } = await establishment();
    const overlap = await post(officer, base, '', { ...NOTE_FORM, slots: '08:30-09:15\n09:00-09:45' });
    expect(overlap.status).toBe(400);
    expect(page(overlap).errors()).toEqual(['Les créneaux 08:30-09:15 et 09:00-09:45 se chevauchent']);
    expect(page(overlap).value('slots')).toBe('08:30-09:15\n09:00-09:45');
    const backwards = await post(officer, base, '', { ...NOTE_FORM, slots: '10:15-09:30', noticeHours: '50' });
    expect(backwards.status).toBe(400);
    expect(page(backwards).fieldError('slots')).toBe('Créneau « 10:15-09:30 » : la fin doit être après le début');
    expect(page(backwards).value('noticeHours')).toBe('50');
    const negative = await post(officer, base, '', { ...NOTE_FORM, perMinute: ['-0,30', '0,26', '0,25', '0,20', '0,27', '0,25', '0,20'] });
    expect(negative.status).toBe(400);
    expect(page(negative).errors()).toEqual(['Sans forfait : le prix par minute est un montant en euros positif ou nul, par exemple 0,30']);
    expect(page(negative).$('input[name="perMinute"]').first().attr('value')).toBe('-0,30');
    const many = await post(officer, base, '', { ...NOTE_FORM, weekdays: ['7'], maxMinutes: '50', quotaWeeks: 'quatre', slots: 'midi' });
    expect(many.status).toBe(400);
    expect(page(many).errors()).toEqual([
      'Cochez au moins un jour ouvert, du lundi au samedi',
      'Créneau « midi » : écrivez-le au format HH:MM-HH:MM',
      'Durée du quota, en semaines : un nombre entier entre 1 et 52',
    ]);
    const tooLong = await post(officer, base, '', { ...NOTE_FORM, maxMinutes: '50' });
    expect(page(tooLong).errors()).toEqual(['La durée maximale d’un appel dépasse le créneau le plus court (45 min)']);
    expect(await query(`SELECT 1 FROM video_call_settings WHERE establishment_id = $1`, [e.id])).toEqual([]);
  });

  it('refuses in French a crafted price table that drops or adds a plan, so a plan in use keeps its price', async () => {
    const { e, base } = await establishment();
    const dropped = await post(officer, base, '', {
      ...NOTE_FORM,
      planCode: NOTE_FORM.planCode.slice(1),
      perMinute: NOTE_FORM.perMinute.slice(1),
      connection: NOTE_FORM.connection.slice(1),
    });
    expect(dropped.status).toBe(400);
    expect(page(dropped).errors()).toEqual(['Le tableau des prix ne correspond plus aux forfaits en vigueur : rechargez la page']);
    const added = await post(officer, base, '', {
      ...NOTE_FORM,
      planCode: [...NOTE_FORM.planCode, '200'],
      perMinute: [...NOTE_FORM.perMinute, '0,10'],
      connection: [...NOTE_FORM.connection, '0,00'],
    });
    expect(added.status).toBe(400);
    expect(page(added).errors()).toEqual(['Le tableau des prix ne correspond plus aux forfaits en vigueur : rechargez la page']);
    expect(await query(`SELECT 1 FROM video_call_settings WHERE establishment_id = $1`, [e.id])).toEqual([]);
    expect((await post(officer, base, '', { ...NOTE_FORM, maxMinutes: '25' })).status).toBe(303);
    expect(await query(`SELECT count(*)::int AS n FROM video_call_settings WHERE establishment_id = $1`, [e.id])).toEqual([{ n: 1 }]);
  });

  it('pages the history ten versions at a time', async () => {
    const { e, base } = await establishment();
    for (let v = 1; v <= 11; v++) {
      await query(
        `INSERT INTO video_call_settings (establishment_id, version, settings, changed_by, valid_from)
         VALUES ($1, $2, $3, $4, now() - make_interval(days => 20 - $2::int))`,
        [e.id, v, JSON.stringify({ ...NOTE_2020, noticeHours: 48 + v }), officerRow.id],
      );
    }
    const first = page(await officer.get(base).expect(200));
    expect(cells(first, 'version').map((r) => r[0])).toEqual(['11', '10', '9', '8', '7', '6', '5', '4', '3', '2']);
    expect(cells(first, 'version')[0][3]).toBe('Délai de prévenance : 58 h → 59 h');
    const second = page(await officer.get(first.link('Page suivante')).expect(200));
    expect(cells(second, 'version')).toEqual([['1', expect.any(String), 'Łukasz Nguyễn', 'Délai de prévenance : 48 h → 49 h']]);
  });

  it('lets only the activities officer and the head change the settings, only the administrator and the head the devices', async () => {
    const { e, base } = await establishment();
    // A visiting-room agent here (activities officer elsewhere, where their page gives them a CSRF token).
    const elsewhere0 = await insertEstablishment();
    const parloirRow = await insertAgent(
      [
        { establishmentId: e.id, role: 'PARLOIR_AGENT' },
        { establishmentId: elsewhere0.id, role: 'ACTIVITIES_OFFICER' },
      ],
      { givenName: 'Nour', usualName: 'عبد الله' },
    );
    const parloir = await signInAgent(suite.app.url, parloirRow);
    await parloir.get(base).expect(403);
    const csrf = page(await parloir.get(`/etablissements/${elsewhere0.code}/visio/parametres`).expect(200)).csrf();
    await parloir
      .post(base)
      .type('form')
      .send({ _csrf: csrf, ...NOTE_FORM, noticeHours: '24' })
      .expect(403);
    // The administrator sees the settings, cannot change them; the officer sees the devices, cannot change them.
    const adminPage = page(await admin.get(base).expect(200));
    expect(adminPage.has('settings-form')).toBe(false);
    expect(adminPage.has('device-form')).toBe(true);
    expect((await post(admin, base, '', { ...NOTE_FORM, noticeHours: '24' })).status).toBe(403);
    const officerPage = page(await officer.get(base).expect(200));
    expect(officerPage.has('device-form')).toBe(false);
    expect((await post(officer, base, '/appareils', { name: 'Salle 1' })).status).toBe(403);
    // Another establishment: its page is refused, its device is not found through this one.
    const other = await insertEstablishment();
    await officer.get(`/etablissements/${other.code}/visio/parametres`).expect(403);
    const elsewhere = await insertDevice(other.id, 'Salle ailleurs');
    await admin.get(`${base}/appareils/${elsewhere.id}/desactiver`).expect(404);
    expect((await post(admin, base, `/appareils/${elsewhere.id}/desactiver`, {})).status).toBe(404);
    expect((await post(admin, base, `/appareils/${elsewhere.id}/nom`, { name: 'Pris' })).status).toBe(404);
    expect(await queryOne(`SELECT name, active FROM video_call_devices WHERE id = $1`, [elsewhere.id])).toEqual({
      name: 'Salle ailleurs',
      active: true,
    });
    expect(await query(`SELECT 1 FROM video_call_settings WHERE establishment_id = $1`, [e.id])).toEqual([]);
    // The head of establishment does both.
    const headRow = await insertAgent([{ establishmentId: e.id, role: 'HEAD_OF_ESTABLISHMENT' }], {
      givenName: 'Zoë',
      usualName: 'Dąbrowska',
    });
    const head = await signInAgent(suite.app.url, headRow);
    expect((await post(head, base, '', { ...NOTE_FORM, noticeHours: '24' })).status).toBe(303);
    expect((await post(head, base, '/appareils', { name: 'Salle du greffe' })).status).toBe(303);
    expect(await query(`SELECT changed_by AS "changedBy" FROM video_call_settings WHERE establishment_id = $1`, [e.id])).toEqual([
      { changedBy: headRow.id },
    ]);
  });

  it('the administrator adds, renames and, after a read-back, deactivates a device; all audited', async () => {
    const { e, base } = await establishment();
    expect((await post(admin, base, '/appareils', { name: 'Salle visio Ünal' })).status).toBe(303);
    const dup = await post(admin, base, '/appareils', { name: ' salle VISIO ünal ' });
    expect(dup.status).toBe(400);
    expect(page(dup).errors()).toEqual(['Une salle ou un appareil porte déjà ce nom.']);
    expect(page(dup).$('#name').attr('value')).toBe('salle VISIO ünal');
    const empty = await post(admin, base, '/appareils', { name: '  ' });
    expect(page(empty).errors()).toEqual(['Nom de la salle ou de l’appareil : de 1 à 100 caractères']);
    const device = await queryOne<{ id: string }>(`SELECT id FROM video_call_devices WHERE establishment_id = $1`, [e.id]);
    expect((await post(admin, base, `/appareils/${device.id}/nom`, { name: 'Tablette 1' })).status).toBe(303);
    const readBack = page(await admin.get(`${base}/appareils/${device.id}/desactiver`).expect(200));
    expect(readBack.heading()).toBe('Désactiver « Tablette 1 » ?');
    expect(readBack.text('read-back')).toContain('ne pourra plus être réservé');
    expect((await post(admin, base, `/appareils/${device.id}/desactiver`, {})).status).toBe(303);
    const p = page(await officer.get(`${base}?fait=desactive`).expect(200));
    expect(cells(p, 'device')).toEqual([['Tablette 1', 'Désactivé']]);
    const audit = await query<{ action: string; label: string }>(
      `SELECT action, actor_label AS label FROM audit_log WHERE establishment_id = $1 ORDER BY id`,
      [e.id],
    );
    expect(audit).toEqual([
      { action: 'VIDEO_CALL_DEVICE_CREATED', label: 'Şükrü Öztürk' },
      { action: 'VIDEO_CALL_DEVICE_RENAMED', label: 'Şükrü Öztürk' },
      { action: 'VIDEO_CALL_DEVICE_DEACTIVATED', label: 'Şükrü Öztürk' },
    ]);
  });
});

describe('video-call bookings in the database', () => {
  /** An establishment with two devices, two detainees with a contact each, and an agent who books. */
  async function setUp(): Promise<{ e: EstablishmentRow; devices: string[]; detainees: { id: string; contact: string }[] }> {
    const e = await insertEstablishment();
    const devices = [(await insertDevice(e.id, 'Salle A')).id, (await insertDevice(e.id, 'Salle B')).id];
    const detainees = [];
    for (let i = 0; i < 6; i++) {
      const d = await insertDetainee(e.id, { lastName: 'Nguyễn', firstName: `Văn ${i}` });
      detainees.push({ id: d.id, contact: (await insertContact(d.id, officerRow.id)).id });
    }
    return { e, devices, detainees };
  }
  const SLOT = '[2030-03-04 08:30+01, 2030-03-04 09:15+01)';
  const LATER = '[2030-03-04 09:00+01, 2030-03-04 09:45+01)';
  const AFTER = '[2030-03-04 09:15+01, 2030-03-04 10:00+01)';

  it('refuses two bookings of one device, or of one detainee, on overlapping slots; a cancelled one blocks nothing', async () => {
    const { e, devices, detainees } = await setUp();
    const [a, b] = detainees;
    const book = (d: { id: string; contact: string }, device: string, slot: string) =>
      insertBooking({ establishmentId: e.id, detainee: d, deviceId: device, slot, agentId: officerRow.id });
    const first = await book(a, devices[0], SLOT);
    await expect(book(b, devices[0], LATER)).rejects.toMatchObject({ code: '23P01', constraint: 'video_call_bookings_device_no_overlap' });
    await expect(book(a, devices[1], LATER)).rejects.toMatchObject({
      code: '23P01',
      constraint: 'video_call_bookings_detainee_no_overlap',
    });
    // Slots that touch do not overlap.
    await book(b, devices[0], AFTER);
    await query(
      `UPDATE video_call_bookings SET status = 'CANCELLED', cancelled_at = now(), cancel_reason = 'Demande de la personne détenue' WHERE id = $1`,
      [first.id],
    );
    await book(detainees[2], devices[0], SLOT);
    await book(a, devices[1], SLOT);
    // Cancelling needs a reason; a device of another establishment is refused.
    await expect(
      query(`UPDATE video_call_bookings SET status = 'CANCELLED', cancelled_at = now() WHERE establishment_id = $1`, [e.id]),
    ).rejects.toMatchObject({
      code: '23514',
    });
    const other = await insertEstablishment();
    const foreign = await insertDevice(other.id, 'Salle ailleurs');
    await expect(book(detainees[3], foreign.id, '[2030-03-05 08:30+01, 2030-03-05 09:15+01)')).rejects.toMatchObject({ code: '23503' });
  });

  it('keeps exactly one of six concurrent bookings of one device on one slot', async () => {
    const { e, devices, detainees } = await setUp();
    const clients = await Promise.all(
      detainees.map(async () => {
        const c = new Client({ connectionString: testDatabaseUrl() });
        await c.connect();
        return c;
      }),
    );
    try {
      const results = await Promise.allSettled(
        detainees.map(async (d, i) => {
          const c = clients[i];
          await c.query('BEGIN');
          try {
            await c.query(
              `INSERT INTO video_call_bookings (establishment_id, detainee_id, contact_id, device_id, slot, plan_code, cents_per_minute,
                                                 connection_cents, blocked_cents, booked_by)
               VALUES ($1, $2, $3, $4, $5, 'NONE', 30, 14, 914, $6)`,
              [e.id, d.id, d.contact, devices[0], SLOT, officerRow.id],
            );
            await c.query('COMMIT');
          } catch (err) {
            await c.query('ROLLBACK');
            throw err;
          }
        }),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      // The others are refused by the exclusion constraint, or (waiting on each other's rows, which
      // PostgreSQL documents for concurrent exclusion checks) as a deadlock: never a second booking.
      const refused = results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { code: string }).code);
      expect(refused).toHaveLength(5);
      expect(refused.filter((code) => code !== '23P01' && code !== '40P01')).toEqual([]);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    expect(await query(`SELECT count(*)::int AS n FROM video_call_bookings WHERE device_id = $1`, [devices[0]])).toEqual([{ n: 1 }]);
  });
});

/** The note's values, as stored (settings JSON). */
const NOTE_2020 = {
  weekdays: [1, 2, 3, 4, 5, 6],
  slots: NOTE_FORM.slots.split('\n').map((l) => ({ start: l.slice(0, 5), end: l.slice(6) })),
  noticeHours: 48,
  mondayTuesdayUntilSaturday: true,
  quotaCalls: 1,
  quotaWeeks: 4,
  minMinutes: 20,
  maxMinutes: 30,
  plans: NOTE_FORM.planCode.map((code, i) => ({
    code,
    centsPerMinute: Number(NOTE_FORM.perMinute[i].replace(',', '')),
    connectionCents: Number(NOTE_FORM.connection[i].replace(',', '')),
  })),
};
