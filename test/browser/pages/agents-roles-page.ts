import { AbstractPage } from './abstract-page';
import { navigating } from './home-page';

/** The staff dashboard ("Tableau de bord"): the agent's establishments and roles. */
export class DashboardPage extends AbstractPage {
  protected readonly heading = 'Tableau de bord';

  async greeting(): Promise<string> {
    return (await this.testId('greeting').innerText()).trim();
  }
}

/** "Agents et rôles" of an establishment (administrators). */
export class AgentsRolesPage extends AbstractPage {
  protected readonly heading = /^Agents et rôles — /;

  static async open(page: AbstractPage['page'], violations: string[], baseUrl: string, code: string): Promise<AgentsRolesPage> {
    await page.goto(`${baseUrl}/etablissements/${code}/agents`);
    return AgentsRolesPage.on(page, violations);
  }

  /** Fills "Attribuer un rôle" (what is given) and submits: this page again, with the list or the errors. */
  async grant(form: { email?: string; firstName?: string; lastName?: string; role?: string }): Promise<AgentsRolesPage> {
    if (form.email !== undefined) await this.page.getByLabel('Adresse électronique professionnelle').fill(form.email);
    if (form.firstName !== undefined) await this.page.getByLabel('Prénom', { exact: true }).fill(form.firstName);
    if (form.lastName !== undefined) await this.page.getByLabel('Nom', { exact: true }).fill(form.lastName);
    if (form.role !== undefined) await this.page.getByLabel('Rôle dans l’établissement').selectOption(form.role);
    await navigating(this.page, () => this.page.getByRole('button', { name: 'Attribuer le rôle' }).click());
    return AgentsRolesPage.on(this.page, this.violations);
  }

  async errorSummary(): Promise<string> {
    return this.testId('error-summary').innerText();
  }

  async emails(): Promise<string[]> {
    return (await this.testId('agent-email').allInnerTexts()).map((t) => t.trim());
  }

  async revoke(roleLabel: string, agentName: string): Promise<RevokeRolePage> {
    await navigating(this.page, () => this.page.getByRole('link', { name: `Retirer le rôle ${roleLabel} de ${agentName}` }).click());
    return RevokeRolePage.on(this.page, this.violations);
  }
}

/** "Retirer le rôle … ?": the confirmation asked before a role is removed. */
export class RevokeRolePage extends AbstractPage {
  protected readonly heading = /^Retirer le rôle « .+ » à .+ \?$/;

  async confirm(): Promise<AgentsRolesPage> {
    await navigating(this.page, () => this.page.getByRole('button', { name: 'Oui, retirer le rôle' }).click());
    return AgentsRolesPage.on(this.page, this.violations);
  }
}
