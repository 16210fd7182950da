import { AbstractPage } from './abstract-page';
import { navigating } from './home-page';

/** The family's UVF / PF pages: « Mes demandes UVF / parloir familial » and a request's page. */
export class FamilyVisitRequestsPage extends AbstractPage {
  protected readonly heading = 'Mes demandes UVF / parloir familial';

  /** Opens the request whose card shows this status. */
  async open(status: string): Promise<FamilyVisitRequestPage> {
    const card = this.testId('request').filter({ has: this.page.locator('[data-testid="request-status"]', { hasText: status }) });
    await navigating(this.page, () => card.locator('[data-testid="request-visitor"]').first().click());
    return FamilyVisitRequestPage.on(this.page, this.violations);
  }
}

export class FamilyVisitRequestPage extends AbstractPage {
  protected readonly heading = /^Demande de /;

  texts(testId: string): Promise<string[]> {
    return this.testId(testId).allTextContents();
  }

  /** Whether the page is wider than the screen (a phone should never scroll sideways). */
  scrollsSideways(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  }

  async back(): Promise<FamilyVisitRequestsPage> {
    await navigating(this.page, () => this.page.getByRole('link', { name: 'Retour à mes demandes' }).click());
    return FamilyVisitRequestsPage.on(this.page, this.violations);
  }
}
