import request from 'supertest';
import { appointmentInput, bookAppointment } from './factories/appointments';
import {
  grantRole,
  insertAgent,
  insertAgentElsewhere,
  insertDetainee,
  insertEstablishment,
  insertFamily,
  type AgentRow,
} from './factories/people';
import { insertBookingSetup, insertRoom, insertVisit, setVisitSettings } from './factories/visits';
import { appForTests } from './helpers/app';
import { query, queryOne } from './helpers/db';
import { frenchWordsIn } from './helpers/french';
import { page } from './helpers/html';
import { signInAgent, signInFamily, type Agent } from './helpers/sign-in';

/* eslint-disable @typescript-eslint/no-require-imports */
const { icsFile } = require('../dist/src/notifications/calendar') as typeof import('../src/notifications/calendar');
const { smsLength, MAX_SMS_SEGMENTS } =
  require('../dist/src/notifications/notification.rules') as typeof import('../src/notifications/notification.rules');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * An establishment's practical information: edited by its administrator or head, shown on its
 * public page (no sign-in), on the family's visits, and in every convocation and reminder. Every
 * test makes its own establishment.
 */
const suite = appForTests();

let adminRow: AgentRow;
let admin: Agent;
beforeAll(async () => {
  adminRow = await insertAgentElsewhere('ADMIN', { givenName: 'Łukasz', usualName: 'Şükrü' });
  admin = await signInAgent(suite.app.url, adminRow);
});

const ARABIC_ADDRESS = 'شارع الحرية 12\n59000 Lille';
const FULL = {
  address: ARABIC_ADDRESS,
  parloirPhone: '03 20 12 34 56',
  parloirHours: 'Du mardi au samedi, de 8 h 30 à 11 h 30\nTéléphone : du lundi au vendredi, de 9 h à 12 h',
  access: 'Tram ligne 1, arrêt « Centre pénitentiaire »',
  lockers: 'Casiers avec une pièce de 1 €',
  whatToBring: '',
  dressCode: '',
  accessibility: 'Parloirs accessibles en fauteuil roulant',
};

/** A new establishment administered by the file's administrator, and the posting of its form. */
async function administered() {
  const establishment = await insertEstablishment({ name: 'Centre pénitentiaire de Łódź-sur-Lys' });
  await grantRole(adminRow.id, establishment.id, 'ADMIN');
  const path = `/etablissements/${establishment.code}/infos-pratiques/modifier`;
  const save = async (who: Agent, fields: Record<string, string | string[]>) =>
    who
      .post(path)
      .type('form')
      .send({ _csrf: page(await who.get(path).expect(200)).csrf(), ...fields });
  return { establishment, path, save };
}

describe('practical information: the administrator keeps it, families read it without signing in', () => {
  it('the administrator saves it and the public page shows it, an address in Arabic included, nothing for the fields left empty', async () => {
    const { establishment, path, save } = await administered();
    const saved = await save(admin, FULL);
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${path}?fait=1`);
    const form = page(await admin.get(`${path}?fait=1`).expect(200));
    expect(form.has('done')).toBe(true);
    expect(form.value('parloirPhone')).toBe('03 20 12 34 56');
    expect(
      await queryOne(`SELECT parloir_phone, what_to_bring FROM establishment_info WHERE establishment_id = $1`, [establishment.id]),
    ).toEqual({ parloir_phone: '+33320123456', what_to_bring: null });

    // No sign-in: a plain request.
    const pub = page(await request(suite.app.url).get(`/etablissements/${establishment.code}/infos-pratiques`).expect(200));
    expect(pub.heading()).toBe('Informations pratiques');
    expect(pub.text('establishment-name')).toBe('Centre pénitentiaire de Łódź-sur-Lys');
    expect(pub.testId('info-address').html()).toBe('شارع الحرية 12<br>59000 Lille');
    expect(pub.text('info-phone')).toBe('Téléphone du parloir : 03 20 12 34 56');
    expect(pub.testId('info-phone').find('a').attr('href')).toBe('tel:+33320123456');
    expect(pub.text('info-hours')).toContain('Du mardi au samedi, de 8 h 30 à 11 h 30');
    expect(pub.text('info-lockers')).toBe('Casiers avec une pièce de 1 €');
    expect(
      pub
        .$('h2')
        .toArray()
        .map((h) => pub.$(h).text().trim()),
    ).toEqual(['Adresse', 'Contacter le parloir', 'Accès et transports', 'Casiers et consigne', 'Accessibilité']);
    expect(pub.has('info-whatToBring')).toBe(false);
    expect(pub.has('info-dressCode')).toBe(false);

    const audit = await query<{ actor_label: string; after: Record<string, unknown> }>(
      `SELECT actor_label, after FROM audit_log WHERE action = 'ESTABLISHMENT_INFO_UPDATED' AND establishment_id = $1`,
      [establishment.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_label).toContain('Şükrü');
    expect(audit[0].after).toMatchObject({ parloirPhone: '+33320123456', address: ARABIC_ADDRESS });
  });

  it('refuses an invalid phone number and a text too long, showing what was typed, and saves nothing', async () => {
    const { establishment, save } = await administered();
    const refused = await save(admin, { ...FULL, parloirPhone: '03 20', access: 'x'.repeat(2001) });
    expect(refused.status).toBe(400);
    const p = page(refused);
    expect(p.errors()).toEqual([
      'Téléphone du parloir : un numéro valide, par exemple 03 20 12 34 56',
      'Accès et transports : 2000 caractères au plus',
    ]);
    expect(p.value('parloirPhone')).toBe('03 20');
    expect(p.fieldError('access')).toBe('Accès et transports : 2000 caractères au plus');
    expect(await query(`SELECT 1 FROM establishment_info WHERE establishment_id = $1`, [establishment.id])).toEqual([]);
  });

  it('the head of establishment edits it too; an administrator of another establishment, an agent of the parloir and a family are refused', async () => {
    const { establishment, path, save } = await administered();
    const head = await insertAgentElsewhere('PARLOIR_AGENT', { givenName: 'محمد', usualName: 'Nguyễn' });
    await grantRole(head.id, establishment.id, 'HEAD_OF_ESTABLISHMENT');
    expect((await save(await signInAgent(suite.app.url, head), { parloirPhone: '+262 262 12 34 56' })).status).toBe(303);
    expect(await queryOne(`SELECT parloir_phone FROM establishment_info WHERE establishment_id = $1`, [establishment.id])).toEqual({
      parloir_phone: '+262262123456',
    });

    const own = await insertEstablishment();
    const otherAdmin = await signInAgent(suite.app.url, await insertAgent([{ establishmentId: own.id, role: 'ADMIN' }]));
    await otherAdmin.get(path).expect(403);
    const csrf = page(await otherAdmin.get(`/etablissements/${own.code}/infos-pratiques/modifier`).expect(200)).csrf();
    await otherAdmin.post(path).type('form').send({ _csrf: csrf, parloirPhone: '03 20 00 00 00' }).expect(403);
    const parloir = await insertAgentElsewhere('ADMIN');
    await grantRole(parloir.id, establishment.id, 'PARLOIR_AGENT');
    await (await signInAgent(suite.app.url, parloir)).get(path).expect(403);
    await (await signInFamily(suite.app.url, await insertFamily())).get(path).expect(403);
    expect(await queryOne(`SELECT parloir_phone FROM establishment_info WHERE establishment_id = $1`, [establishment.id])).toEqual({
      parloir_phone: '+262262123456',
    });
  });

  it('prints no empty label when nothing is given, and the page of an unknown establishment is not found', async () => {
    const establishment = await insertEstablishment();
    const pub = page(await request(suite.app.url).get(`/etablissements/${establishment.code}/infos-pratiques`).expect(200));
    expect(pub.has('no-info')).toBe(true);
    expect(pub.mainText()).not.toContain('Téléphone');
    expect(pub.mainText()).not.toContain('Adresse');
    await request(suite.app.url).get('/etablissements/INCONNU/infos-pratiques').expect(404);

    // Its convocation says nothing of a phone or an address either.
    const a = await bookAppointment(appointmentInput(establishment.id, { contactPhone: null }));
    const [mail] = await query<{ body_text: string }>(
      `SELECT body_text FROM notifications WHERE entity_id = $1 AND template = 'appointment-confirmation'`,
      [a.id],
    );
    expect(mail.body_text).not.toContain('Téléphone du parloir');
    expect(mail.body_text).not.toContain('Adresse :');
    expect(mail.body_text).toContain(`Informations pratiques (accès, casiers, ce que vous pouvez apporter) : `);
  });
});

describe('practical information in the families’ languages (issue #16)', () => {
  /** The public page as a browser that chose `language` with the selector sees it. */
  const publicPage = async (code: string, language: string) =>
    page(await request(suite.app.url).get(`/etablissements/${code}/infos-pratiques`).set('Cookie', `p2v.lang=${language}`).expect(200));

  it('the administrator translates it into Arabic, and a family reading Arabic gets it, the text left untranslated marked French', async () => {
    const { establishment, path, save } = await administered();
    expect((await save(admin, FULL)).status).toBe(303);
    const translatePath = `/etablissements/${establishment.code}/infos-pratiques/traduction/ar`;
    const list = page(await admin.get(path).expect(200));
    expect(list.$('[data-testid="translations"] tr[data-language="ar"] [data-testid="translation-status"]').text().trim()).toBe('0 sur 4');

    const form = page(await admin.get(translatePath).expect(200));
    expect(form.heading()).toContain('Informations pratiques en arabe');
    expect(form.text('french-access')).toContain('Tram ligne 1, arrêt « Centre pénitentiaire »');
    expect(form.$('textarea#access').attr('dir')).toBe('rtl');
    expect(form.$('textarea#access').attr('lang')).toBe('ar');
    const saved = await admin.post(translatePath).type('form').send({
      _csrf: form.csrf(),
      parloirHours: 'من الثلاثاء إلى السبت، من 8:30 إلى 11:30',
      access: 'الترام الخط 1\nمحطة السجن المركزي',
      lockers: '',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${translatePath}?fait=1`);
    expect(page(await admin.get(`${translatePath}?fait=1`).expect(200)).has('done')).toBe(true);

    const ar = await publicPage(establishment.code, 'ar');
    expect(ar.$('html').attr('dir')).toBe('rtl');
    expect(ar.heading()).toBe('معلومات عملية');
    expect(ar.testId('establishment-name').attr('lang')).toBe('fr');
    expect(ar.text('info-hours')).toBe('من الثلاثاء إلى السبت، من 8:30 إلى 11:30');
    expect(ar.testId('info-hours').attr('lang')).toBeUndefined();
    expect(
      ar
        .testId('info-access')
        .find('p')
        .toArray()
        .map((e) => ar.$(e).text()),
    ).toEqual(['الترام الخط 1', 'محطة السجن المركزي']);
    // Lockers and accessibility are not translated: given in French, marked so, and the page says it.
    expect(ar.testId('info-lockers').attr('lang')).toBe('fr');
    expect(ar.testId('info-lockers').find('[data-testid="in-french"]').text().trim()).toBe('بالفرنسية');
    expect(ar.text('info-lockers')).toContain('Casiers avec une pièce de 1 €');
    expect(ar.text('partly-french')).toBe('جزء من هذه المعلومات لم يُترجم بعد: وهو مكتوب بالفرنسية.');
    ar.$('[lang="fr"]').remove();
    expect(frenchWordsIn(ar.mainText())).toEqual([]);

    // French readers see the French as before; the administrator's list counts 2 of 4 translated.
    const fr = await publicPage(establishment.code, 'fr');
    expect(fr.text('info-access')).toBe('Tram ligne 1, arrêt « Centre pénitentiaire »');
    expect(fr.has('partly-french')).toBe(false);
    expect(fr.has('in-french')).toBe(false);
    expect(
      page(await admin.get(path).expect(200))
        .$('[data-testid="translations"] tr[data-language="ar"] [data-testid="translation-status"]')
        .text()
        .trim(),
    ).toBe('2 sur 4');

    const audit = await query<{ after: Record<string, unknown> }>(
      `SELECT after FROM audit_log WHERE action = 'ESTABLISHMENT_INFO_TRANSLATED' AND establishment_id = $1`,
      [establishment.id],
    );
    expect(audit).toHaveLength(1);
    expect(audit[0].after).toMatchObject({ language: 'ar', access: 'الترام الخط 1\nمحطة السجن المركزي' });
  });

  it('an untranslated page in English gives the French texts marked French; the form says when the French changed since the translation', async () => {
    const { establishment, path, save } = await administered();
    expect((await save(admin, FULL)).status).toBe(303);
    const en = await publicPage(establishment.code, 'en');
    expect(en.heading()).toBe('Practical information');
    expect(en.text('info-phone')).toBe('Visiting room phone: 03 20 12 34 56');
    expect(en.has('partly-french')).toBe(true);
    expect(en.testId('info-access').attr('lang')).toBe('fr');
    en.$('[lang="fr"]').remove();
    expect(frenchWordsIn(en.mainText())).toEqual([]);

    const translatePath = `/etablissements/${establishment.code}/infos-pratiques/traduction/en`;
    const csrf = page(await admin.get(translatePath).expect(200)).csrf();
    await admin.post(translatePath).type('form').send({ _csrf: csrf, access: 'Tram line 1, stop "Centre pénitentiaire"' }).expect(303);
    const translated = page(await admin.get(translatePath).expect(200));
    expect(translated.has('french-changed')).toBe(false);
    // The form gives the translation back as typed, its quotation marks included.
    expect(translated.value('access')).toBe('Tram line 1, stop "Centre pénitentiaire"');
    expect((await save(admin, { ...FULL, access: 'Tram ligne 2' })).status).toBe(303);
    expect(page(await admin.get(translatePath).expect(200)).has('french-changed')).toBe(true);
    expect(
      page(await admin.get(path).expect(200))
        .$('[data-testid="translations"] tr[data-language="en"] [data-testid="translation-status"]')
        .text(),
    ).toContain('à revoir');
    // Families keep the translation meanwhile.
    expect((await publicPage(establishment.code, 'en')).text('info-access')).toBe('Tram line 1, stop "Centre pénitentiaire"');
  });

  it('refuses a translation too long, keeping what was typed; only the establishment’s administrator or head translates; French is no translation', async () => {
    const { establishment } = await administered();
    const translatePath = `/etablissements/${establishment.code}/infos-pratiques/traduction/es`;
    const csrf = page(await admin.get(translatePath).expect(200)).csrf();
    const refused = await admin
      .post(translatePath)
      .type('form')
      .send({ _csrf: csrf, dressCode: 'ñ'.repeat(1001), lockers: 'Taquillas' });
    expect(refused.status).toBe(400);
    expect(page(refused).errors()).toEqual(['Tenue vestimentaire : 1000 caractères au plus']);
    expect(page(refused).value('lockers')).toBe('Taquillas');
    expect(await query(`SELECT 1 FROM establishment_info_translations WHERE establishment_id = $1`, [establishment.id])).toEqual([]);

    await admin.get(`/etablissements/${establishment.code}/infos-pratiques/traduction/fr`).expect(404);
    const own = await insertEstablishment();
    const otherAdmin = await signInAgent(suite.app.url, await insertAgent([{ establishmentId: own.id, role: 'ADMIN' }]));
    await otherAdmin.get(translatePath).expect(403);
    await (await signInFamily(suite.app.url, await insertFamily())).get(translatePath).expect(403);
  });
});

describe('practical information in messages and on the family’s visits', () => {
  it('the convocation e-mail, its calendar file and the reminders by e-mail and SMS give the parloir phone, the address and the page', async () => {
    const { establishment, save } = await administered();
    expect((await save(admin, FULL)).status).toBe(303);
    const a = await bookAppointment(appointmentInput(establishment.id, { place: 'Parloir Ünal' }));
    const rows = await query<{
      template: string;
      channel: string;
      category: string;
      body_text: string;
      body_html: string | null;
      data: { ics?: unknown };
    }>(`SELECT n.template, n.channel, n.category, n.body_text, n.body_html, n.data FROM notifications n WHERE n.entity_id = $1`, [a.id]);
    const pageUrl = `/etablissements/${establishment.code}/infos-pratiques`;
    const confirmation = rows.find((r) => r.template === 'appointment-confirmation')!;
    expect(confirmation.body_text).toContain('Adresse : شارع الحرية 12, 59000 Lille');
    expect(confirmation.body_text).toContain(
      'Téléphone du parloir : 03 20 12 34 56 (Du mardi au samedi, de 8 h 30 à 11 h 30 ; Téléphone : du lundi au vendredi, de 9 h à 12 h)',
    );
    expect(confirmation.body_text).toContain(`${pageUrl}`);
    const html = page({ text: confirmation.body_html! });
    expect(html.$(`a[href$="${pageUrl}"]`).length).toBe(1);
    expect(html.$('a[href="tel:0320123456"]').text()).toBe('03 20 12 34 56');

    const ics = icsFile(confirmation.data.ics as Parameters<typeof icsFile>[0]).replace(/\r\n[ \t]/g, '');
    expect(ics).toContain('LOCATION:Parloir Ünal\\, 2 rue du Test\\, 75000 Paris\\, شارع الحرية 12\\, 59000 Lille');
    expect(ics).toContain('Téléphone du parloir : 03 20 12 34 56.');
    expect(ics).toContain(pageUrl);

    const emailReminder = rows.find((r) => r.template === 'appointment-reminder' && r.channel === 'EMAIL')!;
    expect(emailReminder.body_text).toContain('Téléphone du parloir : 03 20 12 34 56');
    expect(emailReminder.body_text).toContain(pageUrl);
    const sms = rows.find((r) => r.template === 'appointment-reminder' && r.channel === 'SMS')!;
    expect(sms.body_text).toContain('Parloir : 03 20 12 34 56.');
    expect(smsLength(sms.body_text).segments).toBeLessThanOrEqual(MAX_SMS_SEGMENTS);

    // The number changes after the booking: the reminders still to send give the new one; what was sent stays as it was.
    await query(
      `UPDATE notifications SET status = 'SENT', sent_at = now(), lease_until = NULL WHERE entity_id = $1 AND template = 'appointment-confirmation'`,
      [a.id],
    );
    expect((await save(admin, { ...FULL, parloirPhone: '03 20 99 88 77' })).status).toBe(303);
    const after = await query<{ template: string; channel: string; status: string; body_text: string }>(
      `SELECT template, channel, status, body_text FROM notifications WHERE entity_id = $1 ORDER BY template, channel`,
      [a.id],
    );
    const reminders = after.filter((r) => r.template === 'appointment-reminder');
    expect(reminders.length).toBeGreaterThanOrEqual(2);
    for (const r of reminders) {
      expect(r.status).toBe('PENDING');
      expect(r.body_text).toContain('03 20 99 88 77');
      expect(r.body_text).not.toContain('03 20 12 34 56');
    }
    expect(reminders.find((r) => r.channel === 'SMS')!.body_text).toContain('Parloir : 03 20 99 88 77.');
    const sent = after.find((r) => r.template === 'appointment-confirmation')!;
    expect(sent.body_text).toContain('03 20 12 34 56');
  });

  it('a family who books online finds the phone and the page in its convocation, and the number when it is too late to cancel online', async () => {
    const setup = await insertBookingSetup({ family: { givenName: 'Ayşe', familyName: 'Yılmaz' } });
    await grantRole(adminRow.id, setup.establishment.id, 'ADMIN');
    const path = `/etablissements/${setup.establishment.code}/infos-pratiques/modifier`;
    await admin
      .post(path)
      .type('form')
      .send({ _csrf: page(await admin.get(path).expect(200)).csrf(), ...FULL })
      .expect(303);
    const family = await signInFamily(suite.app.url, setup.family);
    const form = page(await family.get('/visites/reserver').expect(200));
    const [slot] = form.options('slot');
    await family
      .post('/visites/reserver')
      .type('form')
      .send({ ...form.formFields('/visites/reserver'), slot })
      .expect(303);
    const { appointmentId } = await queryOne<{ appointmentId: string }>(
      `SELECT appointment_id AS "appointmentId" FROM visits WHERE family_account_id = $1`,
      [setup.family.id],
    );
    const convocation = await queryOne<{ body_text: string }>(
      `SELECT body_text FROM notifications WHERE entity_id = $1 AND template = 'appointment-confirmation'`,
      [appointmentId],
    );
    expect(convocation.body_text).toContain('Téléphone du parloir : 03 20 12 34 56');
    expect(convocation.body_text).toContain(`/etablissements/${setup.establishment.code}/infos-pratiques`);

    const cards = page(await family.get('/mes-rendez-vous').expect(200));
    expect(cards.texts('parloir-phone')).toEqual(['03 20 12 34 56']);

    await setVisitSettings(setup.establishment.id, { cancelDeadlineHours: 720 });
    const confirm = page(await family.get(`/mes-rendez-vous/${appointmentId}/annuler`).expect(200));
    const refused = page(
      await family.post(`/mes-rendez-vous/${appointmentId}/annuler`).type('form').send({ _csrf: confirm.csrf() }).expect(409),
    );
    expect(refused.errors()).toEqual([
      'Une visite s’annule en ligne au plus tard 720 heures avant : appelez le parloir de l’établissement au 03 20 12 34 56.',
    ]);
  });

  it('"Mes visites" gives each visit its parloir phone and the link to the practical information, and the number where it says to call', async () => {
    const { establishment, save } = await administered();
    expect((await save(admin, FULL)).status).toBe(303);
    const family = await insertFamily({ givenName: 'Zoë', familyName: 'Ørsted' });
    const detainee = await insertDetainee(establishment.id);
    const room = await insertRoom(establishment.id);
    await insertVisit({
      establishmentId: establishment.id,
      roomId: room.id,
      detaineeId: detainee.id,
      familyAccountId: family.id,
      startsAt: new Date(Date.now() + 6 * 24 * 3_600_000),
    });
    // A visit in 2 hours: too late to move or cancel online, the card says to call the parloir, at its number.
    await insertVisit({
      establishmentId: establishment.id,
      roomId: room.id,
      detaineeId: detainee.id,
      familyAccountId: family.id,
      startsAt: new Date(Date.now() + 2 * 3_600_000),
    });
    const mine = page(await (await signInFamily(suite.app.url, family)).get('/mes-rendez-vous').expect(200));
    expect(mine.texts('appointment-note')).toEqual([
      'Le délai pour déplacer ou annuler en ligne est passé : appelez le parloir de l’établissement au 03 20 12 34 56.',
    ]);
    // Each card gives the phone.
    expect(mine.texts('parloir-phone')).toEqual(['03 20 12 34 56', '03 20 12 34 56']);
    expect(mine.testId('practical-link').attr('href')).toBe(`/etablissements/${establishment.code}/infos-pratiques`);
    expect(mine.mainText()).toContain('appelez le parloir de l’établissement : 03 20 12 34 56.');
    expect(mine.testId('call-parloir').attr('href')).toBe('tel:+33320123456');
  });
});
