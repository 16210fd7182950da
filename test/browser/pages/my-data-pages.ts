import type { Download } from 'playwright-core';
import { AbstractPage } from './abstract-page';

/** « Mes données »: what P2V holds, its two downloads, and the way to close the account. */
export class MyDataPage extends AbstractPage {
  protected readonly heading = 'Mes données';

  /** Taps a download button: the file the browser receives. */
  async download(format: 'PDF' | 'JSON'): Promise<Download> {
    const [file] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('link', { name: new RegExp(`^Télécharger en ${format}`) }).click(),
    ]);
    return file;
  }

  async closeAccount(): Promise<CloseAccountPage> {
    await this.load(this.page.getByRole('link', { name: 'Fermer mon compte', exact: true }));
    return CloseAccountPage.on(this.page, this.violations);
  }
}

/** « Fermer mon compte »: what will happen and the confirmation, or why it is not possible yet. */
export class CloseAccountPage extends AbstractPage {
  protected readonly heading = 'Fermer mon compte';

  async reasons(): Promise<string[]> {
    return (await this.testId('blocker').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
  }

  /** Confirms: the family is signed out of P2V, then of the identity provider, and lands on the end page. */
  async confirm(): Promise<void> {
    await this.page.getByRole('button', { name: 'Oui, fermer mon compte' }).click();
    await this.page.waitForURL(/\/deconnexion\/fin/);
  }
}

/** Where closing the account ends, back from the identity provider. */
export class AccountClosedPage extends AbstractPage {
  protected readonly heading = 'Votre compte est fermé';
}
