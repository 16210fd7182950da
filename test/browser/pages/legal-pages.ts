import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract-page';

/** The footer's legal links, by the text a person reads there: in French, and in Arabic (right to left). */
export type FooterLink =
  | 'Plan du site'
  | 'Accessibilité : non conforme'
  | 'Mentions légales'
  | 'Données personnelles'
  | 'Gestion des cookies'
  | 'خريطة الموقع'
  | 'إمكانية الوصول: غير مطابقة'
  | 'الإشعارات القانونية'
  | 'البيانات الشخصية'
  | 'ملفات تعريف الارتباط';

/** A page the law requires, reached from any page's footer. */
export class LegalPage extends AbstractPage {
  constructor(
    page: Page,
    violations: string[],
    protected readonly heading: string,
  ) {
    super(page, violations);
  }

  /** Follows a link of the footer's bottom list, as a person does on any page, and checks the page it opens. */
  static async fromFooter(page: Page, violations: string[], link: FooterLink, heading: string): Promise<LegalPage> {
    const target = new LegalPage(page, violations, heading);
    await target.load(page.locator('[data-testid="footer-legal"]').getByRole('link', { name: link, exact: true }));
    return target.verifyOnPage();
  }

  /** Nothing is wider than the screen: no sideways scrolling (the page and what the screen shows). */
  widths(): Promise<{ scrollWidth: number; innerWidth: number }> {
    return this.page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  }

  /** The links of the site map's section for the person signed in. */
  async spaceLinks(): Promise<string[]> {
    return (await this.testId('site-map-space').getByRole('link').allInnerTexts()).map((t) => t.trim());
  }
}
