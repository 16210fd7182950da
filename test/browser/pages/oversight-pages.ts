import { AbstractPage } from './abstract-page';

/** The national view (« Pilotage ») and one establishment's months. */
export class OversightPage extends AbstractPage {
  protected readonly heading = /^Pilotage — /;

  async recompute(): Promise<void> {
    await Promise.all([
      this.page.waitForNavigation({ waitUntil: 'load' }),
      this.page.getByRole('button', { name: 'Recalculer maintenant les trois derniers mois' }).click(),
    ]);
  }

  async show(fields: { du?: string; direction?: string }): Promise<void> {
    if (fields.du) await this.page.fill('#du', fields.du);
    if (fields.direction) await this.page.selectOption('#direction', fields.direction);
    await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), this.page.getByRole('button', { name: 'Afficher' }).click()]);
  }

  establishments(): Promise<string[]> {
    return this.page.locator('[data-testid="establishment-row"] th').allInnerTexts();
  }

  async open(name: string): Promise<void> {
    await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), this.page.getByRole('link', { name, exact: true }).click()]);
  }
}

export class OversightEstablishmentPage extends AbstractPage {
  protected readonly heading = /— DISP de /;

  months(): Promise<string[]> {
    return this.page.locator('[data-testid="month-row"] th').allInnerTexts();
  }
}
