import request from 'supertest';
import { insertAgentElsewhere, insertFamily } from './factories/people';
import { insertBookingSetup } from './factories/visits';
import { appForTests } from './helpers/app';
import { query, queryOne } from './helpers/db';
import { frenchWordsIn } from './helpers/french';
import { page } from './helpers/html';
import { waitFor } from './helpers/processes';
import { signInAgent, signInFamily } from './helpers/sign-in';

/**
 * The family side's languages (issue #16): French, English, Arabic and Spanish, chosen with the DSFR
 * language selector, remembered in a cookie and on the family's account, Accept-Language for the
 * first visit; staff pages stay French.
 */
const suite = appForTests();

const languageOf = (html: string) => {
  const $ = page({ text: html }).$;
  return { lang: $('html').attr('lang'), dir: $('html').attr('dir') };
};

describe('the language of the family side', () => {
  it('follows the browser’s Accept-Language on a first visit, right to left in Arabic', async () => {
    const res = await request(suite.app.url).get('/').set('Accept-Language', 'de-DE,ar;q=0.8,fr;q=0.5').expect(200);
    expect(languageOf(res.text)).toEqual({ lang: 'ar', dir: 'rtl' });
    const home = page(res);
    expect(home.heading()).toBe('زيارة قريب محتجز');
    expect(home.$('[data-testid="language-selector"] a[aria-current="true"]').attr('lang')).toBe('ar');
    // The selector's button names the page's language.
    expect(home.$('[data-testid="language-selector"] .fr-translate__btn').text().replace(/\s+/g, ' ')).toBe('AR - العربية');
    // No supported language asked for: French.
    const other = await request(suite.app.url).get('/').set('Accept-Language', 'de-DE,it;q=0.9').expect(200);
    expect(languageOf(other.text)).toEqual({ lang: 'fr', dir: 'ltr' });
    expect(page(other).heading()).toBe('Visiter un proche détenu');
  });

  it('is chosen with the selector, kept for this browser, back on the same page; other addresses are refused', async () => {
    const browser = request.agent(suite.app.url);
    const home = page(await browser.get('/').set('Accept-Language', 'fr').expect(200));
    const spanish = home.$('[data-testid="language-selector"] a[lang="es"]').attr('href')!;
    expect(
      home
        .$('[data-testid="language-selector"] a')
        .map((_, a) => home.$(a).text().trim())
        .get(),
    ).toEqual(['FR - Français', 'EN - English', 'AR - العربية', 'ES - Español']);
    const chosen = await browser.get(spanish).expect(303);
    expect(chosen.headers.location).toBe('/');
    expect(String(chosen.headers['set-cookie'])).toMatch(/^p2v\.lang=es; Max-Age=31536000; Path=\/; Expires=.+; HttpOnly; SameSite=Lax$/);
    // The choice wins over the browser's languages.
    const again = await browser.get('/').set('Accept-Language', 'en').expect(200);
    expect(languageOf(again.text)).toEqual({ lang: 'es', dir: 'ltr' });
    expect(page(again).heading()).toBe('Visitar a un familiar preso');
    // Back to the page it was chosen on; never to another site.
    expect((await browser.get('/langue/en?retour=%2Fconnexion%3Fx%3D1').expect(303)).headers.location).toBe('/connexion?x=1');
    for (const away of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/langue/fr'])
      expect((await browser.get(`/langue/fr?retour=${encodeURIComponent(away)}`).expect(303)).headers.location).toBe('/');
    await browser.get('/langue/de').expect(404);
    // The cookies page says what this cookie is.
    const cookies = page(await request(suite.app.url).get('/cookies').expect(200));
    expect(cookies.text('language-cookie-name')).toBe('p2v.lang');
    expect(cookies.text('language-cookie')).toContain('Un an');
  });

  it('is remembered on the family’s account, for its messages: first from the browser, then from the selector', async () => {
    const family = await insertFamily({ givenName: 'Şükrü', familyName: 'Łukasiewicz' });
    const agent = await signInFamily(suite.app.url, family);
    const account = async () =>
      (await queryOne<{ language: string | null }>(`SELECT language FROM family_accounts WHERE email = $1`, [family.email])).language;
    // Signing in showed a page already, with no Accept-Language (the test's client): French, remembered.
    expect(await account()).toBe('fr');
    // A family whose language is not known yet (an account of before this version): its browser's.
    await query(`UPDATE family_accounts SET language = NULL WHERE email = $1`, [family.email]);
    const space = await agent.get('/mon-espace').set('Accept-Language', 'en-GB,en;q=0.9').expect(200);
    expect(languageOf(space.text).lang).toBe('en');
    expect(await account()).toBe('en');
    expect(page(space).$('#navigation a').first().text()).toBe('My space');
    await agent.get('/langue/ar?retour=%2Fmon-espace').expect(303);
    expect(await account()).toBe('ar');
    // Another browser of the same family, without a choice of its own: the account's language.
    const phone = await signInFamily(suite.app.url, family);
    expect(languageOf((await phone.get('/mon-espace').set('Accept-Language', 'fr').expect(200)).text)).toEqual({ lang: 'ar', dir: 'rtl' });
    expect(await account()).toBe('ar');
    // The home page knows the family is signed in: its space.
    expect((await phone.get('/').expect(303)).headers.location).toBe('/mon-espace');
  });

  it('stays French on staff pages, with no language selector, whatever the browser or the cookie says', async () => {
    const agentRow = await insertAgentElsewhere('PERMITS_OFFICER', { givenName: 'Ewa', usualName: 'Kowalczyk' });
    const staff = await signInAgent(suite.app.url, agentRow);
    const res = await staff.get('/agents').set('Accept-Language', 'en').set('Cookie', 'p2v.lang=ar').expect(200);
    expect(languageOf(res.text)).toEqual({ lang: 'fr', dir: 'ltr' });
    expect(page(res).has('language-selector')).toBe(false);
  });

  it('shows the translated pages with no French left in English, Arabic or Spanish', async () => {
    for (const language of ['en', 'ar', 'es']) {
      const browser = request.agent(suite.app.url);
      await browser.get(`/langue/${language}`).expect(303);
      for (const path of ['/', '/nulle-part']) {
        const res = await browser.get(path);
        expect(languageOf(res.text).lang).toBe(language);
        // Text marked lang="fr" (the State's logo) is French on purpose.
        const $ = page(res).$;
        $('[lang="fr"]').remove();
        const shown = [$('header').text(), $('main').text(), $('footer').text(), $('title').text()].join(' ');
        expect({ language, path, french: frenchWordsIn(shown) }).toEqual({ language, path, french: [] });
      }
    }
    // The detector does see French.
    const french = await request(suite.app.url).get('/nulle-part').set('Accept-Language', 'fr').expect(404);
    expect(frenchWordsIn(page(french).$('main').text())).toEqual(expect.arrayContaining(['vous', 'vérifiez', 'accueil']));
  });
});

describe('the messages to a family, in its language', () => {
  it('sends a family in Spanish its convocation in Spanish, on the establishment’s clock; a French family’s stays French', async () => {
    const setup = await insertBookingSetup({
      family: { givenName: 'Ana María', familyName: 'Núñez Łaski' },
      detainee: { lastName: 'Haddad' },
    });
    const agent = await signInFamily(suite.app.url, setup.family);
    await agent.get('/langue/es?retour=%2Fvisites%2Freserver').expect(303);
    const form = page(await agent.get('/visites/reserver').expect(200));
    const [slot] = form.options('slot');
    const booked = await agent
      .post('/visites/reserver')
      .type('form')
      .send({ ...form.formFields('/visites/reserver'), slot })
      .expect(303);
    const reference = /reservee=([A-Z0-9]{8})$/.exec(booked.headers.location)![1];
    const mail = await waitFor(
      'the convocation',
      async () =>
        (
          await query<{ subject: string; body: string; html: string | null }>(
            `SELECT subject, body_text AS body, body_html AS html FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
              WHERE r.address = $1 AND n.template = 'appointment-confirmation'`,
            [setup.family.email],
          )
        )[0],
      20000,
    );
    const { starts } = await queryOne<{ starts: Date }>(`SELECT lower(during) AS starts FROM visits WHERE reference = $1`, [reference]);
    const day = new Intl.DateTimeFormat('es-ES', { timeZone: 'Europe/Paris', dateStyle: 'full' }).format(starts);
    expect(mail.subject).toMatch(new RegExp(`^Cita confirmada el \\d{2}/\\d{2}, \\d{2}:\\d{2} \\(ref\\. ${reference}\\)$`));
    expect(mail.body).toContain('Hola:');
    expect(mail.body).toContain('Cita: visita en el locutorio');
    expect(mail.body).toContain(`Fecha y hora: ${day}`);
    expect(mail.body).toContain('(hora de París)');
    expect(mail.body).toContain('Qué debe llevar: un documento de identidad en vigor');
    expect(mail.body).toContain(`indique la referencia ${reference}`);
    expect(mail.html).toContain('<html lang="es" dir="ltr">');
    // Nothing French but the names (the establishment's, its room's) and the addresses (URLs).
    const written = mail.body
      .replace(/https?:\/\/\S+/g, '')
      .split(setup.establishment.name)
      .join('')
      .split(setup.room.name)
      .join('');
    expect(frenchWordsIn(written)).toEqual([]);

    // The same booking for a family that kept French: the French convocation, word for word as before.
    const french = await insertBookingSetup({ establishment: setup.establishment, family: { givenName: 'Zoé', familyName: 'Lefèvre' } });
    const other = await signInFamily(suite.app.url, french.family);
    const frForm = page(await other.get('/visites/reserver').expect(200));
    await other
      .post('/visites/reserver')
      .type('form')
      .send({ ...frForm.formFields('/visites/reserver'), slot: frForm.options('slot')[0] })
      .expect(303);
    const frMail = await waitFor(
      'the French convocation',
      async () =>
        (
          await query<{ subject: string; body: string }>(
            `SELECT subject, body_text AS body FROM notifications n JOIN notification_recipients r ON r.id = n.recipient_id
              WHERE r.address = $1 AND n.template = 'appointment-confirmation'`,
            [french.family.email],
          )
        )[0],
      20000,
    );
    expect(frMail.subject).toMatch(/^Rendez-vous confirmé le \d{2}\/\d{2} à \d{2}h\d{2} \(réf\. [A-Z0-9]{8}\)$/);
    expect(frMail.body).toContain("Votre rendez-vous est confirmé. Vous recevez ce message parce qu'il a été réservé à votre nom sur P2V.");
    expect(frMail.body).toContain('Rendez-vous : visite au parloir');
    expect(frMail.body).toContain('À apporter : une pièce d’identité en cours de validité');
  });

  it('writes to a family’s new mobile number in its language too', async () => {
    const family = await insertFamily({ givenName: 'عائشة', familyName: 'Benali' });
    const agent = await signInFamily(suite.app.url, family);
    await agent.get('/langue/ar').expect(303);
    const phonePage = page(await agent.get('/mon-espace/telephone').expect(200));
    await agent.post('/mon-espace/telephone').type('form').send({ _csrf: phonePage.csrf(), phone: '06 12 34 56 78' }).expect(303);
    expect(
      await query(`SELECT channel, language FROM notification_recipients WHERE address IN ($1, '+33612345678') ORDER BY channel`, [
        family.email,
      ]),
    ).toEqual([
      { channel: 'EMAIL', language: 'ar' },
      { channel: 'SMS', language: 'ar' },
    ]);
  });
});
