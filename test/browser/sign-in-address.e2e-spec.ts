import { unique } from '../factories/people';
import { appAndBrowser, consoleErrors } from '../helpers/browser';
import { MonEspacePage } from './pages/families-space-page';
import { HomePage } from './pages/home-page';

jest.setTimeout(90_000);

const suite = appAndBrowser();

describe('the demo opened at 127.0.0.1 instead of localhost', () => {
  it('a family who opens the site at 127.0.0.1 is taken to APP_URL and signs in with FranceConnect', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    const appUrl = new URL(suite.app.url);
    const otherAddress = `http://127.0.0.1:${appUrl.port}`;

    const home = await HomePage.open(page, violations, otherAddress);
    expect(new URL(page.url()).host).toBe(appUrl.host);
    const provider = await home.signInWithFranceConnect();
    await provider.signInAsPerson({
      givenName: 'Łukasz',
      familyName: 'Şükrüoğlu',
      birthdate: '1984-02-29',
      email: `${unique('famille-').toLowerCase()}@example.fr`,
    });
    const space = await MonEspacePage.on(page, violations);
    expect(page.url()).toBe(`${suite.app.url}/mon-espace`);
    expect(await space.identity('given-name')).toBe('Łukasz');

    // A link kept from the other address (a bookmark) leads to the same page, still signed in.
    await page.goto(`${otherAddress}/mon-espace`, { waitUntil: 'load' });
    await MonEspacePage.on(page, violations);
    expect(page.url()).toBe(`${suite.app.url}/mon-espace`);

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
