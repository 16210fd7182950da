import type { Locator, Page } from 'playwright-core';
import { axeViolations, clickAndLoad } from '../../helpers/browser';

/**
 * A page of a browser journey (after HMPPS integration_tests/pages/abstractPage.ts): `verifyOnPage`
 * checks that the browser shows this page (its h1) and runs axe-core on it, collecting violations
 * for the test to assert none at the end. Subclasses name the heading and the page's actions.
 */
export abstract class AbstractPage {
  /** The page's h1, exactly or as a pattern. */
  protected abstract readonly heading: string | RegExp;

  constructor(
    readonly page: Page,
    protected readonly violations: string[],
  ) {}

  async verifyOnPage(): Promise<this> {
    await this.page.waitForLoadState('load');
    const h1 = (await this.page.locator('h1').first().innerText()).replace(/\s+/g, ' ').trim();
    const ok = typeof this.heading === 'string' ? h1 === this.heading : this.heading.test(h1);
    if (!ok) throw new Error(`Expected the page "${String(this.heading)}" but the browser shows "${h1}" at ${this.page.url()}`);
    this.violations.push(...(await axeViolations(this.page)));
    return this;
  }

  /** A page object for the page the browser is on now, once verified. */
  static async on<T extends AbstractPage>(this: new (page: Page, violations: string[]) => T, page: Page, violations: string[]): Promise<T> {
    return new this(page, violations).verifyOnPage();
  }

  /**
   * Clicks (a link, a form's button) and waits for the new document it loads to be fully loaded. The
   * old document is marked first and the wait ends only once the mark is gone: waiting for « a
   * navigation » could end on the page clicked from (seen in CI after a file upload refused with a 400,
   * whose page has the same address and heading).
   */
  protected async load(target: Locator): Promise<void> {
    await clickAndLoad(this.page, target);
  }

  testId(id: string) {
    return this.page.locator(`[data-testid="${id}"]`);
  }
}
