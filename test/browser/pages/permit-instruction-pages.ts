import type { Locator } from 'playwright-core';
import { AbstractPage } from './abstract-page';

/** The establishment's pages of the permit requests: the work queue and a request's instruction. */
abstract class StaffPage extends AbstractPage {
  /** Clicks and waits for the page it loads (a link, a form's button). */
  protected async load(target: Locator): Promise<void> {
    await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), target.click()]);
  }

  errors(): Promise<string[]> {
    return this.testId('error-summary').locator('li').allInnerTexts();
  }
}

export class PermitQueuePage extends StaffPage {
  protected readonly heading = /^Demandes de permis de visite — /;

  async open(reference: string): Promise<void> {
    await this.load(this.page.getByRole('link', { name: reference, exact: true }));
  }
}

export class PermitInstructionPage extends StaffPage {
  protected readonly heading = /^Demande de permis PV-[A-Z0-9]{8}$/;

  status(): Promise<string> {
    return this.testId('status').innerText();
  }

  /** The head of establishment's decision: refuse on a legal ground, with this motivation (empty to try without). */
  async refuse(motivation: string, ground = 'GOOD_ORDER'): Promise<void> {
    await this.page.click('label[for="decision-refuse"]');
    await this.page.click(`label[for="ground-${ground}"]`);
    await this.page.fill('#motivation', motivation);
    await this.load(this.page.getByRole('button', { name: 'Enregistrer la décision', exact: true }));
  }
}
