import { AbstractPage } from './abstract-page';

/** « Mes permis », « Lier un permis papier », and the greffe's pages that link a permit to an account. */
abstract class ClaimFormPage extends AbstractPage {
  errors(): Promise<string[]> {
    return this.testId('error-summary').locator('li').allInnerTexts();
  }
}

export class MyPermitsPage extends ClaimFormPage {
  protected readonly heading = 'Mes permis de visite';

  async linkPaperPermit(): Promise<void> {
    await this.load(this.testId('claim-link'));
  }

  visitors(): Promise<string[]> {
    return this.testId('permit-visitor').allInnerTexts();
  }

  /** As written (the DSFR badge shows it in capitals). */
  async states(): Promise<string[]> {
    return (await this.testId('permit-state').allTextContents()).map((t) => t.trim());
  }
}

export class ClaimPage extends ClaimFormPage {
  protected readonly heading = 'Lier un permis papier à mon compte';

  async typeCode(code: string): Promise<void> {
    await this.page.getByLabel('Code P2V').fill(code);
    await this.load(this.page.getByRole('button', { name: 'Lier le permis', exact: true }));
  }
}

export class StaffPermitPage extends ClaimFormPage {
  protected readonly heading = 'Permis de visite';

  async linkToAccount(): Promise<void> {
    await this.load(this.testId('link-account'));
  }

  holder(): Promise<string> {
    return this.testId('holder-linked').innerText();
  }
}

export class LinkAccountPage extends ClaimFormPage {
  protected readonly heading = 'Lier le permis à un compte famille';

  async findAccount(email: string): Promise<void> {
    await this.page.getByLabel('Adresse électronique du compte P2V').fill(email);
    await this.page.locator('label[for="idChecked-box"]').click(); // the DSFR checkbox: its label takes the click
    await this.load(this.page.getByRole('button', { name: 'Continuer', exact: true }));
  }
}

export class LinkConfirmPage extends ClaimFormPage {
  protected readonly heading = 'Confirmer le lien du permis au compte';

  accountGivenName(): Promise<string> {
    return this.testId('account-given-name').innerText();
  }

  async confirm(): Promise<void> {
    await this.load(this.testId('confirm-link'));
  }
}
