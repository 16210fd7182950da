import type { Page } from 'playwright-core';
import { insertFamily } from '../factories/people';
import { appAndBrowser, consoleErrors, signInBrowser } from '../helpers/browser';
import { HomePage } from './pages/home-page';
import { type FooterLink, LegalPage } from './pages/legal-pages';

// Five pages and the home page, each checked with axe-core and measured: longer than a plain test's 20 s.
jest.setTimeout(90_000);

const suite = appAndBrowser();

const PAGES: { link: FooterLink; heading: string }[] = [
  { link: 'Mentions légales', heading: 'Mentions légales' },
  { link: 'Données personnelles', heading: 'Données personnelles' },
  { link: 'Gestion des cookies', heading: 'Gestion des cookies' },
  { link: 'Accessibilité : non conforme', heading: 'Déclaration d’accessibilité' },
  { link: 'Plan du site', heading: 'Plan du site' },
];

/** A phone, as most families use (390×844, touch). */
async function phone(): Promise<{ page: Page; errors: string[] }> {
  const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  return { page, errors: consoleErrors(page) };
}

describe('the legal pages in a real browser', () => {
  it('a visitor on a phone (390 px) opens the five legal pages from the footer: no axe violation, no sideways scroll, no console error', async () => {
    const { page, errors } = await phone();
    const violations: string[] = [];
    await HomePage.open(page, violations, suite.app.url);
    const widths: { heading: string; scrollWidth: number; innerWidth: number }[] = [];
    for (const { link, heading } of PAGES) {
      const legal = await LegalPage.fromFooter(page, violations, link, heading);
      widths.push({ heading, ...(await legal.widths()) });
    }
    expect(widths).toEqual(PAGES.map(({ heading }) => ({ heading, scrollWidth: 390, innerWidth: 390 })));
    // What the cookies page says: no cookie for a visitor, and in local storage only the display theme (the tests keep axe-core there too).
    expect(await page.context().cookies()).toEqual([]);
    expect(await page.evaluate(() => Object.keys(window.localStorage).filter((k) => k !== '__p2v_test_axe_source'))).toEqual(['scheme']);
    // The retention table fits the screen too: its rows wrap, no cell is cut.
    await page.goto(`${suite.app.url}/donnees-personnelles`);
    const table = await page.locator('[data-testid="retention"] table').boundingBox();
    expect(table!.x + table!.width).toBeLessThanOrEqual(390);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('a family signed in on a phone finds the pages of its space on the site map: no axe violation, no sideways scroll', async () => {
    const { page, errors } = await phone();
    const violations: string[] = [];
    const family = await insertFamily({ givenName: 'Łucja', familyName: 'Nguyễn-Şahin' });
    await signInBrowser(page, suite.app.url, family);
    const map = await LegalPage.fromFooter(page, violations, 'Plan du site', 'Plan du site');
    expect(await map.spaceLinks()).toEqual([
      'Mon espace',
      'Mes demandes de permis',
      'Mes permis',
      'Mes visites et rendez-vous',
      'UVF et parloirs familiaux',
      'Mes données',
      'Comment ça marche ?',
      'Se déconnecter',
    ]);
    expect(await map.widths()).toEqual({ scrollWidth: 390, innerWidth: 390 });
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
