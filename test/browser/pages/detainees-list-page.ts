import { AbstractPage } from './abstract-page';
import { navigating } from './home-page';

/** "Personnes détenues" of an establishment, with "Transferts signalés" for its administrators. */
export class DetaineesListPage extends AbstractPage {
  protected readonly heading = /^Personnes détenues — /;

  static async open(page: AbstractPage['page'], violations: string[], baseUrl: string, code: string): Promise<DetaineesListPage> {
    await page.goto(`${baseUrl}/etablissements/${code}/detenus`);
    return DetaineesListPage.on(page, violations);
  }

  async transferPeople(): Promise<string[]> {
    return (await this.testId('transfer-person').allInnerTexts()).map((t) => t.trim());
  }

  async confirmTransferOf(name: string): Promise<ConfirmTransferPage> {
    await navigating(this.page, () => this.page.getByRole('link', { name: `Confirmer le transfert de ${name}` }).click());
    return ConfirmTransferPage.on(this.page, this.violations);
  }

  async doneMessage(): Promise<string> {
    return (await this.testId('done').innerText()).trim();
  }

  async custodyOf(ecrou: string): Promise<string> {
    const row = this.testId('detainee').filter({ has: this.page.locator(`[data-testid="detainee-ecrou"]`, { hasText: ecrou }) });
    // The text as written (the badge shows it in capitals).
    return ((await row.locator('[data-testid="detainee-custody"]').textContent()) ?? '').replace(/\s+/g, ' ').trim();
  }
}

/** "Confirmer le transfert de … ?": asked before a detainee is marked transferred. */
export class ConfirmTransferPage extends AbstractPage {
  protected readonly heading = /^Confirmer le transfert de .+ \?$/;

  async confirm(): Promise<DetaineesListPage> {
    await navigating(this.page, () => this.page.getByRole('button', { name: 'Oui, confirmer le transfert' }).click());
    return DetaineesListPage.on(this.page, this.violations);
  }
}

/** "Importer les personnes détenues depuis GENESIS". */
export class DetaineesImportPage extends AbstractPage {
  protected readonly heading = /^Importer les personnes détenues depuis GENESIS — /;

  static async open(page: AbstractPage['page'], violations: string[], baseUrl: string, code: string): Promise<DetaineesImportPage> {
    await page.goto(`${baseUrl}/etablissements/${code}/detenus/import`);
    return DetaineesImportPage.on(page, violations);
  }

  /** Chooses the file and asks for the preview: this page again, with the preview or the lines to correct. */
  async import(name: string, csv: string): Promise<DetaineesImportPage> {
    await this.page
      .getByLabel('Fichier CSV exporté de GENESIS')
      .setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await navigating(this.page, () => this.page.getByRole('button', { name: 'Voir l’aperçu avant import' }).click());
    return DetaineesImportPage.on(this.page, this.violations);
  }

  async errors(): Promise<string> {
    return this.testId('import-errors').innerText();
  }

  /** The preview of a file sent: what the import would change, and the mass-release warning if any. */
  async preview(): Promise<{ releases: string; warning: string | null }> {
    const releases = (await this.testId('preview-releases').locator('td').last().innerText()).trim();
    const warning = (await this.testId('mass-release-warning').count()) ? await this.testId('mass-release-warning').innerText() : null;
    return { releases, warning };
  }
}
