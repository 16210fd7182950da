import request from 'supertest';
import { insertAgentElsewhere, insertFamily } from './factories/people';
import { appForTests } from './helpers/app';
import { query, queryOne } from './helpers/db';
import { frenchWordsIn } from './helpers/french';
import { page } from './helpers/html';
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
        // The footer is translated with the legal pages (issue #16); the header and the page are checked here.
        const $ = page(res).$;
        const shown = [$('header').text(), $('main').text(), $('title').text()].join(' ');
        expect({ language, path, french: frenchWordsIn(shown) }).toEqual({ language, path, french: [] });
      }
    }
    // The detector does see French.
    const french = await request(suite.app.url).get('/nulle-part').set('Accept-Language', 'fr').expect(404);
    expect(frenchWordsIn(page(french).$('main').text())).toEqual(expect.arrayContaining(['vous', 'vérifiez', 'accueil']));
  });
});
