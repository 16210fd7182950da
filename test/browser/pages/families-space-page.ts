import { AbstractPage } from './abstract-page';
import { navigating } from './home-page';

/** "Mon espace": the family's FranceConnect identity (read-only) and contact details. */
export class MonEspacePage extends AbstractPage {
  protected readonly heading = 'Mon espace';

  async identity(field: 'given-name' | 'family-name' | 'birthdate' | 'email'): Promise<string> {
    return (await this.testId(`identity-${field}`).innerText()).trim();
  }

  async changePhone(): Promise<PhonePage> {
    await navigating(this.page, () => this.page.getByRole('link', { name: 'Modifier mon numéro' }).click());
    return PhonePage.on(this.page, this.violations);
  }

  async signOut(): Promise<void> {
    await this.page.getByRole('link', { name: 'Se déconnecter' }).click();
  }
}

/** "Mon numéro de téléphone portable". */
export class PhonePage extends AbstractPage {
  protected readonly heading = 'Mon numéro de téléphone portable';

  /** Types the number and saves: the same page again (with errors) or "Mon espace", for the caller to verify. */
  async save(phone: string): Promise<void> {
    await this.page.getByLabel('Numéro de téléphone portable').fill(phone);
    await navigating(this.page, () => this.page.getByRole('button', { name: 'Enregistrer' }).click());
  }

  async errorSummary(): Promise<string> {
    return this.testId('error-summary').innerText();
  }
}
