import { AbstractPage } from './abstract-page';

/** The permits register, the head's dashboard, a family's request page and the withdrawal confirmation. */
export class PermitRegisterPage extends AbstractPage {
  protected readonly heading = /^Registre des permis de visite/;

  rows(): Promise<string[]> {
    return this.testId('register-visitor').allInnerTexts();
  }
}

export class PermitDashboardPage extends AbstractPage {
  protected readonly heading = /^Tableau de bord des permis/;

  stat(id: string): Promise<string> {
    return this.testId(id).innerText();
  }
}

export class FamilyRequestPage extends AbstractPage {
  protected readonly heading = /^Demande de permis PV-[A-Z0-9]+$/;

  async addDocument(kind: string, file: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.selectOption('#kind', kind);
    await this.page.setInputFiles('#fichier', file);
    await Promise.all([
      this.page.waitForNavigation({ waitUntil: 'load' }),
      this.page.getByRole('button', { name: 'Envoyer ce document', exact: true }).click(),
    ]);
  }

  async withdraw(): Promise<void> {
    await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), this.testId('withdraw-link').click()]);
  }

  documents(): Promise<string[]> {
    return this.testId('document').allInnerTexts();
  }

  status(): Promise<string> {
    return this.testId('status').innerText();
  }
}

export class WithdrawPage extends AbstractPage {
  protected readonly heading = /^Retirer la demande PV-[A-Z0-9]+ \?$/;

  async confirm(): Promise<void> {
    await Promise.all([this.page.waitForNavigation({ waitUntil: 'load' }), this.testId('confirm-withdraw').click()]);
  }
}
