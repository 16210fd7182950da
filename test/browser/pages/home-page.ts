import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract-page';

/** A click or tap that loads another page: waits for that page to load, not the one clicked on. */
export async function navigating(page: Page, action: () => Promise<unknown>): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
}

/** The public home page: sign-in with FranceConnect (families) or ProConnect (staff). */
export class HomePage extends AbstractPage {
  protected readonly heading = 'Visiter un proche détenu';

  static async open(page: Page, violations: string[], baseUrl: string): Promise<HomePage> {
    await page.goto(`${baseUrl}/`);
    return HomePage.on(page, violations);
  }

  /** The FranceConnect button's background (DSFR styles loaded: its brand colour). */
  franceConnectBackground(): Promise<string> {
    return this.page
      .locator('.fr-connect')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
  }

  async signInWithFranceConnect(): Promise<IdentityProviderPage> {
    await navigating(this.page, () => this.page.click('a.fr-connect[href="/connexion"]'));
    return IdentityProviderPage.on(this.page, this.violations);
  }

  async signInWithProConnect(): Promise<IdentityProviderPage> {
    await navigating(this.page, () => this.page.click('a.fr-connect[href="/agents/connexion"]'));
    return IdentityProviderPage.on(this.page, this.violations);
  }
}

/** The demo identity provider's page (standing in for FranceConnect or ProConnect). */
export class IdentityProviderPage extends AbstractPage {
  protected readonly heading = /^(FranceConnect|ProConnect) — fournisseur d’identité de démonstration$/;

  /** Picks one of the demo identities; the app's page comes next (for the caller to verify). */
  async signInAs(name: string): Promise<void> {
    await navigating(this.page, () => this.page.getByRole('button', { name: `Se connecter en tant que ${name}` }).click());
  }

  /** Types another identity ("Une autre identité"): any name, any script. */
  async signInAsPerson(who: {
    givenName: string;
    familyName?: string;
    usualName?: string;
    birthdate?: string;
    email: string;
  }): Promise<void> {
    const form = this.testId('custom-identity');
    await form.getByLabel('Prénom').fill(who.givenName);
    if (who.familyName !== undefined) await form.getByLabel('Nom de naissance').fill(who.familyName);
    if (who.birthdate !== undefined) await form.getByLabel('Date de naissance').fill(who.birthdate);
    if (who.usualName !== undefined) await form.getByLabel('Nom d’usage').fill(who.usualName);
    await form.getByLabel('Adresse e-mail').fill(who.email);
    await navigating(this.page, () => form.getByRole('button', { name: 'Se connecter avec cette identité' }).click());
  }
}

/** Where signing out ends, back from the identity provider. */
/** The sign-out link's confirmation form. */
export class SignOutPage extends AbstractPage {
  protected readonly heading = 'Se déconnecter';
}

export class SignedOutPage extends AbstractPage {
  protected readonly heading = 'Vous êtes déconnecté';
}
