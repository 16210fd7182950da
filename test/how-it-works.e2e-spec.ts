import request from 'supertest';
import { insertFamily } from './factories/people';
import { appForTests } from './helpers/app';
import { frenchWordsIn } from './helpers/french';
import { page } from './helpers/html';
import { signInFamily } from './helpers/sign-in';

/**
 * « Comment ça marche ? » (issue #16, plain language): one short page per family journey, reachable
 * from the home page and the family's menu, in the reader's language.
 */
const suite = appForTests();

const JOURNEYS = [
  { path: '/comment-ca-marche/permis-de-visite', fr: 'Demander un permis de visite', start: '/demandes' },
  { path: '/comment-ca-marche/visite', fr: 'Réserver une visite au parloir', start: '/visites/reserver' },
  { path: '/comment-ca-marche/uvf-parloir-familial', fr: 'Demander une UVF ou un parloir familial', start: '/uvf' },
];

describe('how it works, in plain language', () => {
  it('is reachable from the home page: one page per journey, short steps with a pictogram each, and where to start', async () => {
    const home = page(await request(suite.app.url).get('/').set('Accept-Language', 'fr').expect(200));
    expect(
      home
        .$('[data-testid="how-it-works"] a')
        .map((_, a) => home.$(a).attr('href'))
        .get(),
    ).toEqual(JOURNEYS.map((j) => j.path));
    for (const j of JOURNEYS) {
      const p = page(await request(suite.app.url).get(j.path).expect(200));
      expect(p.heading()).toBe(j.fr);
      const steps = p.$('[data-testid="step"]');
      expect(steps.length).toBe(5);
      steps.each((_, step) => {
        // A pictogram of the DSFR, decorative; then one idea per line, each line short.
        expect(p.$(step).find('svg.fr-artwork[aria-hidden="true"] use').first().attr('href')).toMatch(
          /^\/dsfr\/artwork\/pictograms\/.+\.svg#/,
        );
        const lines = p
          .$(step)
          .find('p')
          .map((__, l) => p.$(l).text().trim())
          .get();
        expect(lines.length).toBeGreaterThanOrEqual(1);
        for (const line of lines) expect(line.split(/\s+/).length).toBeLessThanOrEqual(15);
      });
      // Signed out: sign in first.
      expect(p.testId('start').attr('href')).toBe('/connexion');
      expect(p.has('sign-in-first')).toBe(true);
    }
    await request(suite.app.url).get('/comment-ca-marche/inconnu').expect(404);
  });

  it('sends a signed-in family straight to the journey, from its menu, and speaks its language with no French left', async () => {
    const family = await insertFamily({ givenName: 'Aylin', familyName: 'Şahin' });
    const agent = await signInFamily(suite.app.url, family);
    const space = page(await agent.get('/mon-espace').expect(200));
    expect(space.$('#navigation a[href="/comment-ca-marche"]').text()).toBe('Comment ça marche ?');
    for (const j of JOURNEYS)
      expect(
        page(await agent.get(j.path).expect(200))
          .testId('start')
          .attr('href'),
      ).toBe(j.start);
    const headings: Record<string, string> = {
      en: 'Apply for a visiting permit',
      ar: 'طلب تصريح زيارة',
      es: 'Solicitar un permiso de visita',
    };
    for (const language of ['en', 'ar', 'es']) {
      await agent.get(`/langue/${language}`).expect(303);
      for (const path of ['/comment-ca-marche', ...JOURNEYS.map((j) => j.path)]) {
        const p = page(await agent.get(path).expect(200));
        expect(p.$('html').attr('lang')).toBe(language);
        p.$('[lang="fr"]').remove();
        const shown = [p.$('header').text(), p.$('main').text(), p.$('footer').text()].join(' ');
        // « numéro d’écrou » is quoted in French on purpose (the number's name on every paper the family gets).
        expect({ path, french: frenchWordsIn(shown.replace(/numéro d’écrou/g, '')) }).toEqual({ path, french: [] });
      }
      expect(page(await agent.get(JOURNEYS[0].path).expect(200)).heading()).toBe(headings[language]);
    }
  });
});
