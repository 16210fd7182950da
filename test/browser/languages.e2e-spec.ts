import type { Page } from 'playwright-core';
import { insertFamily } from '../factories/people';
import { actAndCheck, appAndBrowser, axeViolations, consoleErrors, signInBrowser } from '../helpers/browser';

jest.setTimeout(90_000);

const suite = appAndBrowser();

/** A phone, as families use (390×844, touch). */
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

/** Where an element is drawn: its left and right edges. */
const box = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((e) => {
      const r = e.getBoundingClientRect();
      return { left: r.left, right: r.right };
    });

describe('the family side in a real browser, in each language', () => {
  it('changes language with the DSFR selector, lays Arabic out right to left, and passes axe in every language', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'fr-FR' });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    await actAndCheck(page, violations, () => page.goto(`${suite.app.url}/`));
    expect(await page.locator('h1').innerText()).toBe('Visiter un proche détenu');

    // The selector: a button that opens the list of languages, each named in itself.
    await page.getByRole('button', { name: /^FR/ }).click();
    await actAndCheck(page, violations, () => page.getByRole('link', { name: 'AR - العربية' }).click());
    await page.waitForURL(`${suite.app.url}/`);
    expect(await page.locator('h1').innerText()).toBe('زيارة قريب محتجز');
    expect(await page.evaluate(() => [document.documentElement.lang, getComputedStyle(document.body).direction])).toEqual(['ar', 'rtl']);
    // Mirrored: the State's block on the right, the page's text aligned right, the second panel left of the first.
    const logo = await box(page, '.fr-header__brand');
    const tools = await box(page, '.fr-header__tools');
    expect(logo.left).toBeGreaterThan(tools.left);
    const panels = await page.locator('.p2v-panel').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().left));
    expect(panels[0]).toBeGreaterThan(panels[1]);
    expect(await page.locator('h1').evaluate((e) => getComputedStyle(e).textAlign)).toMatch(/^(start|right)$/);

    for (const [name, heading] of [
      ['EN - English', 'Visiting a relative in prison'],
      ['ES - Español', 'Visitar a un familiar preso'],
    ]) {
      await page.locator('.fr-header__tools .fr-translate__btn').click();
      await actAndCheck(page, violations, () => page.getByRole('link', { name }).click());
      await page.waitForFunction((h) => document.querySelector('h1')?.textContent === h, heading);
      expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe('ltr');
    }
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('shows a family its space and an error page in Arabic on a phone: axe passes, nothing scrolls sideways', async () => {
    const family = await insertFamily({ givenName: 'عائشة', familyName: 'Nguyễn' });
    const context = await suite.browser.newContext({ ...PHONE, locale: 'ar' });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    await signInBrowser(page, suite.app.url, family);
    for (const path of ['/mon-espace', '/comment-ca-marche', '/comment-ca-marche/visite', '/nulle-part']) {
      await page.goto(`${suite.app.url}${path}`);
      expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
      expect(await axeViolations(page)).toEqual([]);
      expect({ path, width: await page.evaluate(() => document.documentElement.scrollWidth) }).toEqual({ path, width: 390 });
    }
    expect(await page.locator('h1').innerText()).toBe('الصفحة غير موجودة');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('lays the plain-language steps out with their pictogram first, on the right in Arabic', async () => {
    const context = await suite.browser.newContext({ ...PHONE, locale: 'ar' });
    const page = await context.newPage();
    await page.goto(`${suite.app.url}/comment-ca-marche/permis-de-visite`);
    expect(await page.locator('h1').innerText()).toBe('طلب تصريح زيارة');
    const step = page.locator('[data-testid="step"]').first();
    const pictogram = await step.locator('svg').evaluate((e) => e.getBoundingClientRect().left);
    const text = await step.locator('h2').evaluate((e) => e.getBoundingClientRect().left);
    expect(pictogram).toBeGreaterThan(text);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
