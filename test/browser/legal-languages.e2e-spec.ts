import { appAndBrowser, axeViolations, consoleErrors } from '../helpers/browser';
import { type FooterLink, LegalPage } from './pages/legal-pages';

// Five pages checked with axe-core and measured, then the French version: longer than a plain test's 20 s.
jest.setTimeout(90_000);

const suite = appAndBrowser();

/** The five pages in Arabic: the footer's link, the page's heading. */
const PAGES: { link: FooterLink; heading: string }[] = [
  { link: 'الإشعارات القانونية', heading: 'الإشعارات القانونية' },
  { link: 'البيانات الشخصية', heading: 'البيانات الشخصية' },
  { link: 'ملفات تعريف الارتباط', heading: 'ملفات تعريف الارتباط' },
  { link: 'إمكانية الوصول: غير مطابقة', heading: 'بيان إمكانية الوصول' },
  { link: 'خريطة الموقع', heading: 'خريطة الموقع' },
];

describe('the legal pages in Arabic in a real browser', () => {
  it('a visitor in Arabic on a phone (390 px) opens the five legal pages from the footer, right to left: no axe violation, no sideways scroll', async () => {
    // A phone whose browser asks for Arabic: the first visit is in Arabic.
    const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'ar' });
    const page = await context.newPage();
    const errors = consoleErrors(page);
    const violations: string[] = [];
    await page.goto(`${suite.app.url}/`);
    expect(await page.locator('h1').innerText()).toBe('زيارة قريب محتجز');

    const shown: { heading: string; dir: string; notice: boolean; scrollWidth: number; innerWidth: number }[] = [];
    for (const { link, heading } of PAGES) {
      const legal = await LegalPage.fromFooter(page, violations, link, heading);
      shown.push({
        heading,
        dir: await page.evaluate(() => getComputedStyle(document.body).direction),
        notice: await legal.testId('french-version').isVisible(),
        ...(await legal.widths()),
      });
    }
    expect(shown).toEqual(PAGES.map(({ heading }) => ({ heading, dir: 'rtl', notice: true, scrollWidth: 390, innerWidth: 390 })));

    // Right to left: the retention table's first column (the data) on the right, its cells starting on the right, the whole table on
    // the screen; a list's items start on the right too, their bullets in the margin on that side.
    await page.goto(`${suite.app.url}/donnees-personnelles`);
    const layout = await page.evaluate(() => {
      const row = document.querySelector('[data-testid="retention-row"]')!;
      const th = row.querySelector('th')!;
      const td = row.querySelector('td')!;
      const table = document.querySelector('[data-testid="retention"] table')!.getBoundingClientRect();
      const list = document.querySelector('[data-testid="no-transfer"]')!.previousElementSibling!;
      const item = list.querySelector('li')!.getBoundingClientRect();
      const box = list.getBoundingClientRect();
      return {
        dataColumnOnTheRight: th.getBoundingClientRect().left > td.getBoundingClientRect().left,
        cellsAlign: [getComputedStyle(th).textAlign, getComputedStyle(td).textAlign],
        tableOnScreen: table.left >= 0 && table.right <= 390,
        listIndentedOnTheRight: box.right - item.right > 0 && item.left - box.left === 0,
      };
    });
    expect(layout).toEqual({
      dataColumnOnTheRight: true,
      cellsAlign: ['right', 'right'],
      tableOnScreen: true,
      listIndentedOnTheRight: true,
    });

    // The French version, the one that applies: the same page, left to right.
    await page.locator('[data-testid="french-version"]').click();
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Données personnelles');
    await page.waitForLoadState('load');
    expect(await page.evaluate(() => [document.documentElement.lang, getComputedStyle(document.body).direction])).toEqual(['fr', 'ltr']);
    violations.push(...(await axeViolations(page)));

    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
