import { readFileSync } from 'node:fs';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { query } from '../helpers/db';
import { appAndBrowser, consoleErrors, signInBrowser } from '../helpers/browser';
import { insertFamily } from '../factories/people';
import { at, dayIn, insertBookedVisit, insertBookingSetup } from '../factories/visits';
import { MonEspacePage } from './pages/families-space-page';
import { widths } from './pages/family-space-pages';
import { AccountClosedPage, MyDataPage } from './pages/my-data-pages';
import { DemoIdentityPage } from './pages/permit-request-pages';

// A family on its phone: « Mes données », its downloads, the closure refused then done; each page checked with axe-core.
jest.setTimeout(90_000);

const suite = appAndBrowser();
const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, acceptDownloads: true };
const PARIS_DAY = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });

/** Nothing sticks out sideways, and every button of the page is on the screen and wide enough to tap. */
async function fitsThePhone(page: Page): Promise<void> {
  const { scrollWidth, innerWidth, boxes } = await widths(page, 'main .fr-btn');
  const path = new URL(page.url()).pathname;
  expect({ path, scrollWidth, innerWidth }).toEqual({ path, scrollWidth: 390, innerWidth: 390 });
  expect({ path, wrong: boxes.filter((b) => b.left < 0 || b.right > 390 || b.width <= 100) }).toEqual({ path, wrong: [] });
}

describe('« Mes données » on a phone (390×844, touch)', () => {
  it('downloads the PDF and the JSON file, and says why the account cannot be closed before the visit to come', async () => {
    const s = await insertBookingSetup({
      family: { givenName: 'Łukasz', familyName: 'Nguyễn' },
      detainee: { firstName: 'محمد', lastName: 'Haddad' },
    });
    const startsAt = at(dayIn(4), '14:00');
    const visit = await insertBookedVisit(s, startsAt);
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    await signInBrowser(page, suite.app.url, s.family);

    await MonEspacePage.on(page, violations);
    await page.getByTestId('my-data-link').click();
    const mine = await MyDataPage.on(page, violations);
    await fitsThePhone(page);
    expect(await mine.testId('close-not-yet').innerText()).toContain('1 démarche est en cours');

    const pdf = await mine.download('PDF');
    expect(pdf.suggestedFilename()).toBe('mes-donnees-p2v.pdf');
    expect(
      readFileSync(await pdf.path())
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const json = await mine.download('JSON');
    expect(json.suggestedFilename()).toBe('mes-donnees-p2v.json');
    const data = JSON.parse(readFileSync(await json.path(), 'utf8')) as { account: { givenName: string }; visits: { reference: string }[] };
    expect(data.account.givenName).toBe('Łukasz');
    expect(data.visits.map((v) => v.reference)).toEqual([visit.reference]);

    const close = await mine.closeAccount();
    await fitsThePhone(page);
    expect(await close.reasons()).toEqual([
      expect.stringContaining(
        `Vous pourrez fermer votre compte après votre visite du ${PARIS_DAY.format(startsAt)}, ou si vous l’annulez.`,
      ),
    ]);
    expect(await page.getByRole('button', { name: 'Oui, fermer mon compte' }).count()).toBe(0);

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('closes the account after its confirmation page, signed out of P2V and of FranceConnect', async () => {
    const family = await insertFamily({ givenName: 'Thị Hoa', familyName: 'Nguyễn', mobilePhone: '+33612121212' });
    const context = await suite.browser.newContext(PHONE);
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    // Through the provider's page: its session is the one the closure ends too.
    await page.goto(`${suite.app.url}/connexion`, { waitUntil: 'load' });
    await (await DemoIdentityPage.on(page, violations)).signInAs(family);
    await MonEspacePage.on(page, violations);
    await page.goto(`${suite.app.url}/mes-donnees`, { waitUntil: 'load' });
    const close = await (await MyDataPage.on(page, violations)).closeAccount();
    await fitsThePhone(page);
    expect(await close.testId('close-consequences').locator('li').count()).toBe(5);

    await close.confirm();
    await AccountClosedPage.on(page, violations);
    await fitsThePhone(page);
    expect(await page.getByTestId('account-closed').innerText()).toContain('Votre compte P2V est fermé et vous êtes déconnecté.');
    expect(await page.locator('main').innerText()).toContain('votre session auprès du fournisseur d’identité sont fermées');
    const response = await page.goto(`${suite.app.url}/mon-espace`, { waitUntil: 'load' });
    expect(response?.status()).toBe(401);
    expect(await query(`SELECT email, mobile_phone FROM family_accounts WHERE id = $1 AND closed_at IS NOT NULL`, [family.id])).toEqual([
      { email: null, mobile_phone: null },
    ]);

    expect(violations).toEqual([]);
    expect(errors.filter((e) => !e.includes('status of 401'))).toEqual([]);
    await context.close();
  });
});
